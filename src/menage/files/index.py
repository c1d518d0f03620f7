"""The index: an SQLite file with the file listing, the hash cache and scan history.

Tables:

* ``files``: one row per file path of the latest scan that covered it (path, device,
  inode, size, mtime, nlink, owner), replaced folder by folder by each new scan;
* ``hashes``: the hash cache, keyed by (device, inode) and valid while size and
  mtime are those stored, so that a renamed file is not read again;
* ``scans``: every scan with its date, roots, totals and its full report
  (compressed JSON), so that later scans can show the before and after.

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
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from menage.errors import (
    IndexBusy,
    IndexCorrupted,
    IndexForeign,
    IndexTooNew,
    MenageError,
    StorageFull,
)

if TYPE_CHECKING:
    from menage.files.duplicates import CachedHashes
    from menage.files.scan import ScanResult

APPLICATION_ID = 0x4D4E4147  # "MNAG"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE files (
    path BLOB PRIMARY KEY,
    scan_id INTEGER NOT NULL,
    dev INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    nlink INTEGER NOT NULL,
    uid INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE hashes (
    dev INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    head BLOB,
    tail BLOB,
    full BLOB,
    PRIMARY KEY (dev, ino)
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
    report BLOB NOT NULL
);
"""


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


def _error_for(exc: sqlite3.Error, path: Path) -> MenageError:
    text = str(exc)
    if "disk is full" in text or getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return StorageFull(path=str(path))
    if "locked" in text or "busy" in text:
        return IndexBusy(path=str(path))
    if "not a database" in text:
        return IndexForeign(path=str(path))
    return IndexCorrupted(path=str(path), detail=text)


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
        self._known: dict[tuple[int, int], CachedHashes] | None = None
        if rebuild and self.path.exists():
            self.moved_aside = self._move_aside()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._guard():
            self.db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            with self._guard():
                self._check_and_migrate()
        except BaseException:
            self.db.close()
            raise

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
            raise _error_for(exc, self.path) from None

    def _check_and_migrate(self) -> None:
        db = self.db
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if application_id == 0 and tables == 0:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("COMMIT")
        elif application_id != APPLICATION_ID:
            raise IndexForeign(path=str(self.path))
        elif version > SCHEMA_VERSION:
            raise IndexTooNew(path=str(self.path), found=version, supported=SCHEMA_VERSION)
        db.execute("PRAGMA journal_mode=WAL")
        # WAL with NORMAL is durable at each checkpoint and never corrupt after a crash;
        # the index can be rebuilt by scanning again, unlike the journal of a cleanup.
        db.execute("PRAGMA synchronous=NORMAL")

    def close(self) -> None:
        """Close the file."""
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- hash cache (see menage.files.duplicates.HashCache) --------------------------

    @property
    def known(self) -> dict[tuple[int, int], CachedHashes]:
        """Every cached hash, loaded on first use."""
        if self._known is None:
            from menage.files.duplicates import CachedHashes

            with self._guard():
                rows = self.db.execute(
                    "SELECT dev, ino, size, mtime_ns, head, tail, full FROM hashes"
                )
                self._known = {
                    (dev, ino): CachedHashes(size, mtime_ns, head, tail, full)
                    for dev, ino, size, mtime_ns, head, tail, full in rows
                }
        return self._known

    def update(self, entries: dict[tuple[int, int], CachedHashes]) -> None:
        """Store new or confirmed hashes in their own transaction."""
        known = self._known or {}
        rows = [
            (dev, ino, e.size, e.mtime_ns, e.head, e.tail, e.full)
            for (dev, ino), e in entries.items()
            if known.get((dev, ino)) != e
        ]
        if not rows:
            return
        with self._guard(), self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        if self._known is not None:
            self._known.update(entries)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- scans -----------------------------------------------------------------------

    def record_scan(self, result: ScanResult) -> int:
        """Store a scan: its summary, its report and the file listing of its roots.

        Returns:
            The new scan's number.
        """
        from menage.report.json import scan_to_dict

        report = scan_to_dict(result)
        tree = result.tree
        with self._guard(), self._transaction():
            cursor = self.db.execute(
                "INSERT INTO scans (started, duration_s, roots, complete, files, bytes, "
                "groups, redundant_files, redundant_bytes, report) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    result.started.isoformat(),
                    result.duration_s,
                    json.dumps(report["roots"]),
                    int(result.complete),
                    result.total_files,
                    result.total_bytes,
                    len(result.duplicates.groups),
                    result.redundant_files,
                    result.redundant_bytes,
                    b"",
                ),
            )
            scan_id = cursor.lastrowid
            assert scan_id is not None
            report["scan_id"] = scan_id
            self.db.execute(
                "UPDATE scans SET report = ? WHERE id = ?",
                (zlib.compress(json.dumps(report).encode(), 1), scan_id),
            )
            for root in tree.roots:
                prefix = root.rstrip(b"/") + b"/"
                self.db.execute(
                    "DELETE FROM files WHERE path >= ? AND path < ?",
                    (prefix, prefix[:-1] + b"0"),
                )
            self.db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                zip(
                    tree.paths,
                    [scan_id] * len(tree),
                    tree.dev,
                    tree.ino,
                    tree.size,
                    tree.mtime_ns,
                    tree.nlink,
                    tree.uid,
                    strict=True,
                ),
            )
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
            MenageError: there is no such scan.
        """
        with self._guard():
            if scan_id is None:
                row = self.db.execute("SELECT report FROM scans ORDER BY id DESC LIMIT 1")
            else:
                row = self.db.execute("SELECT report FROM scans WHERE id = ?", (scan_id,))
            found = row.fetchone()
        if found is None:
            from menage.errors import NoSuchScan

            raise NoSuchScan(scan=scan_id if scan_id is not None else "-")
        report: dict[str, Any] = json.loads(zlib.decompress(found[0]))
        return report
