"""The mailbox of a review: one added on the page, analysed, cleaned and left.

A mailbox is a file or folder on this computer (mbox, Maildir, ``.eml`` files) or an
IMAP account (host, user, password). The password stays in this process's memory
only: it is never put in a URL, a page, a log or a file; the mail operations ask for
it through :data:`menage.mail.sessions.prompt`, which the review answers. IMAP goes
over TLS, except to this computer itself (loopback).

Everything goes through the library of ``menage mail``: the analysis
(:func:`~menage.mail.analyse.analyse_source`), the cleanup as a run of the journal
(:func:`~menage.mail.clean.apply_mail`, undone by ``menage undo`` and the page), and
RFC 8058 one-click unsubscribing (:mod:`menage.mail.unsubscribe`).
"""

from __future__ import annotations

import re
import ssl
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from menage.errors import MenageError
from menage.i18n import N_, _

if TYPE_CHECKING:
    from menage.clean.apply import Outcome
    from menage.mail.findings import MailAnalysis
    from menage.mail.imap import ImapOptions
    from menage.mail.unsubscribe import Choice
    from menage.workspace import Workspace

Form = Mapping[str, Sequence[str]]
HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\]")
MAX_FIELD = 1000


class MailboxInvalid(MenageError):
    """What the mailbox form sent cannot be used (said on the page)."""

    template = N_("{detail}")


@dataclass
class Mailbox:
    """A mailbox added on the page. ``spec`` names it as ``menage mail`` does (never
    with the password)."""

    spec: str
    options: ImapOptions
    #: the IMAP password, in memory only
    password: str = field(default="", repr=False)
    analysis: MailAnalysis | None = None
    #: a cleanup was undone since the analysis: read the mailbox again
    stale: bool = False

    @property
    def imap(self) -> bool:
        return "://" in self.spec

    def prompt(self, _who: str) -> str:
        """The password, for the mail library (it asks with ``user@host``)."""
        return self.password

    def analyse(self, workspace: Workspace) -> MailAnalysis:
        """Read the mailbox's metadata (never a message body) and find what weighs.

        Raises:
            MailError: the mailbox cannot be read (its message says why).
        """
        from menage.mail.analyse import analyse_source

        with workspace.active():
            self.analysis = analyse_source(self.spec, options=self.options, prompt=self.prompt)
        self.stale = False
        return self.analysis

    def clean(self, workspace: Workspace, senders: Sequence[str]) -> Outcome:
        """Move these senders' messages out, as ``menage mail clean --sender`` does:
        to the server's Trash over IMAP, to Ménage's quarantine on disk; undoable.

        Raises:
            MailError, CleanRefused, JournalBusy.
        """
        from menage.clean import cleanup_session, home_quarantine
        from menage.mail import sessions
        from menage.mail.clean import apply_mail
        from menage.mail.planning import plan_mail
        from menage.mail.select import Criteria

        sessions.prompt = self.prompt
        with workspace.active():
            plan = plan_mail(
                self.spec, Criteria(senders=tuple(senders)), options=self.options,
                prompt=self.prompt,
            )  # fmt: skip
            if not plan.targets:
                raise MailboxInvalid(detail=_("No message of these senders is left to move."))
            with cleanup_session(workspace.journal_path) as (journal, _recovered):
                return apply_mail(plan, journal, home_quarantine(), command="review")

    def unsubscribe(
        self, workspace: Workspace, sender: str, context: ssl.SSLContext | None = None
    ) -> tuple[Choice, str | None]:
        """Leave ``sender``'s list as ``menage mail unsubscribe`` does: the RFC 8058
        POST when the sender allows one click and the mail does not look like spam,
        otherwise nothing is sent (the page shows the address or link). Recorded in
        the journal either way. Returns the choice and why it failed (None: done).
        """
        from menage.clean.journal import Journal
        from menage.mail.planning import read_folders
        from menage.mail.unsubscribe import choose, one_click

        with workspace.active():
            folders = read_folders(self.spec, options=self.options, prompt=self.prompt)
        found = [(m, role) for _name, role, ms in folders for m in ms if m.sender == sender]
        choice = choose(sender, found)
        status, detail = "shown", choice.refused
        if choice.refused is not None:
            status = "refused"
        elif choice.method == "one-click":
            detail = one_click(choice.target or "", context)
            status = "done" if detail is None else "failed"
        if choice.method != "none":
            with workspace.active(), Journal(workspace.journal_path) as journal:
                journal.record_unsubscription(
                    source=self.spec, sender=sender, list_id=choice.list_id,
                    method=choice.method, target=choice.target, status=status, detail=detail,
                    messages=choice.messages, bytes=choice.bytes,
                )  # fmt: skip
        return choice, detail if status in ("failed", "refused") else None


def _one(form: Form, name: str) -> str:
    values = form.get(name, [])
    if len(values) > 1:
        raise MailboxInvalid(detail=_("The form sent a field twice."))
    value = values[0].strip() if values else ""
    if len(value) > MAX_FIELD or any(ord(c) < 32 or c == "\x7f" for c in value):
        raise MailboxInvalid(detail=_("The form sent a field that is too long or unreadable."))
    return value


def from_form(form: Form, home: Path) -> Mailbox:
    """The mailbox the form describes.

    Raises:
        MailboxInvalid: a field is missing or cannot be used.
    """
    from menage.mail.imap import ImapOptions

    kind = _one(form, "kind")
    if kind == "local":
        return _local(_one(form, "path"), home)
    if kind != "imap":
        raise MailboxInvalid(detail=_("Choose a mailbox file or an IMAP account."))
    host, user, port_text = _one(form, "host"), _one(form, "user"), _one(form, "port")
    password = form.get("password", [""])[0] if len(form.get("password", [])) == 1 else ""
    if not HOST.fullmatch(host):
        raise MailboxInvalid(detail=_("The server's name is not a host name."))
    if not user or "/" in user:
        raise MailboxInvalid(detail=_("Give the account's user name."))
    if not password or len(password) > MAX_FIELD or "\x00" in password:
        raise MailboxInvalid(detail=_("Give the account's password."))
    port = 993
    if port_text:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise MailboxInvalid(detail=_("The port is a number from 1 to 65535."))
        port = int(port_text)
    from menage.mail.source import is_loopback

    # TLS always (imaps), except to this computer itself, where plain IMAP is allowed
    plain = _one(form, "tls") == "no"
    if plain and not is_loopback(host.strip("[]")):
        raise MailboxInvalid(detail=_("Only a server on this computer may be used without TLS."))
    scheme = "imap" if plain else "imaps"
    spec = f"{scheme}://{urllib.parse.quote(user, safe='')}@{host}:{port}/"
    return Mailbox(spec=spec, options=ImapOptions(), password=password)


def _local(text: str, home: Path) -> Mailbox:
    from menage.mail.imap import ImapOptions
    from menage.review.security import inside, real

    if not text or "\x00" in text or "://" in text:
        raise MailboxInvalid(detail=_("Give the path of a mailbox file or folder."))
    path = Path(text).expanduser()
    if not path.is_absolute() or not path.exists():
        raise MailboxInvalid(detail=_("There is no mailbox file or folder at this path."))
    if inside(real(path), [real(home)]):
        raise MailboxInvalid(detail=_("This is Ménage's own folder."))
    return Mailbox(spec=str(path), options=ImapOptions())
