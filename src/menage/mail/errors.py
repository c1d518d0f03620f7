"""The errors of ``menage mail``: each says what happened and what to do, never a traceback.

* MailError (exit 1)
  - SourceInvalid: the SOURCE is neither an IMAP URL nor a mailbox on disk
  - InsecureRefused: plain IMAP off loopback without ``--insecure``
  - PasswordMissing: no password in the environment, keyring or terminal
  - ConnectFailed: the server cannot be reached
  - CertificateInvalid: the server's certificate does not verify
  - LoginFailed: the server refused the user name and password (or token)
  - ConnectionLost: the connection dropped mid-analysis (what was fetched is kept)
  - FolderMissing: a folder given with ``--folders`` does not exist
"""

from __future__ import annotations

from menage.errors import MenageError
from menage.i18n import N_


class MailError(MenageError):
    template = N_("{source}: {detail}")


class SourceInvalid(MailError):
    template = N_(
        "{source}: not a mailbox (give imaps://user@server/, an mbox file, a Maildir "
        "folder or a folder of .eml files)"
    )


class InsecureRefused(MailError):
    template = N_(
        "{host}: plain IMAP would send your password unencrypted. Use imaps://, or a "
        "server offering STARTTLS, or --insecure if you really mean it (always allowed "
        "on this computer's loopback)."
    )


class PasswordMissing(MailError):
    template = N_(
        "no password for {user} on {host}: set MENAGE_IMAP_PASSWORD, store it in the "
        "system keyring (service menage-imap), or run in a terminal to be asked. A "
        "password is never taken from the command line."
    )


class ConnectFailed(MailError):
    template = N_("{host}:{port}: cannot connect ({detail}).")


class CertificateInvalid(MailError):
    template = N_(
        "{host}: the server's certificate does not verify ({detail}). Nothing was sent. "
        "Give the server's CA with --ca-file, or use --insecure only if you trust this network."
    )


class LoginFailed(MailError):
    template = N_(
        "{host}: login refused for {user} ({detail}). Check the password; Gmail needs an "
        "app password or OAuth2, Outlook.com only OAuth2 (--oauth2)."
    )


class ConnectionLost(MailError):
    template = N_(
        "{host}: the connection was lost during the analysis ({detail}). Nothing is lost: "
        "what was read is cached and the next run resumes from there."
    )


class FolderMissing(MailError):
    template = N_("{source}: no folder named {folder}")


class CleanRefused(MailError):
    template = N_("{source}: {detail} Nothing was changed.")


class CleanInterrupted(MailError):
    template = N_(
        "{host}: the connection was lost during the cleanup ({detail}). Nothing is lost "
        "and no action is left half done: run the same command again to carry on "
        "(the message being moved is checked on the server first)."
    )
