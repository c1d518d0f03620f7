"""The index's listing of the last tree scanned under the same roots, as columns.

A rescan of an unchanged tree should cost little more than the walk. The ``files``
table (one row per path) is the listing's reference, but reading it back row by row
makes a Python tuple per file. Beside it, each scan stores its tree in ``listing_chunks``:
one row per chunk of :data:`CHUNK` files holding packed columns (the paths joined by
NUL bytes; device, inode, size, mtime, links and owner as 8-byte integers; the three
digests and the flags saying which are known), keyed by the scan's roots. Since index
format 7 the paths, numbers and digests are each an LZ4 block (:func:`pack`): at
200,000 files the chunks took 45 MB, written to the WAL, synced, then copied into the
database at the end of every fresh scan; packed, 10 MB.

A rescan compares the fresh walk with these columns chunk by chunk as bytes, with no
Python loop per file. When everything is equal, the digests are taken as they are, the
listing says every file is unchanged, and the scan writes nothing back (unless it
computed new digests). Otherwise the row-by-row merge of :mod:`menage.files.listing`
runs, as before.

The chunks hold exactly what ``files`` holds under their roots: every write to ``files``
drops the chunks of the roots it overlaps, in the same transaction, and a complete scan
writes its own afterwards.
"""

from __future__ import annotations

import bisect
import hashlib
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING

import lz4.block

if TYPE_CHECKING:
    from menage.files.digests import Digests
    from menage.files.tree import Tree

#: files per chunk row: about 1 MB a row. Rows of 65,536 files (5 MB) made SQLite hold
#: 60 MB more while writing 200,000 files; 8,192 add 1 MB and read as fast.
CHUNK = 8192
WIDTH = 16  # bytes of a digest (DigestColumn.WIDTH)

SCHEMA = """
CREATE TABLE listing_chunks (
    roots BLOB NOT NULL,
    seq INTEGER NOT NULL,
    total INTEGER NOT NULL,
    count INTEGER NOT NULL,
    paths BLOB NOT NULL,
    numbers BLOB NOT NULL,
    digests BLOB NOT NULL,
    known BLOB NOT NULL,
    PRIMARY KEY (roots, seq)
) WITHOUT ROWID
"""

#: any non-zero flag byte to 1
_ONE = bytes([0] + [1] * 255)
_NUMBERS = ("dev", "ino", "size", "mtime_ns", "nlink", "uid")


#: the longest a stored path may be, NUL included (PATH_MAX): what a chunk's paths can
#: unpack to at most, so that a damaged size never asks for more
PATH_MAX = 4096


def pack(column: bytes) -> bytes:
    """A chunk's column as the index stores it: an LZ4 block, its size first."""
    packed: bytes = lz4.block.compress(column, store_size=True)
    return packed


def unpack(stored: object, limit: int) -> bytes | None:
    """A stored column's bytes, at most ``limit`` of them; None when it is damaged (not
    even a blob, as a damaged row may hold)."""
    if not isinstance(stored, bytes) or len(stored) < 4:
        return None
    if int.from_bytes(stored[:4], "little") > limit:
        return None
    try:
        column: bytes = lz4.block.decompress(stored)
    except lz4.block.LZ4BlockError:
        return None
    return column


def unpack_chunk(
    count: int, paths: object, numbers: object, digests: object
) -> tuple[bytes, bytes, bytes] | None:
    """A chunk of ``count`` files' paths, numbers and digests; None when one is damaged."""
    columns = (
        unpack(paths, PATH_MAX * count),
        unpack(numbers, 8 * len(_NUMBERS) * count),
        unpack(digests, 3 * WIDTH * count),
    )
    if columns[0] is None or columns[1] is None or columns[2] is None:
        return None
    return columns[0], columns[1], columns[2]


def pack_chunks(db: sqlite3.Connection) -> None:
    """Pack the columns of every chunk stored raw (index formats 3 to 6), one at a time."""
    keys = db.execute("SELECT roots, seq FROM listing_chunks").fetchall()
    for key, seq in keys:
        paths, numbers, digests = db.execute(
            "SELECT paths, numbers, digests FROM listing_chunks WHERE roots = ? AND seq = ?",
            (key, seq),
        ).fetchone()
        db.execute(
            "UPDATE listing_chunks SET paths = ?, numbers = ?, digests = ? "
            "WHERE roots = ? AND seq = ?",
            # a damaged column stays as it is: unpacked, it reads as damaged, as before
            (
                *(pack(c) if isinstance(c, bytes) else c for c in (paths, numbers, digests)),
                key,
                seq,
            ),
        )


def roots_key(roots: Iterable[bytes]) -> bytes:
    """The key of a scan's roots: sorted, NUL-separated."""
    return b"\0".join(sorted(set(roots)))


def _overlap(a: bytes, b: bytes) -> bool:
    a, b = a.rstrip(b"/") + b"/", b.rstrip(b"/") + b"/"
    return a.startswith(b) or b.startswith(a)


def _numbers(tree: Tree, start: int, stop: int) -> bytes:
    parts = []
    for name in _NUMBERS:
        column = getattr(tree, name)
        part = column[start:stop]
        if not isinstance(part, array) or part.itemsize != 8:
            part = array("Q" if name in ("dev", "ino") else "q", part)
        parts.append(part.tobytes())
    return b"".join(parts)


class _Names:
    """The tree's paths, chunk after chunk, NUL-joined (by the core when it holds them)."""

    def __init__(self, paths: Sequence[bytes]) -> None:
        self.paths = paths
        self.iterator: Iterator[bytes] = iter(paths)
        self.start = 0

    def next(self, count: int) -> bytes:
        start, self.start = self.start, self.start + count
        joined = getattr(self.paths, "joined", None)
        if joined is not None:  # menage._native.PathBuffer
            return joined(start, start + count)  # type: ignore[no-any-return]
        return b"\0".join(islice(self.iterator, count))


class Snapshot:
    """What :func:`read` found equal to the tree: its digests' fingerprint."""

    def __init__(self, fingerprint: bytes) -> None:
        self.fingerprint = fingerprint


def _fingerprint(chunks: Iterable[tuple[bytes, bytes]]) -> bytes:
    """A hash of the digests and flags of every chunk, as the rows hold them."""
    h = hashlib.blake2b(digest_size=32)
    for digests, flags in chunks:
        h.update(digests)
        h.update(flags)
    return h.digest()


def read(db: sqlite3.Connection, tree: Tree) -> tuple[Digests, bytearray, Snapshot] | None:
    """The digests and the known masks (1 head, 2 tail, 4 full) of ``tree`` when the
    chunks of its roots hold exactly its files; None otherwise.

    The digests go straight into the tree-sized columns, chunk after chunk: nothing
    of the size of the whole tree is made twice."""
    from menage.files.digests import Digests

    n = len(tree)
    if n == 0:
        return None
    rows = db.execute(
        "SELECT seq, total, count, paths, numbers, digests, known FROM listing_chunks "
        "WHERE roots = ? ORDER BY seq",
        (roots_key(tree.roots),),
    )
    names = _Names(tree.paths)
    result = Digests(tree.size)
    masks = bytearray(n)
    h = hashlib.blake2b(digest_size=32)
    start = 0
    for number, (seq, total, count, *packed, flags) in enumerate(rows):
        stop = start + count
        if total != n or stop > n or seq != number:
            return None
        columns = unpack_chunk(count, *packed)
        if columns is None:
            return None
        paths, numbers, digests = columns
        if numbers != _numbers(tree, start, stop) or paths != names.next(count):
            return None
        h.update(digests)
        h.update(flags)
        flags = flags.translate(_ONE)
        view = memoryview(digests)
        for k, column in enumerate(result.columns()):
            column.assign(start, view[WIDTH * count * k : WIDTH * count * (k + 1)], flags[k::3])
        masks[start:stop] = _masks(flags, count)
        start = stop
    if start != n:
        return None
    return result, masks, Snapshot(h.digest())


def _masks(flags: bytes, count: int) -> bytes:
    """One byte a file, 1 head, 2 tail, 4 full, from the interleaved 0/1 flags."""
    return (
        int.from_bytes(flags[0::3], "little")
        | int.from_bytes(flags[1::3], "little") << 1
        | int.from_bytes(flags[2::3], "little") << 2
    ).to_bytes(count, "little")


class Stored:
    """The digests as the listing stores them, chunk by chunk: hardlinks share their
    inode's. Made on demand from the scan's columns, so that no copy of them exists."""

    def __init__(self, digests: Digests, links: dict[int, list[int]], n: int) -> None:
        self.columns = digests.columns()
        #: (other path, the path standing for its inode), by other path
        self.standing = sorted((o, first) for first, others in links.items() for o in others)
        self.n = n

    def chunks(self) -> Iterator[tuple[int, int, bytes, bytes]]:
        """(start, stop, digests, flags) of each chunk of :data:`CHUNK` files."""
        j = 0
        standing = self.standing
        for start in range(0, self.n, CHUNK):
            stop = min(self.n, start + CHUNK)
            data = [column.dense(start, stop) for column in self.columns]
            known = [column.flags(start, stop).translate(_ONE) for column in self.columns]
            while j < len(standing) and standing[j][0] < stop:
                other, first = standing[j]
                j += 1
                at = other - start
                for column, d, k in zip(self.columns, data, known, strict=True):
                    digest = column.get(first)
                    d[WIDTH * at : WIDTH * (at + 1)] = digest or bytes(WIDTH)
                    k[at] = digest is not None
            interleaved = bytearray(3 * (stop - start))
            interleaved[0::3], interleaved[1::3], interleaved[2::3] = known
            yield start, stop, b"".join(data), bytes(interleaved)

    def fingerprint(self) -> bytes:
        return _fingerprint((digests, flags) for _start, _stop, digests, flags in self.chunks())


def stored_columns(digests: Digests, links: dict[int, list[int]], n: int) -> Stored:
    """The digests as the listing stores them (see :class:`Stored`)."""
    return Stored(digests, links, n)


def unchanged(snapshot: Snapshot, stored: Stored) -> bool:
    """Whether the digests to store are those the snapshot held."""
    return stored.fingerprint() == snapshot.fingerprint


def _overlapping_keys(db: sqlite3.Connection, roots: Iterable[bytes]) -> list[bytes]:
    """The keys of the stored trees whose roots overlap ``roots``."""
    roots = list(roots)
    keys = [row[0] for row in db.execute("SELECT DISTINCT roots FROM listing_chunks")]
    return [k for k in keys if any(_overlap(a, b) for a in k.split(b"\0") for b in roots)]


def overlaps(db: sqlite3.Connection, roots: Iterable[bytes]) -> bool:
    """Whether a stored tree's roots overlap ``roots``."""
    return bool(_overlapping_keys(db, roots))


def drop_overlapping(db: sqlite3.Connection, roots: Iterable[bytes]) -> None:
    """Forget the chunks of every roots overlapping ``roots``: ``files`` changes there."""
    for key in _overlapping_keys(db, roots):
        db.execute("DELETE FROM listing_chunks WHERE roots = ?", (key,))
        # the report's lists went with these chunks (menage.files.report_store)
        db.execute("DELETE FROM report_reuse WHERE roots = ?", (key,))


def write(db: sqlite3.Connection, tree: Tree, stored: Stored) -> None:
    """Store ``tree`` and its digests (as :func:`stored_columns` gives them) as chunks."""
    n = len(tree)
    key = roots_key(tree.roots)
    db.execute("DELETE FROM listing_chunks WHERE roots = ?", (key,))
    db.execute("DELETE FROM report_reuse WHERE roots = ?", (key,))
    names = _Names(tree.paths)
    for seq, (start, stop, digests, flags) in enumerate(stored.chunks()):
        db.execute(
            "INSERT INTO listing_chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, seq, n, stop - start, pack(names.next(stop - start)),
             pack(_numbers(tree, start, stop)), pack(digests), flags),
        )  # fmt: skip


class Partial:
    """The chunks found equal to a slice of the tree, when not all are: their files'
    digests, known masks and path ranges (the rows merge only the rest)."""

    def __init__(self, digests: Digests, had: bytearray, ranges: list[tuple[bytes, bytes]]):
        self.digests = digests
        self.had = had
        #: (first path, last path) of each chunk taken, in path order
        self.ranges = ranges
        #: 1 for the files those chunks hold
        self.covered = bytearray(len(had))


def _position(paths: Sequence[bytes], path: bytes) -> int | None:
    find = getattr(paths, "find", None)
    if find is not None:  # menage._native.PathBuffer
        return find(path)  # type: ignore[no-any-return]
    at = bisect.bisect_left(paths, path)
    return at if at < len(paths) and paths[at] == path else None


def _joined(paths: Sequence[bytes], start: int, stop: int) -> bytes:
    joined = getattr(paths, "joined", None)
    if joined is not None:
        return joined(start, stop)  # type: ignore[no-any-return]
    return b"\0".join(paths[start:stop])


def read_partial(db: sqlite3.Connection, tree: Tree) -> Partial | None:
    """The chunks of ``tree``'s roots that still hold a slice of the tree exactly (each
    aligned on its first path), or None when none does."""
    from menage.files.digests import Digests

    n = len(tree)
    if n == 0:
        return None
    rows = db.execute(
        "SELECT count, paths, numbers, digests, known FROM listing_chunks "
        "WHERE roots = ? ORDER BY seq",
        (roots_key(tree.roots),),
    )
    digests = Digests(tree.size)
    had = bytearray(n)
    partial = Partial(digests, had, [])
    for count, *packed, flags in rows:
        columns = unpack_chunk(count, *packed)
        if columns is None:
            continue
        paths, numbers, data = columns
        end = paths.find(b"\0")
        first = paths if end < 0 else paths[:end]
        start = _position(tree.paths, first)
        if start is None or start + count > n:
            continue
        stop = start + count
        if numbers != _numbers(tree, start, stop) or paths != _joined(tree.paths, start, stop):
            continue
        flags = flags.translate(_ONE)
        view = memoryview(data)
        for k, column in enumerate(digests.columns()):
            column.assign(start, view[WIDTH * count * k : WIDTH * count * (k + 1)], flags[k::3])
        had[start:stop] = _masks(flags, count)
        partial.covered[start:stop] = b"\x01" * count
        partial.ranges.append((first, paths[paths.rfind(b"\0") + 1 :]))
    return partial if partial.ranges else None
