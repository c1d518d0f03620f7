"""How file names are shown and serialised without losing a byte.

Names on Linux are bytes. Ménage keeps them as bytes internally and offers two
reversible text forms:

* **escaped** (terminal, CSV): valid UTF-8 text, with ``\\\\`` for a backslash,
  ``\\n``, ``\\t``, ``\\r`` and ``\\xNN`` for control characters and for bytes that
  are not UTF-8. :func:`unescape` gives the exact bytes back.
* **JSON**: the PEP 383 "surrogateescape" decoding: each byte that is not UTF-8
  becomes the code point U+DC80+byte, written ``\\udcNN`` in ASCII-only JSON.
  The text is valid JSON; ``os.fsencode(path)`` in Python (or mapping
  U+DC80..U+DCFF back to bytes) gives the exact name back.
"""

from __future__ import annotations

import re

_SPECIAL = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r"[\\\x00-\x1f\x7f\udc80-\udcff]")
_ESCAPE_SEQUENCE = re.compile(rb"\\(x[0-9a-fA-F]{2}|[\\ntr])")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SPECIAL:
        return _SPECIAL[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}"


def escape(path: bytes) -> str:
    """The escaped, printable and reversible text form of a path."""
    text = path.decode("utf-8", "surrogateescape")
    return _NEEDS_ESCAPE.sub(_escape_char, text)


def unescape(text: str) -> bytes:
    """Reverse :func:`escape`."""

    def replace(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code.startswith(b"x"):
            return bytes([int(code[1:], 16)])
        return {b"\\": b"\\", b"n": b"\n", b"t": b"\t", b"r": b"\r"}[code]

    return _ESCAPE_SEQUENCE.sub(replace, text.encode("utf-8"))


def to_json(path: bytes) -> str:
    """The JSON string form of a path (see the module docstring)."""
    return path.decode("utf-8", "surrogateescape")


def from_json(text: str) -> bytes:
    """Reverse :func:`to_json`."""
    return text.encode("utf-8", "surrogateescape")
