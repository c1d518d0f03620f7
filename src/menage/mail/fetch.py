"""One ``UID FETCH`` over a whole UID range, read and parsed as a stream.

imapclient's general response parser reads byte by byte in Python; for the fixed items
Ménage asks for it was most of an analysis' time. Here the command is sent on the
client's own connection, the answer is read in large chunks, cut into responses (a
response may carry literals, ``{n}`` then n bytes), and each response is tokenised with
one regular expression. Messages are handed over as soon as their response is whole, so
a connection that drops mid-answer loses none of the messages already received.

Values come as imapclient gives them: numbers as ``int``, ``NIL`` as ``None``, strings
and atoms as ``bytes``, parenthesised lists as tuples, so a BODYSTRUCTURE is a tree of
tuples whose leading children are the parts of a multipart.
"""

from __future__ import annotations

import imaplib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from imapclient import IMAPClient

CHUNK = 1 << 18
_TOKEN = re.compile(rb'[()]|"(?:[^"\\\r\n]|\\.)*"|[^\s()"\[\]]+(?:\[[^\]]*\][^\s()]*)?')
_ESCAPED = re.compile(rb"\\(.)")
_LITERAL = re.compile(rb"\{(\d+)\+?\}$")


class FetchRefused(Exception):
    """The server answered the FETCH with NO or BAD."""


def uid_set(uids: Iterable[int]) -> bytes:
    """``1:5000,5002,5004:5010``: sorted UIDs as IMAP ranges."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    k = 0
    while k < len(ordered):
        end = k
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = ordered[k], ordered[end]
        parts.append(str(first) if first == last else f"{first}:{last}")
        k = end + 1
    return ",".join(parts).encode()


def _frame(buf: bytearray, start: int) -> tuple[int, list[bytes]] | None:
    """The end of the response starting at ``start`` and its pieces (text and literals
    alternating: text first, then each literal and the text after it), or None when it
    is not all here."""
    pieces: list[bytes] = []
    i = start
    while True:
        nl = buf.find(b"\r\n", i)
        if nl < 0:
            return None
        if nl > i and buf[nl - 1] == 0x7D:  # "}": a literal follows the line
            found = _LITERAL.search(buf, i, nl)
            if found is not None:
                size = int(found.group(1))
                body = nl + 2
                if len(buf) < body + size:
                    return None
                pieces.append(bytes(buf[i : found.start()]))
                pieces.append(bytes(buf[body : body + size]))
                i = body + size
                continue
        pieces.append(bytes(buf[i:nl]))
        return nl + 2, pieces


def parse(pieces: list[bytes]) -> list[Any]:
    """The values of one framed response (nested lists become tuples)."""
    stack: list[list[Any]] = [[]]
    top = stack[0]
    for index, piece in enumerate(pieces):
        if index % 2:  # a literal
            top.append(piece)
            continue
        for token in _TOKEN.findall(piece):
            first = token[0]
            if first == 0x28:  # (
                stack.append([])
                top = stack[-1]
            elif first == 0x29:  # )
                if len(stack) > 1:
                    done = tuple(stack.pop())
                    top = stack[-1]
                    top.append(done)
            elif first == 0x22:  # "
                value = token[1:-1]
                top.append(_ESCAPED.sub(rb"\1", value) if b"\\" in value else value)
            elif token.isdigit():
                top.append(int(token))
            elif token == b"NIL":
                top.append(None)
            else:
                top.append(token)
    while len(stack) > 1:  # unbalanced: close what is open rather than fail
        done = tuple(stack.pop())
        stack[-1].append(done)
    return stack[0]


def _items(values: list[Any]) -> dict[bytes, Any] | None:
    """A FETCH response's items by upper-case name, or None for any other response."""
    if len(values) < 4 or not isinstance(values[2], bytes) or values[2].upper() != b"FETCH":
        return None
    pairs = values[3]
    if not isinstance(pairs, tuple):
        return None
    items: dict[bytes, Any] = {}
    for k in range(0, len(pairs) - 1, 2):
        name = pairs[k]
        if isinstance(name, bytes):
            items[name.upper()] = pairs[k + 1]
    return items


def stream_fetch(
    client: IMAPClient,
    uids: Iterable[int] | bytes,
    items: list[bytes],
    modifiers: bytes = b"",
) -> Iterator[tuple[int, dict[bytes, Any]]]:
    """``UID FETCH`` of ``uids`` (sent as ranges in one command, or given as an IMAP
    UID set such as ``b"101:200"``): (uid, items) pairs as they arrive.

    Raises:
        FetchRefused: the server said NO or BAD.
        imaplib.IMAP4.abort, OSError, EOFError: the connection dropped (or BYE).
    """
    imap = client._imap  # noqa: SLF001 - the connection imapclient opened and logged in
    tag = imap._new_tag()  # noqa: SLF001 - numbered like imapclient's own commands
    wanted = b"(UID " + b" ".join(items) + b")"
    extra = b" (" + modifiers + b")" if modifiers else b""
    wanted_uids = uids if isinstance(uids, bytes) else uid_set(uids)
    imap.send(tag + b" UID FETCH " + wanted_uids + b" " + wanted + extra + b"\r\n")
    try:
        yield from _answers(imap.file, tag)
    finally:
        imap.tagged_commands.pop(tag, None)


def _answers(reader: Any, tag: bytes) -> Iterator[tuple[int, dict[bytes, Any]]]:
    buf = bytearray()
    pos = 0
    prefix = tag + b" "
    finished: bytes | None = None
    while finished is None or pos < len(buf):
        framed = _frame(buf, pos)
        if framed is None:
            if pos:
                del buf[:pos]
                pos = 0
            chunk = reader.read1(CHUNK)
            if not chunk:
                raise EOFError("the server closed the connection")
            buf += chunk
            continue
        end, pieces = framed
        head = pieces[0]
        pos = end
        if head.startswith(prefix):
            finished = head[len(prefix) :]
            continue
        if head.startswith(b"* BYE"):
            raise imaplib.IMAP4.abort(head.decode("utf-8", "replace"))
        if finished is not None or not head.startswith(b"* "):
            # unsolicited after the answer (read with it, so consumed here) or a
            # continuation request, which has no place here: skipped
            continue
        found = _items(parse(pieces))
        if found is None:
            continue  # EXISTS, EXPUNGE, ...: the next analysis sees them
        uid = found.get(b"UID")
        if isinstance(uid, int):
            yield uid, found
    if finished.split(b" ", 1)[0].upper() != b"OK":
        raise FetchRefused(finished.decode("utf-8", "replace"))
