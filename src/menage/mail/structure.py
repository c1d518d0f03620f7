"""Attachments from a message's structure: IMAP BODYSTRUCTURE, or a parsed local message.

Sizes are the encoded sizes (what the part weighs in the mailbox), as BODYSTRUCTURE
gives them; a 50 MB attachment is described without being downloaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from email.message import Message
from typing import Any

from menage.mail.headers import text
from menage.mail.model import Attachment


def _s(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        if value.isascii() and b"=?" not in value:
            return value.decode("ascii")  # what text() gives, without the call
        return text(value.decode("utf-8", "replace"))
    return text(value)


def _params(value: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(value, list | tuple):
        items = list(value)
        for k in range(0, len(items) - 1, 2):
            out[_s(items[k]).lower()] = _s(items[k + 1])
    return out


def _leaves(node: Any) -> Iterator[tuple[Any, ...]]:
    # multipart: a list of parts first, then the subtype; leaf: (type, subtype, ...)
    if isinstance(node, tuple | list) and node and isinstance(node[0], list | tuple):
        parts = node[0] if isinstance(node[0], list) else [node[0]]
        if isinstance(node[0], list):
            for part in parts:
                yield from _leaves(part)
            return
        # imapclient's BodyData: the parts are the leading tuple items
        for item in node:
            if isinstance(item, list | tuple) and item and not isinstance(item, bytes):
                yield from _leaves(item)
        return
    if isinstance(node, tuple | list) and len(node) >= 7:
        yield tuple(node)


def from_bodystructure(structure: Any) -> tuple[Attachment, ...]:
    """Attachments named by an IMAP BODYSTRUCTURE (as imapclient parses it)."""
    found: list[Attachment] = []
    if structure is None:
        return ()
    for leaf in _leaves(structure):
        try:
            maintype, subtype = _s(leaf[0]).lower(), _s(leaf[1]).lower()
            params = _params(leaf[2])
            size = int(leaf[6]) if isinstance(leaf[6], int) else 0
        except (IndexError, TypeError, ValueError):
            continue
        # the disposition sits after the type-specific fields (text: lines; message: more)
        disposition: dict[str, str] = {}
        kind = ""
        for item in leaf[7:]:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], bytes):
                kind = _s(item[0]).lower()
                disposition = _params(item[1])
                break
        name = disposition.get("filename") or params.get("name") or ""
        if kind == "attachment" or name or maintype not in ("text", "multipart"):
            if maintype == "text" and not name:
                continue
            found.append(Attachment(name, f"{maintype}/{subtype}", size))
    return tuple(found)


def from_message(message: Message) -> tuple[Attachment, ...]:
    """Attachments of a parsed local message, with their encoded sizes."""
    found: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            name = text(part.get_filename() or "")
        except (UnicodeError, LookupError, ValueError):
            name = ""
        disposition = (part.get_content_disposition() or "").lower()
        maintype = part.get_content_maintype()
        if not (disposition == "attachment" or name or maintype not in ("text", "multipart")):
            continue
        if maintype == "text" and not name:
            continue
        payload = part.get_payload()
        size = len(payload) if isinstance(payload, str | bytes) else 0
        found.append(Attachment(name, part.get_content_type(), size))
    return tuple(found)
