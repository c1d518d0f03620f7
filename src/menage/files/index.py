"""The index: an SQLite file with the file listing, the hash cache and scan history.

Tables:

* ``files``: one row per file path of the latest scan that covered it (path, device,
  inode, size, mtime, nlink, owner), with the hash cache: the digests of its head,
  tail and whole content, valid while device, inode, size and mtime are unchanged
  (looked up by path, then by inode, so that a renamed file is not read again).
  No secondary index on (device, inode): it would double the cost of writing a
  listing, and renames are found among the paths that disappeared.
  Each scan rewrites only the rows that changed;
* ``listing_chunks``: the same listing and digests of the last scan of each set of
  roots, as packed columns in chunks (see :mod:`menage.files.snapshot`): a rescan of an
  unchanged tree compares them with the walk as bytes, and writes nothing back;
* ``scans``: every scan with its date, roots, totals and its full report, so that
  later scans can show the before and after: since format 4, in two parts (the report's
  long lists in ``report_lists``, shared by the scans that have the same; the rest in
  ``scans.report``), and ``report_reuse`` says which lists a rescan of an unchanged tree
  takes as they are (see :mod:`menage.files.report_store`; since format 5, a row may
  hold only the old files' list, the others being its base row's); before, the compressed JSON
  document without the old files (rebuilt from the listing).

The file is recognised by its SQLite ``application_id``; a file that is not a
Ménage index is never written to. Writes happen in transactions, so an interrupted
scan leaves the index as it was, plus the hashes computed so far (committed
separately, so that the next scan resumes from them).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from menage._sqlite import CACHE_SIZE, create, identity
from menage.errors import IndexCorrupted, IndexForeign, IndexTooNew, NoSuchScan, ReportTooNew
from menage.files import chunk_rows, report_store, snapshot
from menage.files.columnar import old_cutoff_ns
from menage.files.index_errors import error_for
from menage.files.listing import (
    FileRow,
    Listing,
    has_rows_under,
    old_file_items,
    outer_roots,
    read_cached,
    rows_under,
    write_listing,
)
from menage.findings import SCHEMA, ScanFindings, read_scan
from menage.home import remember_state_file

if TYPE_CHECKING:
    from menage.files.digests import Digests
    from menage.files.document import StoredDocument
    from menage.files.tree import Tree

APPLICATION_ID = 0x4D4E4147  # "MNAG"
SCHEMA_VERSION = 7
#: the pages of a new index: most of it is a few large blobs (the listing's packed
#: chunks, the report's lists: 65 MB at a million files), which SQLite reads and writes
#: a page at a time; with 64 KiB pages a rescan reads them three times as fast as with
#: the 4 KiB default (an index made before keeps its pages)
PAGE_SIZE = 65_536

# Format 1 kept the digests in a `hashes` table beside a `files` table; format 2 keeps
# them in `files`. The listing and the digests are a cache that the next scan rebuilds,
# so the migration drops them; the scan history is kept.
_MIGRATIONS = {
    1: (
        "DROP TABLE IF EXISTS hashes",
        "DROP TABLE IF EXISTS files",
        "{files}",
    ),
    # format 3 adds the listing's columns (menage.files.snapshot); the next scan fills them
    2: ("{chunks}",),
    # format 4 stores the reports in two parts (menage.files.report_store); the scans
    # stored before keep their whole report (their ``lists`` is NULL)
    3: (
        "ALTER TABLE scans ADD COLUMN lists INTEGER",
        *report_store.SCHEMA_4.split(";"),
    ),
    # format 5: a row of lists may keep only those that depend on the clock, the others
    # being its base row's (menage.files.report_store)
    4: ("ALTER TABLE report_lists ADD COLUMN base INTEGER",),
    # format 6: the chunks of a complete scan are its rows' only copy (listing_owned);
    # the chunks of earlier formats (copies of rows) are not listed there and stay copies
    5: (chunk_rows.SCHEMA,),
    # format 7: the chunks' paths, numbers and digests are LZ4 blocks (menage.files.snapshot)
    6: (snapshot.pack_chunks,),
}

_SCHEMA = (
    """
CREATE TABLE files (
    path BLOB PRIMARY KEY,
    dev INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    nlink INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    head BLOB,
    tail BLOB,
    full BLOB
) WITHOUT ROWID;
CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    duration_s REAL NOT NULL,
    roots TEXT NOT NULL,
    complete INTEGER NOT NULL,
    files INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    groups INTEGER NOT NULL,
    redundant_files INTEGER NOT NULL,
    redundant_bytes INTEGER NOT NULL,
    report BLOB NOT NULL,
    lists INTEGER
);
"""
    + snapshot.SCHEMA
    + ";"
    + report_store.SCHEMA
    + ";"
    + chunk_rows.SCHEMA
    + ";"
)


@dataclass(frozen=True)
class ScanRecord:
    """One past scan, as listed by ``menage scans``."""

    id: int
    started: datetime
    duration_s: float
    roots: list[str]
    complete: bool
    files: int
    bytes: int
    groups: int
    redundant_files: int
    redundant_bytes: int

    @property
    def rate(self) -> float:
        return self.redundant_bytes / self.bytes if self.bytes else 0.0


class Index:
    """An open index file; use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str], rebuild: bool = False) -> None:
        """Open (or create) the index at ``path``.

        Args:
            path: the SQLite file.
            rebuild: move an unusable file aside (``NAME.broken-DATE``) and start anew.

        Raises:
            IndexForeign: the file is not a Ménage index.
            IndexCorrupted: the file is damaged.
            IndexTooNew: the file comes from a newer Ménage.
            StorageFull: there is no room to create it.
        """
        self.path = Path(path)
        self.moved_aside: Path | None = None
        if rebuild and self.path.exists():
            self.moved_aside = self._move_aside()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # never scanned, wherever it is (see menage.home.own_folders)
        remember_state_file(self.path)
        self._checkpoint: threading.Thread | None = None
        with self._guard():
            # used by one thread at a time: the checkpoint's (see _checkpoint_behind), then
            # whoever asks for ``db`` next, which waits for it
            self._db = sqlite3.connect(
                self.path, timeout=10, isolation_level=None, check_same_thread=False
            )
        try:
            with self._guard():
                self._check_and_migrate()
        except BaseException:
            self._db.close()
            raise

    @property
    def db(self) -> sqlite3.Connection:
        """The connection, once a checkpoint running behind the last scan is over."""
        if self._checkpoint is not None:
            self._checkpoint.join()
            self._checkpoint = None
        return self._db

    def _move_aside(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                os.replace(source, f"{target}{suffix}")
        return target

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            error = error_for(exc, self.path)
            if error is None:
                raise  # a bug: its traceback says where
            raise error from None

    def _check_and_migrate(self) -> None:
        db = self.db
        application_id, version, empty = identity(db)
        if application_id == 0 and empty:
            create(db, _SCHEMA, APPLICATION_ID, SCHEMA_VERSION, PAGE_SIZE)
        elif application_id != APPLICATION_ID:
            raise IndexForeign(path=str(self.path))
        elif version > SCHEMA_VERSION:
            raise IndexTooNew(path=str(self.path), found=version, supported=SCHEMA_VERSION)
        elif version < SCHEMA_VERSION:
            self._migrate(version)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(CACHE_SIZE)
        # WAL with NORMAL is durable at each checkpoint and never corrupt after a crash;
        # the index can be rebuilt by scanning again, unlike the journal of a cleanup.
        db.execute("PRAGMA synchronous=NORMAL")

    def _migrate(self, version: int) -> None:
        files_table = next(s for s in _SCHEMA.split(";") if "CREATE TABLE files" in s)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            while version < SCHEMA_VERSION:
                for step in _MIGRATIONS[version]:
                    if isinstance(step, str):
                        self.db.execute(step.format(files=files_table, chunks=snapshot.SCHEMA))
                    else:
                        step(self.db)
                version += 1
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        """Close the file."""
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _checkpoint_behind(self) -> Iterator[None]:
        """A transaction durable at its commit (the WAL synced: ``synchronous=FULL``)
        whose pages are copied into the database file afterwards, on a thread of their
        own, while the caller prints the scan's report (57 MB at 200,000 files): the copy
        and its two syncs took 0.2-0.3 s at the end of every fresh scan. The next use of
        the index (and :meth:`close`, before the process exits) waits for it."""
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA wal_autocheckpoint=0")
        try:
            yield
        finally:
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA wal_autocheckpoint=1000")
        self._checkpoint = threading.Thread(
            target=self._copy_wal, name="menage-checkpoint", daemon=False
        )
        self._checkpoint.start()

    def _copy_wal(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            # committed and synced already: when the copy fails (a full disk, a reader
            # in the way), the pages stay in the WAL and the next checkpoint copies them
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- the file listing and its digests (the hash cache) ---------------------------

    def cached(self, tree: Tree) -> tuple[Digests, Listing]:
        """Digests the index holds for the files of ``tree``, still valid, and what
        changed since the index last saw them (see :func:`listing.read_cached`)."""
        with self._guard():
            found = snapshot.read(self.db, tree)
            if found is not None:
                digests, had, snap = found
                return digests, Listing(bytearray(b"\x01") * len(tree), had, [], snap)
            return read_cached(self.db, tree, snapshot.read_partial(self.db, tree))

    def save_progress(
        self, tree: Tree, digests: Digests, listing: Listing, links: dict[int, list[int]]
    ) -> None:
        """Keep what an interrupted scan computed, so that the next one resumes."""
        with self._guard(), self._transaction():
            # the rows of owned chunks become rows again before rows are written there
            chunk_rows.release(self.db, tree.roots)
            write_listing(self.db, tree, digests, listing, links)
            snapshot.drop_overlapping(self.db, tree.roots)

    def _store_listing(self, tree: Tree, stored: snapshot.Stored) -> None:
        """Write the tree's columns, the only copy of its rows (no row a file: see
        :mod:`menage.files.chunk_rows`)."""
        chunk_rows.release(self.db, tree.roots, replaced=True)
        chunk_rows.delete_rows_under(self.db, outer_roots(tree.roots))
        snapshot.drop_overlapping(self.db, tree.roots)
        snapshot.write(self.db, tree, stored)
        chunk_rows.own(self.db, tree.roots)

    def lists_under(self, roots: list[bytes]) -> bool:
        """Whether the index lists some file under ``roots``, or stored a tree that
        overlaps them: its digests may then spare a scan some reads."""
        with self._guard():
            return snapshot.overlaps(self.db, roots) or has_rows_under(self.db, roots)

    def listing(self, roots: list[bytes]) -> Iterator[FileRow]:
        """Every file the index lists under ``roots``, by path."""
        with self._guard():
            yield from rows_under(self.db, roots)

    # -- scans -----------------------------------------------------------------------

    def reused_scan(
        self, roots: list[bytes], key: report_store.ReuseKey
    ) -> report_store.ReusedScan | None:
        """The last scan of ``roots`` whose findings and document are still theirs, when
        the tree's files are those it listed (see :func:`report_store.reused_scan`)."""
        with self._guard():
            return report_store.reused_scan(self.db, roots, key)

    def record_scan(
        self,
        record: ScanRecord,
        tree: Tree,
        digests: Digests,
        links: dict[int, list[int]],
        listing: Listing,
        document: Callable[[int, report_store.StoredLists | None], StoredDocument],
        reuse: report_store.ReuseKey | None = None,
    ) -> int:
        """Store a scan: its totals, its JSON document and the file listing of its roots.

        Args:
            record: the scan's totals (its ``id`` is given here: any value will do).
            tree: what the walk found.
            digests: every digest known at the end of the scan.
            links: the other paths of each hardlinked inode.
            listing: what :meth:`cached` said the index knew before.
            document: makes the stored JSON document, given the scan's number and the
                lists of an earlier scan that are this one's (None when there are none).
            reuse: what the scan's lists depend on (None: they are never reused).

        Returns:
            The new scan's number.
        """
        with self._guard(), self._checkpoint_behind(), self._transaction():
            cursor = self.db.execute(
                "INSERT INTO scans (started, duration_s, roots, complete, files, bytes, "
                "groups, redundant_files, redundant_bytes, report) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.started.isoformat(),
                    record.duration_s,
                    json.dumps(record.roots),
                    int(record.complete),
                    record.files,
                    record.bytes,
                    record.groups,
                    record.redundant_files,
                    record.redundant_bytes,
                    b"",
                ),
            )
            scan_id = cursor.lastrowid
            assert scan_id is not None
            stored = snapshot.stored_columns(digests, links, len(tree))
            unchanged = listing.snapshot is not None and snapshot.unchanged(
                listing.snapshot, stored
            )
            previous = None
            if unchanged and reuse is not None:
                previous = report_store.reusable(self.db, tree.roots, reuse, self.path)
            if unchanged:
                try:
                    made = document(scan_id, previous)
                finally:
                    # the printed document reads the stored lists later, and closes them
                    if previous is not None and not previous.kept:
                        previous.close()
            else:
                # the document is encoded and compressed on a second thread while this one
                # writes the listing: both spend most of their time outside the GIL (the
                # core's encoders, LZ4, SQLite), so the two overlap
                with ThreadPoolExecutor(1, thread_name_prefix="menage-document") as pool:
                    making = pool.submit(document, scan_id, previous)
                    try:
                        # the chunks are rewritten, and their report_reuse row dropped with them
                        self._store_listing(tree, stored)
                    finally:
                        made = making.result()
            if made.lengths is not None and made.texts is not None:
                try:
                    lists_id = report_store.store_lists(
                        self.db, made.lengths, made.texts, made.base
                    )
                finally:
                    if made.text is None:  # else the printed document reads it again
                        made.texts.close()
                next_ns = reuse.next_ns() if reuse is not None else report_store.NEVER
            else:
                assert previous is not None
                lists_id, next_ns = previous.id, previous.next_ns
            self.db.execute(
                "UPDATE scans SET report = ?, lists = ? WHERE id = ?",
                (made.skeleton, lists_id, scan_id),
            )
            if reuse is not None:
                report_store.remember(self.db, tree.roots, lists_id, reuse, next_ns)
            else:
                report_store.forget(self.db, [snapshot.roots_key(tree.roots)])
        return scan_id

    def scans(self) -> list[ScanRecord]:
        """Every scan, oldest first."""
        with self._guard():
            rows = self.db.execute(
                "SELECT id, started, duration_s, roots, complete, files, bytes, groups, "
                "redundant_files, redundant_bytes FROM scans ORDER BY id"
            ).fetchall()
        return [
            ScanRecord(
                id=row[0],
                started=datetime.fromisoformat(row[1]),
                duration_s=row[2],
                roots=json.loads(row[3]),
                complete=bool(row[4]),
                files=row[5],
                bytes=row[6],
                groups=row[7],
                redundant_files=row[8],
                redundant_bytes=row[9],
            )
            for row in rows
        ]

    def scan_report(self, scan_id: int | None = None) -> dict[str, Any]:
        """The JSON report of a scan (the latest one when ``scan_id`` is None).

        Raises:
            NoSuchScan: there is no such scan.
            ReportTooNew: a newer Ménage stored it.
            IndexCorrupted: the stored report cannot be read.
        """
        with self._guard():
            if scan_id is None:
                row = self.db.execute("SELECT report, lists FROM scans ORDER BY id DESC LIMIT 1")
            else:
                row = self.db.execute("SELECT report, lists FROM scans WHERE id = ?", (scan_id,))
            found = row.fetchone()
        if found is None:
            raise NoSuchScan(scan=scan_id if scan_id is not None else "-")
        shown = scan_id if scan_id is not None else "-"
        try:
            report: dict[str, Any] = json.loads(zlib.decompress(found[0]))
            if found[1] is not None:
                with self._guard():
                    texts = report_store.read_lists(self.db, found[1])
                if texts is None:
                    raise ValueError(f"its lists ({found[1]}) are missing")
                report = report_store.splice(report, texts.__getitem__)
        except (zlib.error, ValueError, IndexError) as exc:
            raise IndexCorrupted(path=str(self.path), detail=f"scan {shown}: {exc}") from None
        schema = report.get("schema")
        if not isinstance(schema, int) or schema > SCHEMA:
            raise ReportTooNew(scan=shown, found=schema, supported=SCHEMA)
        old = report.get("old_files", {})
        if old.get("items_omitted"):
            # the index keeps file dates in its listing, not twice: rebuild the list
            started = datetime.fromisoformat(report["started"]).timestamp()
            cutoff_ns = old_cutoff_ns(started, old["older_than_s"])
            roots = [r.encode("utf-8", "surrogateescape") for r in report["roots"]]
            items = old_file_items(self.listing(roots), cutoff_ns)
            report["old_files"] = {k: v for k, v in old.items() if k != "items_omitted"}
            report["old_files"]["items"] = items
        return report

    def scan_findings(self, scan_id: int | None = None) -> ScanFindings:
        """The findings of a scan (the latest when ``scan_id`` is None), typed.

        Raises:
            NoSuchScan: there is no such scan.
            ReportTooNew: a newer Ménage wrote it.
        """
        return read_scan(self.scan_report(scan_id))
