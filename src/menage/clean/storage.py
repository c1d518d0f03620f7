"""The journal's file: its lock, its creation, its errors and its space reserve.

* **Lock**: one process changes files at a time, through an exclusive ``flock`` on
  ``journal.sqlite.lock``, which the kernel releases even on ``kill -9``.
* **Creation**: a new journal is made complete under a random name, then moved into
  place by a rename that replaces nothing. So a journal of zero bytes is never
  Ménage's doing: it was truncated, and Ménage refuses it (quarantined files would
  otherwise become unknown) and says how to recover.
* **Errors**: only what SQLite reports as damage, a full disk, a lock, a foreign or
  read-only file becomes a message; anything else is a bug and gets a traceback.
* **Reserve**: ``journal.sqlite.reserve``, a small file of real blocks kept beside the
  journal. ``purge`` gives it back before it starts when the disk is full, so that
  the journal can record what it deletes, and makes it again afterwards: a full disk
  never keeps the quarantine's space from being freed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from menage import _fs
from menage._fs import fsync_dir, rename_noreplace, temp_name
from menage._sqlite import create
from menage.clean.errors import (
    JournalBusy,
    JournalCorrupted,
    JournalEmpty,
    JournalError,
    JournalForeign,
    JournalReadOnly,
)
from menage.clean.records import SCHEMA
from menage.errors import MenageError, StorageFull, os_error_text

APPLICATION_ID = 0x4D4E474A  # "MNGJ"
#: 2: each action names its source, reference and fingerprint; 3: the path may be
#: empty (a message on a server); 1 and 2 are upgraded
SCHEMA_VERSION = 3
RESERVE_BYTES = 512 * 1024
#: SQLite result codes (primary) that mean something other than a bug of ours
_CORRUPT = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FORMAT)
_READ_ONLY = (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN)
_READ_ONLY_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)


def quarantine_folder() -> str:
    from menage.home import home_path

    return str(home_path() / "quarantine")


def free_bytes(folder: Path) -> int | None:
    try:
        return _fs.free_bytes(folder)
    except OSError:
        return None


def _nearly_full(folder: Path) -> bool:
    free = free_bytes(folder)
    return free is not None and free < 256 * 1024


def error_for(exc: sqlite3.Error, path: Path) -> MenageError | None:
    """The message for an SQLite error on the journal, or None: a bug, to be raised."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    text = str(exc)
    shown = str(path)
    if primary == sqlite3.SQLITE_FULL:
        return StorageFull(path=shown)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return JournalBusy(path=shown)
    if primary == sqlite3.SQLITE_NOTADB:
        return JournalForeign(path=shown)
    if primary in _CORRUPT or text.startswith("Could not decode to UTF-8"):
        # the journal only ever holds UTF-8 text: anything else is damage
        return damaged(path, text)
    if primary == sqlite3.SQLITE_IOERR or primary in _READ_ONLY:
        if _nearly_full(path.parent):
            # SQLite says "I/O error" when it cannot create its -shm file on a full disk
            return StorageFull(path=shown)
        if primary == sqlite3.SQLITE_READONLY or _read_only(path.parent):
            return JournalReadOnly(path=shown, detail=text, folder=str(path.parent))
        return JournalError(path=shown, detail=text)
    return None


def _read_only(folder: Path) -> bool:
    return not os.access(folder, os.W_OK) or _is_read_only_mount(folder)


def _is_read_only_mount(folder: Path) -> bool:
    return _fs.read_only_mount(folder)


def damaged(path: Path, detail: str) -> JournalCorrupted:
    return JournalCorrupted(path=str(path), detail=detail, quarantine=quarantine_folder())


@contextlib.contextmanager
def guard(path: Path) -> Iterator[None]:
    """Turn SQLite's expected errors into messages; let a bug through."""
    try:
        yield
    except sqlite3.Error as exc:
        error = error_for(exc, path)
        if error is None:
            raise
        raise error from None


def take_lock(path: Path, wait: float) -> int:
    """The journal's lock, held until the returned descriptor is closed.

    Raises:
        JournalBusy: another cleanup holds it for longer than ``wait`` seconds.
        JournalReadOnly: the lock file cannot be made or opened for writing.
    """
    lock_path = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | _fs.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno in _READ_ONLY_ERRNOS:
            raise JournalReadOnly(
                path=str(path), detail=os_error_text(exc), folder=str(path.parent)
            ) from None
        raise
    deadline = time.monotonic() + wait
    while True:
        try:
            _fs.lock(fd, blocking=False)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise JournalBusy(path=str(path)) from None
            time.sleep(0.05)


def check_file(path: Path) -> bool:
    """Whether the journal exists (False: it must be made).

    Raises:
        JournalEmpty: it exists but holds nothing (truncated).
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    if st.st_size == 0:
        raise JournalEmpty(path=str(path), quarantine=quarantine_folder())
    return True


def create_file(path: Path) -> None:
    """Make a new, complete journal at ``path`` (unless one appeared meanwhile).

    Raises:
        StorageFull, JournalReadOnly: it cannot be written.
    """
    folder = os.fsencode(path.parent)
    tmp = temp_name(folder, b"journal")
    try:
        with guard(path):
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                create(db, SCHEMA, APPLICATION_ID, SCHEMA_VERSION)
            finally:
                db.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            rename_noreplace(tmp, os.fsencode(path))
        except FileExistsError:
            pass  # made by another command meanwhile: that one is the journal
        fsync_dir(folder)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StorageFull(path=str(path)) from None
        if exc.errno in _READ_ONLY_ERRNOS:
            raise JournalReadOnly(
                path=str(path), detail=os_error_text(exc), folder=str(path.parent)
            ) from None
        raise
    finally:
        for suffix in (b"", b"-wal", b"-shm", b"-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp + suffix)


def reserve_path(path: Path) -> Path:
    return path.with_name(path.name + ".reserve")


def make_reserve(path: Path) -> None:
    """Keep :data:`RESERVE_BYTES` of real blocks beside the journal (best effort)."""
    reserve = reserve_path(path)
    if reserve.exists():
        return
    free = free_bytes(path.parent)
    if free is None or free < 4 * RESERVE_BYTES:
        return  # never the reason a disk fills up
    tmp = temp_name(os.fsencode(path.parent), b"reserve")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.posix_fallocate(fd, 0, RESERVE_BYTES)
            os.fsync(fd)
        finally:
            os.close(fd)
        rename_noreplace(tmp, os.fsencode(reserve))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def release_reserve(path: Path) -> None:
    """Give the reserve's space back when the disk is full (purge needs it then)."""
    free = free_bytes(path.parent)
    if free is not None and free >= 4 * RESERVE_BYTES:
        return
    with contextlib.suppress(FileNotFoundError):
        os.unlink(reserve_path(path))
