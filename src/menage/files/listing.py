"""The index's file listing and the digests it keeps: the hash cache.

Rows are read and written in path order, merged with the tree (sorted by path too),
so that a rescan compares every file without holding the old listing in memory and
rewrites only the rows that changed.
"""

from __future__ import annotations

import bisect
import heapq
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from menage.files import chunk_rows

if TYPE_CHECKING:
    from menage.files.digests import Digests
    from menage.files.snapshot import Partial, Snapshot
    from menage.files.tree import Tree


@dataclass
class Listing:
    """What the index knew of a tree's files before this scan.

    ``unchanged[i]`` is 1 when file ``i``'s row is identical to what the walk saw;
    ``had[i]`` tells which digests that row held (1 head, 2 tail, 4 full), so that
    rows are rewritten only when something changed. ``stale`` are paths the index
    lists under the roots that are gone.
    """

    unchanged: bytearray
    had: bytearray
    stale: list[bytes]
    #: set when the columns of :mod:`menage.files.snapshot` held exactly this tree
    snapshot: Snapshot | None = None


@dataclass(frozen=True)
class FileRow:
    """One file as the index last saw it."""

    path: bytes
    dev: int
    ino: int
    size: int
    mtime_ns: int
    nlink: int
    uid: int


def outer_roots(roots: list[bytes]) -> list[bytes]:
    """Roots not inside another root, sorted: their path ranges do not overlap."""
    outer: list[bytes] = []
    for root in sorted(r.rstrip(b"/") + b"/" for r in roots):
        if not any(root.startswith(o) for o in outer):
            outer.append(root)
    return outer


def _gaps(root: bytes, covered: list[tuple[bytes, bytes]]) -> Iterator[tuple[bool, bytes, bytes]]:
    """The path ranges under ``root`` outside the ``covered`` ones (sorted, inclusive):
    whether the lower bound is excluded, and the two bounds."""
    strict, low, high = False, root, root[:-1] + b"0"
    for first, last in covered:
        if last < low or first >= high:
            continue
        yield strict, low, first
        strict, low = True, last
    yield strict, low, high


def _rows(
    db: sqlite3.Connection,
    owned: chunk_rows.Owned,
    columns: str,
    low: bytes,
    high: bytes,
    strict: bool = False,
) -> Iterator[Any]:
    """The listing's rows between ``low`` and ``high`` (``low`` excluded when ``strict``),
    by path: those of ``files`` and those of the chunks that are their only copy
    (:mod:`menage.files.chunk_rows`), each row with ``columns`` (a prefix of the
    table's)."""
    width = columns.count(",") + 1
    table = db.execute(
        f"SELECT {columns} FROM files WHERE path {'>' if strict else '>='} ? AND path < ? "
        "ORDER BY path",
        (low, high),
    )
    parts = owned.between(low, high, strict)
    if not parts:
        return table
    cut = itemgetter(*range(width))
    return heapq.merge(table, *(map(cut, part) for part in parts), key=itemgetter(0))


def read_cached(
    db: sqlite3.Connection, tree: Tree, partial: Partial | None = None
) -> tuple[Digests, Listing]:
    """Digests the index holds for the files of ``tree``, still valid, and what
    changed since the index last saw them.

    A digest is valid when device, inode, size and mtime are unchanged. Files are
    found by path and, for a path the index does not know, by inode among the
    paths that are gone, so that a file renamed or moved within the scanned
    folders is not read again. With ``partial`` (the listing's chunks still equal to
    slices of the tree), only the rows outside those chunks are read.
    """
    from menage.files.digests import Digests

    n = len(tree)
    paths, devs, inos = tree.paths, tree.dev, tree.ino
    sizes, mtimes, nlinks, uids = tree.size, tree.mtime_ns, tree.nlink, tree.uid
    if partial is None:
        digests, had, unchanged = Digests(sizes), bytearray(n), bytearray(n)
        covered: list[tuple[bytes, bytes]] = []
    else:
        digests, had, unchanged = partial.digests, partial.had, bytearray(partial.covered)
        covered = partial.ranges
    stale: list[bytes] = []
    matched = bytearray(unchanged)
    #: digests of gone paths, by inode: a file renamed or moved within the roots
    gone: dict[tuple[int, int], tuple[int, int, bytes | None, bytes | None, bytes | None]] = {}
    j = 0  # the tree's files are sorted by path, as the rows are
    owned = chunk_rows.Owned(db)
    ranges = (gap for root in outer_roots(tree.roots) for gap in _gaps(root, covered))
    for strict, low, high in ranges:
        rows = _rows(db, owned, "path, dev, ino, size, mtime_ns, nlink, uid, head, tail, full",
                     low, high, strict)  # fmt: skip
        j = bisect.bisect_left(paths, low, j)  # over the files of the chunks taken
        for path, dev, ino, size, mtime_ns, nlink, uid, head, tail, full in rows:
            while j < n and paths[j] < path:
                j += 1
            if j >= n or paths[j] != path:
                stale.append(path)
                if head is not None or full is not None:
                    gone[(dev, ino)] = (size, mtime_ns, head, tail, full)
                continue
            i = j
            matched[i] = 1
            if (dev, ino, size, mtime_ns) != (devs[i], inos[i], sizes[i], mtimes[i]):
                continue
            had[i] = _take(digests, i, head, tail, full)
            unchanged[i] = nlink == nlinks[i] and uid == uids[i]
    if gone:
        _find_moved(tree, matched, gone, digests)
    return digests, Listing(unchanged, had, stale)


def _take(
    digests: Digests, i: int, head: bytes | None, tail: bytes | None, full: bytes | None
) -> int:
    mask = 0
    if head is not None:
        digests.head[i] = head
        mask |= 1
    if tail is not None:
        digests.tail[i] = tail
        mask |= 2
    if full is not None:
        digests.full[i] = full
        mask |= 4
    return mask


def _find_moved(
    tree: Tree,
    matched: bytearray,
    gone: dict[tuple[int, int], tuple[int, int, bytes | None, bytes | None, bytes | None]],
    digests: Digests,
) -> None:
    """Digests of new paths whose inode the index knew under a path now gone."""
    for i in range(len(tree)):
        if matched[i]:
            continue
        found = gone.get((tree.dev[i], tree.ino[i]))
        if found is not None and found[:2] == (tree.size[i], tree.mtime_ns[i]):
            _take(digests, i, *found[2:])


#: files compared at once, as bytes, when looking for the rows to write
_BLOCK = 4096
_ONE = bytes([0] + [1] * 255)


def _masks(digests: Digests, standing_for: dict[int, int]) -> bytearray:
    """Which digests each file's row will hold (1 head, 2 tail, 4 full)."""
    n = digests.full.n
    value = 0
    for shift, column in enumerate(digests.columns()):
        value |= int.from_bytes(column.flags().translate(_ONE), "little") << shift
    masks = bytearray(value.to_bytes(n, "little"))
    for other, first in standing_for.items():
        masks[other] = masks[first]
    return masks


def _candidates(unchanged: bytearray, had: bytearray, masks: bytearray) -> Iterator[int]:
    """Files whose row may need writing: changed, or holding other digests now; found
    block by block as bytes, without looking at each file of an unchanged stretch."""
    n = len(unchanged)
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        if had[start:stop] == masks[start:stop] and unchanged.find(0, start, stop) < 0:
            continue
        yield from range(start, stop)


def write_listing(
    db: sqlite3.Connection,
    tree: Tree,
    digests: Digests,
    listing: Listing,
    links: dict[int, list[int]],
) -> None:
    """Write the rows that changed; hardlinks share their inode's digests."""
    standing_for = {other: first for first, others in links.items() for other in others}
    head, tail, full = digests.head, digests.tail, digests.full
    unchanged, had = listing.unchanged, listing.had
    paths, devs, inos = tree.paths, tree.dev, tree.ino
    sizes, mtimes, nlinks, uids = tree.size, tree.mtime_ns, tree.nlink, tree.uid

    def rows() -> Iterator[tuple[object, ...]]:
        for i in _candidates(unchanged, had, _masks(digests, standing_for)):
            d = standing_for.get(i, i)
            h, t, f = head.get(d), tail.get(d), full.get(d)
            mask = (h is not None) | (t is not None) << 1 | (f is not None) << 2
            if unchanged[i] and mask == had[i]:
                continue
            yield (paths[i], devs[i], inos[i], sizes[i], mtimes[i], nlinks[i], uids[i], h, t, f)

    db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    db.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in listing.stale))


def has_rows_under(db: sqlite3.Connection, roots: list[bytes]) -> bool:
    """Whether the ``files`` table holds a row under ``roots`` (the chunks' rows are
    under their own roots: :func:`menage.files.snapshot.overlaps`)."""
    query = "SELECT 1 FROM files WHERE path >= ? AND path < ? LIMIT 1"
    return any(
        db.execute(query, (root, root[:-1] + b"0")).fetchone() is not None
        for root in outer_roots(roots)
    )


def rows_under(db: sqlite3.Connection, roots: list[bytes]) -> Iterator[FileRow]:
    """Every file the listing holds under ``roots``, by path."""
    owned = chunk_rows.Owned(db)
    for root in outer_roots(roots):
        rows = list(
            _rows(db, owned, "path, dev, ino, size, mtime_ns, nlink, uid", root, root[:-1] + b"0")
        )
        for row in rows:
            yield FileRow(*row)


def old_file_items(rows: Iterable[FileRow], cutoff_ns: int) -> list[dict[str, Any]]:
    """The old files of a listing, in the JSON form of the scan's ``old_files`` items:
    one per inode, modified before ``cutoff_ns``, biggest first, then by path."""
    old = sorted(
        (row for row in rows if row.mtime_ns < cutoff_ns), key=lambda row: (-row.size, row.path)
    )
    seen: set[tuple[int, int]] = set()
    items = []
    for row in old:
        if (row.dev, row.ino) in seen:
            continue
        seen.add((row.dev, row.ino))
        items.append(
            {
                "path": row.path.decode("utf-8", "surrogateescape"),
                "size": row.size,
                "mtime_ns": row.mtime_ns,
                "device": row.dev,
                "inode": row.ino,
            }
        )
    return items
