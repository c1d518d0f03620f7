"""What to tell a person when SQLite fails on the index: a full disk, a busy, foreign,
read-only or damaged file, or — for anything else — nothing, since it is a bug of
Ménage and must surface as a traceback."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from menage._fs import free_bytes, read_only_mount
from menage.errors import (
    IndexBusy,
    IndexCorrupted,
    IndexForeign,
    IndexReadOnly,
    MenageError,
    StorageFull,
)


def _no_space_left(folder: Path) -> bool:
    try:
        return free_bytes(folder) < 1 << 20
    except OSError:
        return False


#: SQLite's primary result codes that say the file is damaged or cannot be read or
#: written (sqlite.org/rescode.html); any other error is a bug of Ménage
_DAMAGED = {
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PROTOCOL,
    sqlite3.SQLITE_NOLFS,
}


def error_for(exc: sqlite3.Error, path: Path) -> MenageError | None:
    """The error to show for what SQLite raised, or None when it is a bug of ours
    (a programming error, a misused API, a statement that does not fit the schema)."""
    text = str(exc)
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == sqlite3.SQLITE_FULL or "disk is full" in text:
        return StorageFull(path=str(path))
    # opening a WAL database on a full disk fails as an I/O error when its -wal and
    # -shm files cannot be made: that is a full disk, not a damaged index
    if primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN) and _no_space_left(path.parent):
        return StorageFull(path=str(path))
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return IndexBusy(path=str(path))
    if primary == sqlite3.SQLITE_NOTADB:
        return IndexForeign(path=str(path))
    if primary == sqlite3.SQLITE_READONLY or (
        primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR) and _read_only(path.parent)
    ):
        # "unable to open database file" in a read-only folder: unwritable, not damaged
        return IndexReadOnly(path=str(path), detail=text, folder=str(path.parent))
    if primary in _DAMAGED:
        return IndexCorrupted(path=str(path), detail=text)
    return None


def _read_only(folder: Path) -> bool:
    return not os.access(folder, os.W_OK) or read_only_mount(folder)
