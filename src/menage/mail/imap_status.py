"""Every folder's state (STATUS) in as few round trips as the server allows.

With LIST-STATUS (RFC 5819, Dovecot has it) the folder list and every folder's STATUS
come in one command, ``LIST "" "*" RETURN (STATUS (...))``. Without it the folders are
listed, then all their STATUS commands are sent at once and their answers read after
(pipelining, RFC 3501 section 5.5). A folder whose STATUS did not come that way (the
server left it out, or said NO) is asked again on its own later, as before.
"""

from __future__ import annotations

from typing import Any

from imapclient import IMAPClient
from imapclient.imap_utf7 import decode as decode_utf7
from imapclient.imap_utf7 import encode as encode_utf7
from imapclient.response_parser import parse_response

from menage.mail.imap import ImapFolder, list_folders, role_of

States = dict[str, dict[bytes, int]]


def status_items(client: IMAPClient) -> list[bytes]:
    """The STATUS items Ménage asks for on this server."""
    items = [b"MESSAGES", b"UIDNEXT", b"UIDVALIDITY"]
    if client.has_capability("STATUS=SIZE"):
        items.append(b"SIZE")
    if client.has_capability("CONDSTORE"):
        items.append(b"HIGHESTMODSEQ")
    return items


def _name(raw: Any) -> str:
    if isinstance(raw, int):  # a folder named with digits only
        return str(raw)
    return str(decode_utf7(raw))


def _quote(name: str) -> bytes:
    encoded: bytes = encode_utf7(name)
    return b'"' + encoded.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def _states(data: list[Any]) -> States:
    """Untagged STATUS answers (as imaplib keeps them, a literal name split from the
    rest of its line) by folder name; nothing when they do not read as name and items."""
    parsed = parse_response([x for x in data if x not in (b"", None)])
    found: States = {}
    for k in range(0, len(parsed) - 1, 2):
        raw, pairs = parsed[k], parsed[k + 1]
        if not isinstance(raw, bytes | int) or not isinstance(pairs, tuple):
            return {}  # out of step: each folder is asked alone instead
        found[_name(raw)] = {
            bytes(pairs[j]).upper(): int(pairs[j + 1])
            for j in range(0, len(pairs) - 1, 2)
            if isinstance(pairs[j + 1], int)
        }
    return found


def _list_status(client: IMAPClient, items: list[bytes]) -> tuple[list[ImapFolder], States]:
    imap = client._imap  # noqa: SLF001 - imaplib's connection, for a command imapclient lacks
    imap.untagged_responses.pop("STATUS", None)
    wanted = b"(STATUS (" + b" ".join(items) + b"))"
    tag = imap._command("LIST", b'""', b'"*"', b"RETURN", wanted)  # noqa: SLF001
    typ, data = imap._command_complete("LIST", tag)  # noqa: SLF001
    typ, listed = imap._untagged_response(typ, data, "LIST")  # noqa: SLF001
    statuses = imap.untagged_responses.pop("STATUS", [])
    if typ != "OK":
        raise imap.error(f"LIST-STATUS: {typ} {listed}")
    folders: list[ImapFolder] = []
    entries = parse_response([x for x in listed if x not in (b"", None)])
    for k in range(0, len(entries) - 2, 3):
        flags, _delimiter, raw = entries[k : k + 3]
        lowered = {f.lower() for f in flags}
        if b"\\noselect" in lowered or b"\\nonexistent" in lowered:
            continue
        name = _name(raw)
        folders.append(ImapFolder(name, role_of(name, tuple(flags))))
    return folders, _states(statuses)


def pipelined_status(client: IMAPClient, names: list[str], items: list[bytes]) -> States:
    """STATUS of each folder, all sent in one write, then all answers read."""
    if not names:
        return {}
    imap = client._imap  # noqa: SLF001 - imaplib keeps each tag's answer apart
    imap.untagged_responses.pop("STATUS", None)
    wanted = b"(" + b" ".join(items) + b")"
    tags = [imap._new_tag() for _ in names]  # noqa: SLF001
    imap.send(
        b"".join(
            tag + b" STATUS " + _quote(n) + b" " + wanted + b"\r\n"
            for tag, n in zip(tags, names, strict=True)
        )
    )
    for tag in tags:
        try:
            imap._command_complete("STATUS", tag)  # noqa: SLF001
        except imap.abort:
            raise
        except imap.error:  # refused: that folder is asked again alone
            continue
    return _states(imap.untagged_responses.pop("STATUS", []))


def folders_and_states(client: IMAPClient, items: list[bytes]) -> tuple[list[ImapFolder], States]:
    """Selectable folders and the STATUS of those the server gave in one go.

    Raises:
        imaplib.IMAP4.abort, OSError, EOFError: the connection dropped.
    """
    if client.has_capability("LIST-STATUS"):
        try:
            return _list_status(client, items)
        except client._imap.abort:  # noqa: SLF001
            raise
        except client._imap.error:  # noqa: SLF001 - refused after all: the other way
            pass
    folders = list_folders(client)
    return folders, pipelined_status(client, [f.name for f in folders], items)
