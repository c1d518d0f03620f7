"""Listing chunks that are the only copy of their roots' rows (index format 6).

Writing one ``files`` row per file cost a fresh scan of 200,000 files 1.3–1.9 s of CPU
on one thread, while the same listing, as packed columns in ``listing_chunks`` (see
:mod:`menage.files.snapshot`), costs 0.2 s. Since format 6 a complete scan writes only
the chunks and names its roots in ``listing_owned``: ``files`` then holds no row under
those roots, and whoever reads rows there reads them from the chunks (decoded here, in
path order, merged with the rows by :mod:`menage.files.listing`).

The rules that keep one copy of each path:

* owned roots never overlap: writing a listing drops the chunks of every overlapping
  roots (:func:`release`), after turning back into rows those that reach outside the new
  roots (they still describe files the new scan did not look at);
* a scan that stores its chunks as the owner first deletes the rows under its roots
  (:func:`delete_rows_under`): the chunks hold all of them;
* anything that writes rows under owned roots (an interrupted scan keeping its digests)
  releases them first.

Chunks written by earlier formats (copies of rows) are not in ``listing_owned``: they are read as
before, and the rows beside them stay the reference.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from itertools import chain, pairwise

from menage.files.snapshot import PATH_MAX, WIDTH, _overlap, roots_key, unpack, unpack_chunk

#: any non-zero flag byte to 1
_ONE = bytes([0] + [1] * 255)

SCHEMA = "CREATE TABLE listing_owned (roots BLOB PRIMARY KEY) WITHOUT ROWID"

#: a row as ``files`` holds it: path, dev, ino, size, mtime_ns, nlink, uid, head, tail, full
Row = tuple[bytes, int, int, int, int, int, int, bytes | None, bytes | None, bytes | None]

_INSERT = "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def owned_keys(db: sqlite3.Connection) -> list[bytes]:
    """The roots keys whose chunks are their rows' only copy."""
    return [row[0] for row in db.execute("SELECT roots FROM listing_owned")]


def own(db: sqlite3.Connection, roots: Iterable[bytes]) -> None:
    """Say that the chunks of ``roots`` (just written) are their rows' only copy."""
    db.execute("INSERT OR REPLACE INTO listing_owned VALUES (?)", (roots_key(roots),))


def _upper(root: bytes) -> tuple[bytes, bytes]:
    root = root.rstrip(b"/") + b"/"
    return root, root[:-1] + b"0"


def delete_rows_under(db: sqlite3.Connection, roots: Iterable[bytes]) -> None:
    """Delete the rows under ``roots``: their chunks are about to hold them."""
    for root in roots:
        db.execute("DELETE FROM files WHERE path >= ? AND path < ?", _upper(root))


def _inside(key: bytes, roots: list[bytes]) -> bool:
    """Whether every root of ``key`` lies within one of ``roots``."""
    outer = [r.rstrip(b"/") + b"/" for r in roots]
    return all(any((k.rstrip(b"/") + b"/").startswith(o) for o in outer) for k in key.split(b"\0"))


def release(db: sqlite3.Connection, roots: Iterable[bytes], replaced: bool = False) -> None:
    """Before rows or chunks are written under ``roots``: turn the owned chunks that
    overlap them back into rows, and forget that they are owned.

    With ``replaced``, owned roots that lie wholly within ``roots`` are dropped as they
    are (the caller's chunks replace them, their rows deleted).
    """
    roots = list(roots)
    for key in owned_keys(db):
        if not any(_overlap(a, b) for a in key.split(b"\0") for b in roots):
            continue
        if not (replaced and _inside(key, roots)):
            # chunk by chunk, read before written: no cursor stays open over the writes
            seqs = [
                row[0]
                for row in db.execute(
                    "SELECT seq FROM listing_chunks WHERE roots = ? ORDER BY seq", (key,)
                )
            ]
            for seq in seqs:
                db.executemany(_INSERT, list(rows(db, key, seq=seq)))
        db.execute("DELETE FROM listing_owned WHERE roots = ?", (key,))


def _decode(count: int, paths: bytes, numbers: bytes, digests: bytes, flags: bytes) -> list[Row]:
    """The rows of one chunk; none when it is damaged (its columns do not agree with its
    count, or its paths are not in order): its files are then read again."""
    names = paths.split(b"\0") if count else []
    if (
        len(names) != count
        or any(a >= b for a, b in pairwise(names))
        or len(numbers) != 48 * count
        or len(digests) != 3 * WIDTH * count
        or len(flags) != 3 * count
    ):
        return []
    columns = []
    for k, code in enumerate("QQqqqq"):
        column = array(code)
        column.frombytes(numbers[8 * count * k : 8 * count * (k + 1)])
        columns.append(column)
    flags = flags.translate(_ONE)
    kinds = [_digests(digests, WIDTH * count * k, count, flags[k::3]) for k in range(3)]
    return list(zip(names, *columns, *kinds, strict=True))


def _digests(data: bytes, base: int, count: int, known: bytes) -> list[bytes | None]:
    """One kind of digest of a chunk's files, None where ``known`` (0/1) says 0: made
    by slices, the files known or unknown picked with ``find``, not one test a file."""
    sparse = known.count(1) * 2 < count  # few known: fill those, else blank the others
    if sparse:
        column: list[bytes | None] = [None] * count
    else:
        column = [data[at : at + WIDTH] for at in range(base, base + WIDTH * count, WIDTH)]
    picked = 1 if sparse else 0
    i = known.find(picked)
    while i >= 0:
        column[i] = data[base + WIDTH * i : base + WIDTH * (i + 1)] if sparse else None
        i = known.find(picked, i + 1)
    return column


def _span(paths: bytes) -> tuple[bytes, bytes]:
    """The first and the last path of a chunk's paths (joined by NUL, in order)."""
    end = paths.find(b"\0")
    return paths if end < 0 else paths[:end], paths[paths.rfind(b"\0") + 1 :]


def rows(
    db: sqlite3.Connection,
    key: bytes,
    low: bytes = b"",
    high: bytes | None = None,
    strict: bool = False,
    seq: int | None = None,
) -> Iterator[Row]:
    """The rows the chunks of ``key`` (or its chunk ``seq``) hold with ``low <= path <
    high`` (``low < path`` when ``strict``), by path; only the chunks whose paths reach
    into that range are decoded."""
    select = "SELECT count, paths, numbers, digests, known FROM listing_chunks WHERE roots = ?"
    if seq is None:
        chunks = db.execute(select + " ORDER BY seq", (key,))
    else:
        chunks = db.execute(select + " AND seq = ?", (key, seq))
    for count, *packed, flags in chunks:
        columns = unpack_chunk(count, *packed) if count else None
        if columns is None:
            continue  # empty, or damaged: its files are read again
        paths, numbers, digests = columns
        first, last = _span(paths)
        if last < low or (high is not None and first >= high):
            continue
        for row in _decode(count, paths, numbers, digests, flags):
            path = row[0]
            if (path > low or (path == low and not strict)) and (high is None or path < high):
                yield row


class Owned:
    """Where the owned chunks' paths begin and end, read once (their paths only), so that
    each range of rows asked decodes only the chunks that reach into it."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        #: (key, seq, first path, last path), chunks of one key in path order
        self.spans: list[tuple[bytes, int, bytes, bytes]] = []
        for key in owned_keys(db):
            for seq, count, packed in db.execute(
                "SELECT seq, count, paths FROM listing_chunks WHERE roots = ? ORDER BY seq",
                (key,),
            ):
                paths = unpack(packed, PATH_MAX * count)
                if paths:
                    self.spans.append((key, seq, *_span(paths)))

    def between(self, low: bytes, high: bytes, strict: bool = False) -> list[Iterator[Row]]:
        """The rows of the owned chunks between ``low`` and ``high`` (as :func:`rows`):
        one iterator a key, by path."""
        seqs: dict[bytes, list[int]] = {}
        for key, seq, first, last in self.spans:
            if last >= low and first < high:
                seqs.setdefault(key, []).append(seq)
        return [
            chain.from_iterable(rows(self.db, key, low, high, strict, seq) for seq in found)
            for key, found in seqs.items()
        ]
