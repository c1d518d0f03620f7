"""IMAP connections for the mail operations of the journal (clean, undo, recovery).

An action of the journal names its account in its fingerprint (the source URL and
how to connect: never a password). Operations ask :func:`client_for` for a logged-in
client; it is opened once per account and command, with the password from the
environment, the keyring or :data:`prompt` (set by the command line). A connection
that dropped is forgotten (:func:`drop`) and opened again on the next call.
"""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from menage.errors import MenageError

if TYPE_CHECKING:
    from imapclient import IMAPClient

_clients: dict[str, IMAPClient] = {}
#: asks for a password (the command line sets it on a terminal)
prompt: Callable[[str], str] | None = None


class Unreachable(OSError):
    """The server cannot be reached or refused the login: the action is left as it is."""


def account_of(fingerprint: str) -> dict[str, Any]:
    data = json.loads(fingerprint)
    assert isinstance(data, dict)
    return data


def client_for(account: dict[str, Any]) -> IMAPClient:
    """A logged-in client for the account an action names.

    Raises:
        Unreachable: no connection (the reason is its message).
    """
    from menage.mail.imap import ImapOptions, connect, get_secret
    from menage.mail.source import ImapSource, parse_source

    key = str(account["source"])
    client = _clients.get(key)
    if client is not None:
        return client
    source = parse_source(key)
    assert isinstance(source, ImapSource)
    ca_file = account.get("ca_file")
    options = ImapOptions(
        insecure=bool(account.get("insecure")),
        ca_file=Path(ca_file) if ca_file else None,
        oauth2=bool(account.get("oauth2")),
    )
    try:
        client = connect(source, options, get_secret(source, options.oauth2, prompt))
    except MenageError as error:
        raise Unreachable(errno.ENOTCONN, error.message) from None
    _clients[key] = client
    return client


def drop(account: dict[str, Any]) -> None:
    """Forget an account's connection (it dropped): the next call opens a new one."""
    from menage.mail.imap import close

    client = _clients.pop(str(account["source"]), None)
    if client is not None:
        close(client)


def close_all() -> None:
    from menage.mail.imap import close

    while _clients:
        _key, client = _clients.popitem()
        close(client)
