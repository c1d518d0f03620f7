"""The photo cache: what decoding a photo found, so that a second run decodes only
new or changed photos.

An SQLite file (``photos.sqlite`` in the Ménage home), recognised by its
``application_id``; a file of another program is never written to. A row is valid
while the photo's (device, inode, size, mtime) are unchanged, as in the file engine's
hash cache; it is looked up by path, then by identity (a renamed or moved photo is
not decoded again). Rows also keep the thumbnail of the HTML report once made.
A damaged cache is moved aside and a new one started: it is only a cache.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from menage._sqlite import create, identity
from menage.photos.decode import Decoded

APPLICATION_ID = 0x4D4E4750  # "MNGP"
#: bump when the hashes or the sharpness are computed differently: rows are dropped
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE photos (
    path BLOB PRIMARY KEY,
    dev INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    format TEXT NOT NULL,
    phash INTEGER NOT NULL,
    phash_mirror INTEGER NOT NULL,
    dhash INTEGER NOT NULL,
    sharpness REAL NOT NULL,
    taken REAL,
    camera INTEGER NOT NULL,
    thumbnail BLOB
) WITHOUT ROWID;
CREATE INDEX photos_identity ON photos (ino, dev)
"""

Key = tuple[int, int, int, int]  # device, inode, size, mtime_ns


def key_of(st: os.stat_result) -> Key:
    """The identity a cached row must match."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _signed(h: int) -> int:
    # SQLite integers are signed 64-bit
    return h - (1 << 64) if h >= 1 << 63 else h


def _unsigned(h: int) -> int:
    return h + (1 << 64) if h < 0 else h


class PhotoCache:
    """The cache file; use as a context manager. ``path=None`` keeps it in memory."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.moved_aside: Path | None = None
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        target = ":memory:" if self.path is None else str(self.path)
        try:
            db = sqlite3.connect(target, isolation_level=None, timeout=30)
            app, version, empty = identity(db)
            if empty:
                create(db, _SCHEMA, APPLICATION_ID, SCHEMA_VERSION)
            elif app != APPLICATION_ID or version != SCHEMA_VERSION:
                db.close()
                return self._start_again()
            return db
        except sqlite3.DatabaseError:
            return self._start_again()

    def _start_again(self) -> sqlite3.Connection:
        if self.path is None:
            raise RuntimeError("in-memory cache cannot be damaged")
        aside = self.path.with_name(self.path.name + ".old")
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        self.moved_aside = aside
        db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
        create(db, _SCHEMA, APPLICATION_ID, SCHEMA_VERSION)
        return db

    def __enter__(self) -> PhotoCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._db.close()

    def lookup(self, path: bytes, key: Key) -> Decoded | None:
        """The cached measures of ``path`` if its identity is unchanged."""
        row = self._db.execute(
            "SELECT * FROM photos WHERE path = ? AND dev = ? AND ino = ? AND size = ? "
            "AND mtime_ns = ?",
            (path, *key),
        ).fetchone()
        if row is None:
            row = self._db.execute(
                "SELECT * FROM photos WHERE ino = ? AND dev = ? AND size = ? AND mtime_ns = ?",
                (key[1], key[0], key[2], key[3]),
            ).fetchone()
        if row is None:
            return None
        return Decoded(
            width=row[5],
            height=row[6],
            format=row[7],
            phash=_unsigned(row[8]),
            phash_mirror=_unsigned(row[9]),
            dhash=_unsigned(row[10]),
            sharpness=row[11],
            taken=row[12],
            camera=bool(row[13]),
        )

    def store(self, rows: Iterable[tuple[bytes, Key, Decoded]]) -> None:
        """Remember decoded photos, in one transaction."""
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO photos VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL)",
                [
                    (
                        path,
                        *key,
                        d.width,
                        d.height,
                        d.format,
                        _signed(d.phash),
                        _signed(d.phash_mirror),
                        _signed(d.dhash),
                        d.sharpness,
                        d.taken,
                        int(d.camera),
                    )
                    for path, key, d in rows
                ],
            )

    def thumbnail(self, path: bytes, key: Key) -> bytes | None:
        """The stored thumbnail of ``path`` if made for this very file."""
        row = self._db.execute(
            "SELECT thumbnail FROM photos WHERE path = ? AND dev = ? AND ino = ? AND size = ? "
            "AND mtime_ns = ?",
            (path, *key),
        ).fetchone()
        return None if row is None else row[0]

    def store_thumbnail(self, path: bytes, thumbnail: bytes) -> None:
        """Keep the thumbnail of a photo already in the cache."""
        with self._transaction():
            self._db.execute("UPDATE photos SET thumbnail = ? WHERE path = ?", (thumbnail, path))

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
