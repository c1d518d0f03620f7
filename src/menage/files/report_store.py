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
findings (the analysers registered) are those the key was made of; and no file crossed the
``--older-than`` limit since (the lists depend on "now" only through it: the row keeps
the cutoff it was made with and the first file date at or after it, so the old files
are the same while the new cutoff lies between the two, and never if the clock went
back); when one did, only the old files' list is made again and stored, in a row of its
own whose *base* is the row of the others (format 5), which are taken as they are.
A rescan whose lists are taken as they are also takes the rest of that scan's document
(its skeleton: totals, impact sentences, breakdowns) with its own number and times
(:func:`reused_scan`): its content stage and findings are then made only when an output
asks for them. After a crossing too: only the sections of :data:`CLOCK_LISTS` are made
(by the analysers that find them, without the content stage), the rest of the skeleton
taken as it is, as long as those kinds count in no total of it (:func:`clock_lists_only`).
Otherwise the skeleton is made anew.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import urllib.parse
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import lz4.block
import xxhash

from menage._fs import owner_name
from menage._jsonstream import Lazy
from menage._sqlite import CACHE_SIZE
from menage._version import __version__
from menage.files.columnar import old_cutoff_ns
from menage.files.snapshot import roots_key
from menage.findings.analysers import analysers
from menage.findings.model import kind_of
from menage.i18n import language

if TYPE_CHECKING:
    from menage.files.result import ScanOptions
    from menage.files.tree import Issue, Tree

#: bump on any change to how the lists are made or encoded
LISTS_VERSION = 2
#: the lists that depend on the clock (through the ``--older-than`` cutoff): when a file
#: crossed the limit, only these are made again, the others taken as they are
CLOCK_LISTS = frozenset({"old_files"})
#: a cutoff no file date reaches (no file will become old)
NEVER = (1 << 63) - 1
#: the lists' text is compressed in blocks of this size (LZ4, each block prefixed by its
#: compressed length, 4 bytes little-endian): read back block by block, 59 MB of lists
#: take 0.03 s to decompress (zlib: 0.15 s, and 0.4 s to compress instead of 0.13 s)
BLOCK = 1 << 20
#: the stored text (a file, a blob) is read this many bytes at a time: each read of a
#: blob opens it and seeks along its pages, so 1 MB reads made a million-file rescan
#: 0.2 s slower (for 16 MB less at its peak)
READ = 4 * BLOCK
#: a row's checksum: xxh3-128 of its whole stored text, taken as it is written and again
#: as it is read, a few megabytes at a time
CHECKSUM = xxhash.xxh3_128

SCHEMA_4 = """
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
#: format 5: a row may hold only the lists that depend on the clock, the others being
#: those of its ``base`` row (a full one): after a file crossed the age limit, only the
#: old files' list is encoded, compressed and stored
SCHEMA = SCHEMA_4.replace("texts BLOB NOT NULL\n", "texts BLOB NOT NULL,\n    base INTEGER\n")


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


def _tree_hash(tree: Tree, issues: list[Issue]) -> str:
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
    part(repr([(i.path, i.kind, i.detail) for i in issues]).encode())
    return h.hexdigest()


def reuse_key(tree: Tree, issues: list[Issue], options: ScanOptions, now: float) -> ReuseKey | None:
    """The key of the lists of a scan of ``tree`` that found ``issues``; None when they
    must never be reused (photos: their findings depend on the photo cache).

    It needs no finding: the findings are made from the tree, its digests (the index
    checks those), the options and the clock (through the cutoff), by the analysers
    registered for the ``file`` source (named here), so a rescan that may take the
    lists as they are need not make them.
    """
    if options.photos:
        return None
    text = json.dumps(
        {
            "menage": __version__,
            "lists": LISTS_VERSION,
            "language": language(),
            "options": asdict(options),
            "analysers": [
                [a.name, a.kinds, f"{a.run.__module__}.{a.run.__qualname__}"]
                for a in analysers("file")
            ],
            "tree": _tree_hash(tree, issues),
            # the by-owner breakdown names them as the system does now
            "owners": [[uid, owner_name(uid)] for uid in sorted(set(tree.uid))],
            # the impact sentences are an organisation's factors' when it names them
            "factors": _factors_file(),
        },
        sort_keys=True,
        default=list,
    )
    cutoff = old_cutoff_ns(now, options.older_than_s)
    mtimes = tree.mtime_ns

    def next_ns() -> int:
        return min(filter(cutoff.__le__, mtimes), default=NEVER)

    return ReuseKey(hashlib.sha256(text.encode()).hexdigest(), cutoff, next_ns)


def _factors_file() -> str | None:
    """A hash of the factors file ``MENAGE_FACTORS`` names (see
    :func:`menage.impact.factors.factors`); None for the shipped one (the version says)."""
    path = os.environ.get("MENAGE_FACTORS")
    if not path:
        return None
    try:
        with open(path, "rb") as file:
            return path + ":" + hashlib.sha256(file.read()).hexdigest()
    except OSError as exc:
        return path + ":" + type(exc).__name__


class ListsWriter:
    """The lists' text compressed as it comes, block by block (see :data:`BLOCK`), into
    an unnamed temporary file: at a million files the lists take 65 MB compressed, which
    must not sit in memory (twice, joined) beside the scan's columns. Each block is
    compressed on a thread of its own (LZ4 lets go of the GIL) while the next is encoded:
    the document is the last thing a fresh scan waits for."""

    def __init__(self) -> None:
        self._pending = bytearray()
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by store() or close()
        self._checksum = CHECKSUM()
        self._compressor = ThreadPoolExecutor(1, thread_name_prefix="menage-lz4")
        #: blocks being compressed, in order (three at most: 3 MB)
        self._compressing: deque[Future[bytes]] = deque()
        self.size = 0

    def write(self, data: bytes) -> None:
        self._pending += data
        if len(self._pending) >= BLOCK:
            self._flush()

    def _flush(self) -> None:
        block = bytes(self._pending)
        self._pending.clear()
        self._compressing.append(
            self._compressor.submit(lz4.block.compress, block, store_size=True)
        )
        while len(self._compressing) > 2 or (self._compressing and self._compressing[0].done()):
            self._spool_block(self._compressing.popleft().result())

    def _spool_block(self, block: bytes) -> None:
        for part in (len(block).to_bytes(4, "little"), block):
            self._spool.write(part)
            self._checksum.update(part)
            self.size += len(part)

    def finish(self) -> bytes:
        """Compress what is pending; the checksum (:data:`CHECKSUM`) of everything
        written, :attr:`size` then final."""
        if self._pending:
            self._flush()
        while self._compressing:
            self._spool_block(self._compressing.popleft().result())
        self._compressor.shutdown()
        return self._checksum.digest()

    def close(self) -> None:
        """Drop the temporary file (once stored, or when the document is not stored)."""
        self._compressor.shutdown(cancel_futures=True)
        self._spool.close()

    def store(self, db: sqlite3.Connection, row: int) -> None:
        """Copy everything written into ``row``'s ``texts`` (a zero blob of :attr:`size`
        bytes), a block at a time. The temporary file stays until :meth:`close`."""
        self._spool.seek(0)
        if self.size:
            with db.blobopen("report_lists", "texts", row) as blob:
                while block := self._spool.read(BLOCK):
                    blob.write(block)

    def texts(self) -> Iterator[bytes]:
        """The text written, decompressed block by block, from the start (after
        :meth:`finish`)."""
        self._spool.seek(0)
        yield from _frames(iter(partial(self._spool.read, READ), b""))

    def lists(self, lengths: list[int | None]) -> Callable[[int], Iterator[bytes]]:
        """Reads the text written again, list after list: list ``n`` is ``lengths[n]``
        bytes (taken in order, each once)."""
        stream = _Stream(self.texts())
        return lambda number: stream.take(lengths[number] or 0)


def blocks(texts: bytes) -> Iterator[bytes]:
    """The text :class:`ListsWriter` wrote, block by block.

    Raises:
        ValueError: the text is damaged.
    """
    return _frames((texts,))


def _frames(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The text :class:`ListsWriter` wrote, given in chunks cut anywhere (a file or a
    blob read a few megabytes at a time, or whole), decompressed block by block.

    Raises:
        ValueError: the text is damaged.
    """
    pending = b""
    for chunk in chunks:
        pending = pending + chunk if pending else chunk
        view = memoryview(pending)
        start = 0
        while len(view) - start >= 4:
            size = int.from_bytes(view[start : start + 4], "little")
            if size == 0:
                raise ValueError("stored lists: a block is cut short")
            if len(view) - start - 4 < size:
                break  # the rest of the block is in the next chunk
            try:
                yield lz4.block.decompress(view[start + 4 : start + 4 + size])
            except lz4.block.LZ4BlockError as exc:
                raise ValueError(f"stored lists: {exc}") from None
            start += 4 + size
        view.release()  # the chunk read is let go before the next one comes
        pending = pending[start:]
    if pending:
        raise ValueError("stored lists: a block is cut short")


class _Stream:
    """One row's text, list after list (the lists it holds, in order)."""

    def __init__(self, texts: Iterator[bytes]) -> None:
        #: the text's blocks, decompressed
        self._blocks = texts
        self._pending = b""

    def take(self, left: int) -> Iterator[bytes]:
        """The next ``left`` bytes.

        Raises:
            ValueError: the stored text is shorter than its lengths say.
        """
        while left:
            if not self._pending:
                self._pending = next(self._blocks, b"")
                if not self._pending:
                    raise ValueError("stored lists: text too short")
            block, self._pending = self._pending[:left], self._pending[left:]
            left -= len(block)
            yield block


class StoredLists:
    """The lists of an earlier scan, read back block by block, list after list.

    ``own`` gives each list's length in the row's text, or None for a list its ``base``
    row holds (the lists of :data:`CLOCK_LISTS` are then in the row, the others in the
    base, whose own versions of the first are skipped).
    """

    def __init__(
        self,
        lists_id: int,
        own: list[int | None],
        texts: Iterator[bytes],
        next_ns: int,
        timely: bool = True,
        base: tuple[int, list[int], Iterator[bytes]] | None = None,
        close: Callable[[], None] | None = None,
    ) -> None:
        self.id = lists_id
        #: False when a file crossed the age limit since (or the clock went back): the
        #: lists of :data:`CLOCK_LISTS` must be made again
        self.timely = timely
        #: the first file date at or after the cutoff the lists were made with
        self.next_ns = next_ns
        self._own = own
        self._stream = _Stream(texts)
        self._base_lengths = base[1] if base is not None else []
        self._base = _Stream(base[2]) if base is not None else None
        self._base_next = 0
        #: the row that holds the lists that do not depend on the clock
        self.root = base[0] if base is not None else lists_id
        #: each list's length in bytes
        self.lengths = [n if n is not None else self._base_lengths[i] for i, n in enumerate(own)]
        self._close = close
        #: the stored text is read after the scan (by the printed document, which then
        #: closes it)
        self.kept = False

    def close(self) -> None:
        """Let go of what reads the stored text (once it is taken, or not needed)."""
        if self._close is not None:
            self._close()
            self._close = None

    def take(self, number: int) -> Iterator[bytes]:
        """The text of list ``number`` (lists are taken in order, each once).

        Raises:
            ValueError: the stored text is shorter than its lengths say.
        """
        own = self._own[number]
        if own is not None:
            yield from self._stream.take(own)
            return
        assert self._base is not None
        for skipped in range(self._base_next, number):
            for _block in self._base.take(self._base_lengths[skipped]):
                pass  # this row's own version is used instead
        self._base_next = number + 1
        yield from self._base.take(self._base_lengths[number])


def _lengths(text: str, base: list[int] | None) -> list[int | None] | None:
    """A row's lengths as stored (None entries only when it has a base of as many)."""
    try:
        found = json.loads(text)
    except ValueError:
        return None
    if not isinstance(found, list):
        return None
    for n in found:
        if n is None and base is not None:
            continue
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            return None
    if base is not None and len(base) != len(found):
        return None
    return found


def _reuse(
    db: sqlite3.Connection, roots: list[bytes], key: ReuseKey
) -> tuple[int, int, bool] | None:
    """The lists' row stored for ``roots`` when ``key`` is the one they were made under,
    the first file date at or after their cutoff, and whether no file crossed the age
    limit since (nor the clock went back)."""
    row = db.execute(
        "SELECT lists, key, cutoff_ns, next_ns FROM report_reuse WHERE roots = ?",
        (roots_key(roots),),
    ).fetchone()
    if row is None or row[1] != key.key:
        return None
    lists_id, _key, cutoff_ns, next_ns = row
    return lists_id, int(next_ns), cutoff_ns <= key.cutoff_ns <= next_ns


def reusable(
    db: sqlite3.Connection, roots: list[bytes], key: ReuseKey, reader: Path
) -> StoredLists | None:
    """The lists stored for ``roots`` when ``key`` says they are still the scan's.

    Their text is read when it is taken, a few megabytes at a time, through a read-only
    connection to ``reader`` (the index's file) of its own, closed by
    :meth:`StoredLists.close`: a million files' lists are 65 MB compressed, which a
    rescan held whole while it printed them.
    """
    found = _reuse(db, roots, key)
    if found is None:
        return None
    lists_id, next_ns, timely = found
    row = _read_row(db, lists_id)
    if row is None:
        return None  # missing or damaged: made again
    own, size, base = row
    connection = _read_only(reader)
    return StoredLists(
        lists_id,
        own,
        _blob_blocks(connection, lists_id, size),
        next_ns,
        timely,
        base and (base[0], base[1], _blob_blocks(connection, base[0], base[2])),
        connection.close,
    )


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to the index at ``path`` (its rows as last committed)."""
    uri = "file:" + urllib.parse.quote(str(path.absolute())) + "?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False)
    connection.execute(CACHE_SIZE)
    return connection


def _read_row(
    db: sqlite3.Connection, lists_id: int
) -> tuple[list[int | None], int, tuple[int, list[int], int] | None] | None:
    """A row's lengths and the size of its text, and its base's; None when either is
    missing or damaged."""
    row = _checked_row(db, lists_id)
    if row is None:
        return None
    base = None
    if row[3] is not None:
        under = _checked_row(db, row[3])
        if under is None or under[3] is not None:
            return None
        base_lengths = _lengths(under[0], None)
        if base_lengths is None:
            return None
        base = (int(row[3]), [n for n in base_lengths if n is not None], int(under[2]))
    own = _lengths(row[0], base[1] if base is not None else None)
    if own is None:
        return None
    return own, int(row[2]), base


def _checked_row(db: sqlite3.Connection, lists_id: int) -> tuple[Any, ...] | None:
    """(lengths, checksum, size of the text, base) of a row; None when missing or
    damaged. The text is checked a few megabytes at a time, never held whole."""
    row = db.execute(
        "SELECT lengths, checksum, length(texts), base FROM report_lists WHERE id = ?",
        (lists_id,),
    ).fetchone()
    if row is None:
        return None
    checksum = CHECKSUM()
    try:
        for chunk in _blob_chunks(db, lists_id, row[2]):
            checksum.update(chunk)
    except ValueError:
        return None
    return row if row[1] == checksum.digest() else None


def _blob_chunks(db: sqlite3.Connection, lists_id: int, size: int) -> Iterator[bytes]:
    """A row's stored text, :data:`READ` bytes at a time. Each read opens the blob anew: a
    short read, so that the checkpoint running behind a scan is not held back while the
    report is printed.

    Raises:
        ValueError: the row is gone or shorter than ``size``.
    """
    for offset in range(0, size, READ):
        wanted = min(READ, size - offset)
        try:
            with db.blobopen("report_lists", "texts", lists_id, readonly=True) as blob:
                blob.seek(offset)
                chunk = blob.read(wanted)
        except (sqlite3.Error, ValueError) as exc:  # ValueError: a seek past the end
            raise ValueError(f"stored lists: {exc}") from None
        if len(chunk) != wanted:
            raise ValueError("stored lists: text too short")
        yield chunk


def _blob_blocks(db: sqlite3.Connection, lists_id: int, size: int) -> Iterator[bytes]:
    """A row's text decompressed block by block, read as it is taken."""
    return _frames(_blob_chunks(db, lists_id, size))


def store_lists(
    db: sqlite3.Connection, lengths: list[int | None], texts: ListsWriter, base: int | None = None
) -> int:
    """Keep a scan's lists (those of ``base`` where ``lengths`` says None); returns their
    row. Their text is copied from the writer's file, never whole in memory; the caller
    closes the writer."""
    checksum = texts.finish()
    cursor = db.execute(
        "INSERT INTO report_lists (lengths, checksum, texts, base) VALUES (?, ?, zeroblob(?), ?)",
        (json.dumps(lengths), checksum, texts.size, base),
    )
    assert cursor.lastrowid is not None
    texts.store(db, cursor.lastrowid)
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
    return _with_lists(skeleton, lambda number: json.loads(texts(number)))


def _with_lists(skeleton: Any, make: Callable[[int], Any]) -> Any:
    """``skeleton`` (parsed) with each ``{"$list": N}`` (:func:`placeholder`) replaced
    by ``make(N)``."""
    if isinstance(skeleton, dict):
        if len(skeleton) == 1 and isinstance(skeleton.get("$list"), int):
            return make(skeleton["$list"])
        return {key: _with_lists(value, make) for key, value in skeleton.items()}
    if isinstance(skeleton, list):
        return [_with_lists(value, make) for value in skeleton]
    return skeleton


def read_lists(db: sqlite3.Connection, lists_id: int) -> list[bytes] | None:
    """Every list of a stored row (and of its base), as JSON text; None when the row is
    missing.

    Raises:
        ValueError: the row or its base is damaged.
    """
    row = db.execute(
        "SELECT lengths, texts, base FROM report_lists WHERE id = ?", (lists_id,)
    ).fetchone()
    if row is None:
        return None
    own = _split(json.loads(row[0]), row[1])
    if row[2] is None:
        if any(text is None for text in own):
            raise ValueError("stored lists: a list is missing")
        return [text for text in own if text is not None]
    base = read_lists(db, row[2])
    if base is None or len(base) != len(own):
        raise ValueError(f"stored lists: their base ({row[2]}) is missing or differs")
    return [text if text is not None else base[i] for i, text in enumerate(own)]


def _split(lengths: list[int | None], texts: bytes) -> list[bytes | None]:
    data = b"".join(blocks(texts))
    found: list[bytes | None] = []
    start = 0
    for length in lengths:
        if length is None:
            found.append(None)
            continue
        found.append(data[start : start + length])
        start += length
    if start != len(data):
        raise ValueError("stored lists: lengths and text differ")
    return found


@dataclass(frozen=True)
class ReusedScan:
    """The last scan of an unchanged tree, whose lists and skeleton a rescan takes."""

    #: its lists' row
    lists_id: int
    #: its document without the lists (each a ``{"$list":N}``), parsed
    skeleton: dict[str, Any]
    groups: int
    redundant_files: int
    redundant_bytes: int
    #: False when a file crossed the age limit since (or the clock went back): the
    #: sections of :data:`CLOCK_LISTS` are then this scan's to make
    timely: bool = True

    def summary(
        self,
        scan_id: int,
        started: str,
        duration_s: float,
        sections: dict[str, dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The skeleton as the new scan's summary: its number and times, each list a
        :class:`Lazy` standing for the stored one, and the kinds' ``sections`` made by
        this scan (those of :data:`CLOCK_LISTS` after a crossing) in place of its (see
        :meth:`has_sections`)."""
        summary = _with_lists(self.skeleton, lambda _number: Lazy(lambda: iter(())))
        for kind, section in (sections or {}).items():
            summary[kind] = section  # in its place: the lists keep their numbers
        return {
            **summary,
            "scan_id": scan_id,
            "started": started,
            "duration_s": round(duration_s, 3),
        }

    def has_sections(self, kinds: Iterable[str]) -> bool:
        """Whether the skeleton holds a section for each of ``kinds``, one list each."""

        def one_list(section: Any) -> bool:
            items = section.get("items") if isinstance(section, dict) else None
            return isinstance(items, dict) and list(items) == ["$list"]

        return all(one_list(self.skeleton.get(kind)) for kind in kinds)


def clock_lists_only() -> bool:
    """Whether the lists of :data:`CLOCK_LISTS` are all of the skeleton that depends on
    the clock: true while none of their kinds counts in the reclaimable bytes (and so
    in the impact sentences)."""
    return not any(kind_of(key).reclaimable for key in CLOCK_LISTS)


def reused_scan(db: sqlite3.Connection, roots: list[bytes], key: ReuseKey) -> ReusedScan | None:
    """The last scan whose lists are still those of ``roots`` (their files unchanged,
    :mod:`menage.files.snapshot` says) under ``key``: its findings and its document but
    for the number and times are this scan's, and when a file crossed the age limit since
    (``timely`` False) all but the sections of :data:`CLOCK_LISTS`. None when there is
    none (its lists are then made, or partly made, again)."""
    found = _reuse(db, roots, key)
    if found is None or (not found[2] and not clock_lists_only()):
        return None
    lists_id = found[0]
    scan = db.execute(
        "SELECT report, groups, redundant_files, redundant_bytes FROM scans "
        "WHERE lists = ? ORDER BY id DESC LIMIT 1",
        (lists_id,),
    ).fetchone()
    if scan is None:
        return None
    try:
        skeleton = json.loads(zlib.decompress(scan[0]))
    except (zlib.error, ValueError):
        return None
    if not isinstance(skeleton, dict) or "scan_id" not in skeleton:
        return None
    return ReusedScan(lists_id, skeleton, scan[1], scan[2], scan[3], found[2])
