"""Read each duplicate finder's report back into groups of raw (bytes) paths.

Every parser returns ``list[list[bytes]]``: one list per reported group, paths exactly as the
tool wrote them (relative to where it ran, or absolute). Names are bytes on Linux, and these
reports carry names that are not UTF-8 and names holding a newline; each parser keeps them.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
from collections.abc import Callable
from typing import Any, BinaryIO

Groups = list[list[bytes]]
#: does this (raw) path exist? Used to mend names that a line-based format split in two.
Exists = Callable[[bytes], bool]


def parse_blank_line_groups(data: bytes, exists: Exists | None = None) -> Groups:
    """fdupes / jdupes text output: one path per line, groups separated by a blank line.

    A newline inside a name makes this format ambiguous. With ``exists``, a line that is not
    an existing path is joined to the following ones (with the newline back) until the
    joined name exists, which recovers such names when the tree is at hand.
    """
    groups: Groups = []
    for block in data.split(b"\n\n"):
        lines = block.split(b"\n")
        while lines and not lines[-1]:
            lines.pop()
        if not lines:
            continue
        groups.append(_mend_split_names(lines, exists) if exists else lines)
    return groups


def _mend_split_names(lines: list[bytes], exists: Exists) -> list[bytes]:
    mended: list[bytes] = []
    i = 0
    while i < len(lines):
        name = lines[i]
        j = i
        if not exists(name):
            candidate = name
            for k in range(i + 1, len(lines)):
                candidate += b"\n" + lines[k]
                if exists(candidate):
                    name, j = candidate, k
                    break
        mended.append(name)
        i = j + 1
    return mended


def parse_nul_groups(data: bytes) -> Groups:
    """``jdupes -0``, ``menage scan --print0``: NUL after each path, an empty entry ends a group."""
    groups: Groups = []
    current: list[bytes] = []
    for entry in data.split(b"\0"):
        if entry:
            current.append(entry)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def parse_duff_nul(data: bytes) -> Groups:
    """``duff -0``: a header ``N files in cluster M (...)`` then N paths, all NUL-terminated.

    The count in the header says where the group ends, so no name can be mistaken for a header.
    """
    entries = data.split(b"\0")
    groups: Groups = []
    i = 0
    while i < len(entries):
        header = entries[i]
        i += 1
        if not header:
            continue
        count_text, _, rest = header.partition(b" ")
        if not count_text.isdigit() or not rest.startswith(b"files in cluster"):
            raise ValueError(f"duff output: unexpected header {header!r}")
        count = int(count_text)
        groups.append(entries[i : i + count])
        i += count
    return groups


def parse_rdfind(data: bytes) -> Groups:
    """rdfind ``results.txt``: ``duptype id depth size device inode priority name`` per line.

    A group starts at ``DUPTYPE_FIRST_OCCURRENCE`` (id N) and its other members carry id -N.
    A line that starts with neither ``DUPTYPE_`` nor ``#`` continues the previous name (the
    name held a newline).
    """
    groups: dict[int, list[bytes]] = {}
    last: tuple[int, int] | None = None
    for line in data.split(b"\n"):
        if line.startswith(b"DUPTYPE_"):
            fields = line.split(b" ", 7)
            if len(fields) != 8:
                raise ValueError(f"rdfind output: unexpected line {line!r}")
            group_id = abs(int(fields[1]))
            members = groups.setdefault(group_id, [])
            members.append(fields[7])
            last = (group_id, len(members) - 1)
        elif line.startswith(b"#"):  # the header and the "# end of file" footer
            last = None
        elif not line or last is None:
            continue
        else:
            group_id, index = last
            groups[group_id][index] += b"\n" + line
    return [members for members in groups.values() if len(members) > 1]


def parse_rmlint_json(data: bytes) -> Groups:
    """rmlint ``-o json:FILE``: entries of ``type: duplicate_file``, each group consecutive.

    rmlint writes names as raw bytes inside the JSON strings, so the file is not valid UTF-8:
    it is decoded with ``surrogateescape`` and ``os.fsencode`` gives each name's bytes back.
    A group is the ``twins`` entries starting at the first one (rmlint's own group size).
    """
    document = json.loads(data.decode("utf-8", "surrogateescape"))
    entries = [e for e in document if isinstance(e, dict) and e.get("type") == "duplicate_file"]
    groups: Groups = []
    i = 0
    while i < len(entries):
        twins = int(entries[i]["twins"])
        if twins < 1:
            raise ValueError(f"rmlint output: group of {twins} at entry {i}")
        groups.append([os.fsencode(e["path"]) for e in entries[i : i + twins]])
        i += twins
    return groups


def parse_menage_json(data: bytes) -> Groups:
    """``menage scan --json`` given whole: see :func:`read_menage_json`."""
    return read_menage_json(io.BytesIO(data))


def read_menage_json(stream: BinaryIO) -> Groups:
    """``menage scan --json``: ``duplicates.items[].paths``, one path per file (inode).

    The JSON is ASCII; names that are not UTF-8 are PEP 383 surrogate escapes, which
    ``os.fsencode`` turns back into the exact bytes. Extra hardlinks of a member are listed
    apart (``files[].links``) as what they are, not as copies, so they are not read here.
    The report is read as a stream, one group at a time, the other sections skipped: at
    ten million files it is some 4 GB of text, which parsed whole would not fit in memory.
    """
    reader = _JsonStream(stream)
    _enter(reader, ("duplicates", "items"))
    groups: Groups = []
    if reader.next_is("]"):
        return groups
    while True:
        item = reader.value()
        groups.append([os.fsencode(p) for p in item["paths"]])
        if reader.next_is("]"):
            return groups
        reader.expect(",")


def _enter(reader: _JsonStream, keys: tuple[str, ...]) -> None:
    """Go into the array at ``keys`` (object keys from the top), past its ``[``."""
    for wanted in keys:
        reader.expect("{")
        while True:
            key = reader.value()
            reader.expect(":")
            if key == wanted:
                break
            reader.value()  # another section, before the one wanted: skipped
            if reader.next_is("}"):
                raise ValueError(f"no {wanted!r} in the report")
            reader.expect(",")
    reader.expect("[")


class _JsonStream:
    """JSON values read one after the other from a byte stream, a few megabytes at a time."""

    CHUNK = 1 << 24
    _SPACE = re.compile(r"[ \t\n\r]*")

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._decode = codecs.getincrementaldecoder("utf-8")().decode
        self._parse = json.JSONDecoder().raw_decode
        self._text, self._at, self._ended = "", 0, False

    def _more(self) -> bool:
        """Append the next chunk to what is left of the text; False at the end."""
        if self._ended:
            return False
        chunk = self._stream.read(self.CHUNK)
        self._ended = not chunk
        self._text = self._text[self._at :] + self._decode(chunk, final=self._ended)
        self._at = 0
        return not self._ended

    def _skip_space(self) -> None:
        while True:
            found = self._SPACE.match(self._text, self._at)
            self._at = found.end() if found else self._at
            if self._at < len(self._text) or not self._more():
                return

    def next_is(self, char: str) -> bool:
        """Whether the next character is ``char`` (taken when it is)."""
        self._skip_space()
        if self._text.startswith(char, self._at):
            self._at += 1
            return True
        return False

    def expect(self, char: str) -> None:
        if not self.next_is(char):
            shown = self._text[self._at : self._at + 20]
            raise ValueError(f"expected {char!r} in the report, found {shown!r}")

    def value(self) -> Any:
        """The next whole value; read on while the text ends inside it."""
        self._skip_space()
        while True:
            try:
                value, end = self._parse(self._text, self._at)
            except json.JSONDecodeError:
                if self._more():
                    continue
                raise
            # a number that ends the text may go on in the next chunk
            if end == len(self._text) and self._more():
                continue
            self._at = end
            return value


_STFU8 = re.compile(rb"\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|[\\ntr0])")


def _unescape_fclones(text: str) -> bytes:
    """fclones writes names in "STFU-8": bytes that are not UTF-8 as ``\\xHH``, a
    backslash as ``\\\\``, control characters as ``\\n``, ``\\t``, ``\\r`` or ``\\u{HH}``."""

    def replace(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code.startswith(b"x"):
            return bytes([int(code[1:], 16)])
        if code.startswith(b"u"):
            return chr(int(code[2:-1], 16)).encode("utf-8")
        return {b"\\": b"\\", b"n": b"\n", b"t": b"\t", b"r": b"\r", b"0": b"\0"}[code]

    return _STFU8.sub(replace, text.encode("utf-8"))


def parse_fclones_json(data: bytes) -> Groups:
    """``fclones group -f json``: ``groups[].files``, absolute paths in STFU-8 (see above).

    fclones lists every hardlink of a member as a path of the group; the scorer counts
    them by inode.
    """
    document = json.loads(data)
    return [[_unescape_fclones(p) for p in group["files"]] for group in document["groups"]]


#: parser by output format name
PARSERS: dict[str, Callable[[bytes], Groups]] = {
    "blank-lines": parse_blank_line_groups,
    "nul-groups": parse_nul_groups,
    "duff-nul": parse_duff_nul,
    "rdfind": parse_rdfind,
    "rmlint-json": parse_rmlint_json,
    "menage-json": parse_menage_json,
    "fclones-json": parse_fclones_json,
}
