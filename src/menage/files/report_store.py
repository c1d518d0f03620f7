"""A scan's report stored in two parts, so that a rescan of an unchanged tree reuses
its long lists instead of encoding and compressing them again.

The JSON document of a scan (:mod:`menage.files.document`) is mostly its long lists: the
``items`` of each kind of finding (:class:`menage._jsonstream.Lazy`), 59 MB of the 60 MB
at 200,000 files. The index keeps them apart from the rest:

* ``report_lists``: the JSON text of every list of one scan, in the document's order,
  compressed together, with each list's length in bytes; several scans may share a row;
* ``scans.report``: the rest of the document (its *skeleton*), compressed, each list
  replaced by ``{"$list":N}``, and ``scans.lists`` the row of its lists;
* ``report_reuse``: for the last scan of each set of roots, the row of its lists and
  what they depend on (:class:`ReuseKey`).

A rescan takes the lists as they are when all of these hold, and only then: the walk
found exactly the files the index's listing chunks hold (:mod:`menage.files.snapshot`:
the ``report_reuse`` row goes with the chunks, dropped or rewritten in the same
transaction) and no digest changed; the rest of the tree (folders, links, special
files, exclusions, errors), the options, the language, Ménage's version, the kinds of
findings and their counts are those the key was made of; and no file crossed the
``--older-than`` limit since (the lists depend on "now" only through it: the row keeps
the cutoff it was made with and the first file date at or after it, so the old files
are the same while the new cutoff lies between the two, and never if the clock went
back); when one did, only the old files' list is made again, the others are taken as
they are (and stored again with it). The skeleton (scan number, times, totals, impact
sentences) is always made anew.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import lz4.block
import xxhash

from menage._version import __version__
from menage.files.columnar import old_cutoff_ns
from menage.files.snapshot import roots_key
from menage.i18n import language

if TYPE_CHECKING:
    from menage.files.result import ScanResult

#: bump on any change to how the lists are made or encoded
LISTS_VERSION = 1
#: the lists that depend on the clock (through the ``--older-than`` cutoff): when a file
#: crossed the limit, only these are made again, the others taken as they are
CLOCK_LISTS = frozenset({"old_files"})
#: a cutoff no file date reaches (no file will become old)
NEVER = (1 << 63) - 1
#: the lists' text is compressed in blocks of this size (LZ4, each block prefixed by its
#: compressed length, 4 bytes little-endian): read back block by block, 59 MB of lists
#: take 0.03 s to decompress (zlib: 0.15 s, and 0.4 s to compress instead of 0.13 s)
BLOCK = 1 << 20

SCHEMA = """
CREATE TABLE report_lists (
    id INTEGER PRIMARY KEY,
    lengths TEXT NOT NULL,
    checksum BLOB NOT NULL,
    texts BLOB NOT NULL
);
CREATE TABLE report_reuse (
    roots BLOB PRIMARY KEY,
    lists INTEGER NOT NULL,
    key TEXT NOT NULL,
    cutoff_ns INTEGER NOT NULL,
    next_ns INTEGER NOT NULL
) WITHOUT ROWID
"""


def placeholder(number: int) -> str:
    """What the skeleton holds in place of list ``number``."""
    return '{"$list":' + str(number) + "}"


@dataclass(frozen=True)
class ReuseKey:
    """What a scan's lists depend on, apart from the files' columns and digests."""

    #: a hash of everything else they depend on (see :func:`reuse_key`)
    key: str
    #: the old files' cutoff this scan used
    cutoff_ns: int
    #: the first file date at or after the cutoff (:data:`NEVER` when none)
    next_ns: Callable[[], int]


def _tree_hash(result: ScanResult) -> str:
    tree = result.tree
    h = hashlib.blake2b(digest_size=32)

    def part(data: bytes) -> None:
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)

    for paths in (tree.roots, tree.dirs, tree.symlinks, tree.broken_links, tree.other_devices,
                  tree.own):  # fmt: skip
        joined = getattr(paths, "joined", None)
        part(joined(0, len(paths)) if joined is not None else b"\0".join(paths))
    for column in (tree.dir_parent, tree.dir_entries, tree.dir_of):
        part(column.tobytes())
    part(b"\0".join(p + b"\0" + k.encode() for p, k in tree.specials))
    part(repr((sorted(tree.dir_unlisted), tree.excluded, len(tree))).encode())
    part(repr([(i.path, i.kind, i.detail) for i in result.issues]).encode())
    return h.hexdigest()


def reuse_key(result: ScanResult, now: float) -> ReuseKey | None:
    """The key of the scan's lists; None when they must never be reused (photos: their
    findings depend on the photo cache)."""
    if result.options.photos or result.photos is not None:
        return None
    findings = result.findings
    text = json.dumps(
        {
            "menage": __version__,
            "lists": LISTS_VERSION,
            "language": language(),
            "options": asdict(result.options),
            # the counts of the lists that depend on the clock are checked by the cutoff
            "kinds": [
                [found.kind.key, None if found.kind.key in CLOCK_LISTS else len(found)]
                for found in findings
            ],
            "settings": findings.settings,
            "tree": _tree_hash(result),
        },
        sort_keys=True,
        default=list,
    )
    cutoff = old_cutoff_ns(now, result.options.older_than_s)
    mtimes = result.tree.mtime_ns

    def next_ns() -> int:
        return min(filter(cutoff.__le__, mtimes), default=NEVER)

    return ReuseKey(hashlib.sha256(text.encode()).hexdigest(), cutoff, next_ns)


class ListsWriter:
    """The lists' text compressed as it comes, block by block (see :data:`BLOCK`)."""

    def __init__(self) -> None:
        self._pending = bytearray()
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self._pending += data
        if len(self._pending) >= BLOCK:
            self._flush()

    def _flush(self) -> None:
        block = lz4.block.compress(self._pending, store_size=True)
        self._parts.append(len(block).to_bytes(4, "little"))
        self._parts.append(block)
        self._pending.clear()

    def value(self) -> bytes:
        """Everything written, compressed."""
        if self._pending:
            self._flush()
        return b"".join(self._parts)


def blocks(texts: bytes) -> Iterator[bytes]:
    """The text of :class:`ListsWriter`'s value, block by block.

    Raises:
        ValueError: the text is damaged.
    """
    view = memoryview(texts)
    start = 0
    while start < len(view):
        size = int.from_bytes(view[start : start + 4], "little")
        block = view[start + 4 : start + 4 + size]
        if size == 0 or len(block) != size:
            raise ValueError("stored lists: a block is cut short")
        try:
            yield lz4.block.decompress(block)
        except lz4.block.LZ4BlockError as exc:
            raise ValueError(f"stored lists: {exc}") from None
        start += 4 + size


class StoredLists:
    """The lists of an earlier scan, read back block by block, list after list."""

    def __init__(
        self, lists_id: int, lengths: list[int], texts: bytes, next_ns: int, timely: bool = True
    ) -> None:
        self.id = lists_id
        #: False when a file crossed the age limit since (or the clock went back): the
        #: lists of :data:`CLOCK_LISTS` must be made again
        self.timely = timely
        #: the first file date at or after the cutoff the lists were made with
        self.next_ns = next_ns
        self.lengths = lengths
        self._texts = texts
        self._blocks = self._decompress()
        self._pending = b""

    def _decompress(self) -> Iterator[bytes]:
        return blocks(self._texts)

    def take(self, number: int) -> Iterator[bytes]:
        """The text of list ``number`` (lists are taken in order, each once).

        Raises:
            ValueError: the stored text is shorter than its lengths say.
        """
        left = self.lengths[number]
        while left:
            if not self._pending:
                self._pending = next(self._blocks, b"")
                if not self._pending:
                    raise ValueError("stored lists: text too short")
            block, self._pending = self._pending[:left], self._pending[left:]
            left -= len(block)
            yield block


def reusable(db: sqlite3.Connection, roots: list[bytes], key: ReuseKey) -> StoredLists | None:
    """The lists stored for ``roots`` when ``key`` says they are still the scan's."""
    row = db.execute(
        "SELECT r.lists, r.key, r.cutoff_ns, r.next_ns, l.lengths, l.checksum, l.texts "
        "FROM report_reuse r JOIN report_lists l ON l.id = r.lists WHERE r.roots = ?",
        (roots_key(roots),),
    ).fetchone()
    if row is None:
        return None
    lists_id, stored_key, cutoff_ns, next_ns, lengths, checksum, texts = row
    if stored_key != key.key:
        return None
    if checksum != _checksum(texts):
        return None  # damaged: made again
    try:
        found = json.loads(lengths)
    except ValueError:
        return None
    if not isinstance(found, list) or not all(isinstance(n, int) and n >= 0 for n in found):
        return None
    timely = cutoff_ns <= key.cutoff_ns <= next_ns
    return StoredLists(lists_id, found, texts, int(next_ns), timely)


def _checksum(texts: bytes) -> bytes:
    return xxhash.xxh3_128_digest(texts)


def store_lists(db: sqlite3.Connection, lengths: list[int], texts: bytes) -> int:
    """Keep a scan's lists; returns their row."""
    cursor = db.execute(
        "INSERT INTO report_lists (lengths, checksum, texts) VALUES (?, ?, ?)",
        (json.dumps(lengths), _checksum(texts), texts),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def remember(
    db: sqlite3.Connection, roots: list[bytes], lists_id: int, key: ReuseKey, next_ns: int
) -> None:
    """Say that the lists ``lists_id`` are those of the tree the chunks of ``roots`` hold."""
    db.execute(
        "INSERT OR REPLACE INTO report_reuse VALUES (?, ?, ?, ?, ?)",
        (roots_key(roots), lists_id, key.key, key.cutoff_ns, next_ns),
    )


def forget(db: sqlite3.Connection, roots_keys: list[bytes]) -> None:
    """The chunks of these roots change: their lists are no longer known to be theirs."""
    db.executemany("DELETE FROM report_reuse WHERE roots = ?", [(k,) for k in roots_keys])


def splice(skeleton: Any, texts: Callable[[int], bytes]) -> Any:
    """``skeleton`` (parsed) with each ``{"$list": N}`` replaced by list N, parsed."""
    if isinstance(skeleton, dict):
        if len(skeleton) == 1 and isinstance(skeleton.get("$list"), int):
            return json.loads(texts(skeleton["$list"]))
        return {key: splice(value, texts) for key, value in skeleton.items()}
    if isinstance(skeleton, list):
        return [splice(value, texts) for value in skeleton]
    return skeleton


def read_lists(db: sqlite3.Connection, lists_id: int) -> list[bytes] | None:
    """Every list of a stored row, as JSON text; None when the row is missing."""
    row = db.execute("SELECT lengths, texts FROM report_lists WHERE id = ?", (lists_id,)).fetchone()
    if row is None:
        return None
    lengths = json.loads(row[0])
    data = b"".join(blocks(row[1]))
    texts, start = [], 0
    for length in lengths:
        texts.append(data[start : start + length])
        start += length
    if start != len(data):
        raise ValueError("stored lists: lengths and text differ")
    return texts
