"""Upgrading a journal written by an older Ménage, so that its runs can still be undone.

Format 1 (Ménage up to the cleanup engine generic over sources) knew only files: an
action had a path, device, inode and modification time. Format 2 names each action's
source, its reference in that source and its fingerprint (:mod:`menage.clean.records`).
Format 3 lets an action have no path (a message on an IMAP server is found by its
reference and fingerprint, never by a path): SQLite cannot drop a ``NOT NULL``, so the
actions table is made again and its rows copied as they are.
A journal of format 1 or 2 is upgraded when it is opened, in this order:

1. it is checked as it is (SQLite's ``quick_check``, its tables): a damaged journal is
   refused and left as it is;
2. a copy of it is written beside it (``journal-v1-backup.sqlite``, or ``-v2-``),
   complete and fsynced, before anything changes;
3. the new table is made and filled, every row checked, and the version stamped, in
   one transaction: a crash or a full disk leaves the old format intact (SQLite rolls
   back).

A journal that cannot be upgraded (read-only folder, full disk) is refused with the
reason; nothing is changed. A read-only journal (``history`` on a read-only data
folder) is upgraded in memory only.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from pathlib import Path

from menage import hooks
from menage._fs import fsync_dir, rename_noreplace, temp_name
from menage.clean import storage
from menage.clean.errors import JournalUpgradeFailed
from menage.clean.records import SCHEMA
from menage.clean.registry import row_problem
from menage.errors import MenageError, os_error_text

#: the columns of an action in format 1, in the order they were made
V1_ACTION_COLUMNS = (
    "id", "run_id", "line", "kind", "finding", "category", "path", "keep", "size", "dev",
    "ino", "mtime_ns", "is_dir", "mode", "uid", "gid", "atime_ns", "nlink", "state",
    "reason", "stash", "stash_how", "tmp", "new_ino", "restored_to", "done_at",
    "undone_at", "purged_at",
)  # fmt: skip
V1_RUN_COLUMNS = (
    "id", "started", "finished", "status", "plan_digest", "plan_path", "scan_id",
    "scan_after", "roots", "command",
)  # fmt: skip
V2_ACTION_COLUMNS = (*V1_ACTION_COLUMNS, "source", "ref", "fingerprint")
#: the columns each older format must have, to be upgraded
OLD_COLUMNS = {1: V1_ACTION_COLUMNS, 2: V2_ACTION_COLUMNS}
BACKUP_NAME = "journal-v1-backup"


def _v2_actions_statements() -> list[str]:
    """The statements of :data:`SCHEMA` that make the actions table and its indexes."""
    statements = [s.strip() for s in SCHEMA.split(";") if s.strip()]
    return [s for s in statements if "TABLE runs" not in s]


def _v1_to_v2(db: sqlite3.Connection) -> None:
    columns = ", ".join(V1_ACTION_COLUMNS)
    db.execute("DROP INDEX IF EXISTS actions_run")
    db.execute("DROP INDEX IF EXISTS actions_path")
    db.execute("ALTER TABLE actions RENAME TO actions_v1")
    for statement in _v2_actions_statements():
        db.execute(statement)
    db.execute(
        f"INSERT INTO actions ({columns}, source, ref, fingerprint) "
        f"SELECT {columns}, 'files', path, "
        "json_object('dev', dev, 'ino', ino, 'size', size, 'mtime_ns', mtime_ns) "
        "FROM actions_v1"
    )
    db.execute("DROP TABLE actions_v1")


def _v2_to_v3(db: sqlite3.Connection) -> None:
    columns = ", ".join(V2_ACTION_COLUMNS)
    db.execute("DROP INDEX IF EXISTS actions_run")
    db.execute("DROP INDEX IF EXISTS actions_path")
    db.execute("ALTER TABLE actions RENAME TO actions_v2")
    for statement in _v2_actions_statements():
        db.execute(statement)
    db.execute(f"INSERT INTO actions ({columns}) SELECT {columns} FROM actions_v2")
    db.execute("DROP TABLE actions_v2")


#: version → the function that brings it to the next version
MIGRATIONS = {1: _v1_to_v2, 2: _v2_to_v3}


def check_v1(db: sqlite3.Connection, path: Path, version: int = 1) -> None:
    """Refuse a journal of an older format that is damaged (nothing is changed).

    Raises:
        JournalCorrupted: SQLite finds damage, or a table lacks a column.
    """
    with storage.guard(path):
        result = db.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            raise storage.damaged(path, "; ".join(str(r[0]) for r in result[:3]))
        actions = OLD_COLUMNS.get(version, V1_ACTION_COLUMNS)
        for table, wanted in (("runs", V1_RUN_COLUMNS), ("actions", actions)):
            found = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            if not set(wanted) <= found:
                raise storage.damaged(path, f"the table {table} is incomplete")


def _migrate(db: sqlite3.Connection, path: Path, version: int, target: int) -> None:
    """Bring ``db`` from ``version`` to ``target`` in one transaction, every row checked.

    Raises:
        JournalCorrupted: a row holds what Ménage never writes (rolled back).
    """
    from menage.clean.records import ENTRY_COLUMNS

    db.execute("BEGIN IMMEDIATE")
    try:
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found == version:  # not already upgraded by another command meanwhile
            while version < target:
                MIGRATIONS[version](db)
                version += 1
            rows = db.execute(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM actions").fetchall()
            for row in rows:
                problem = row_problem(row)
                if problem is not None:
                    raise storage.damaged(path, problem)
            db.execute(f"PRAGMA user_version={target}")
            hooks.at("journal.upgrade", os.fsencode(path))
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def upgrade(db: sqlite3.Connection, path: Path, version: int) -> None:
    """Upgrade the journal at ``path`` (open as ``db``) from ``version``, on disk.

    Raises:
        JournalCorrupted: it is damaged (unchanged).
        JournalUpgradeFailed: the backup or the new format cannot be written
            (unchanged).
    """
    check_v1(db, path, version)
    try:
        try:
            write_backup(db, path, version)
            with storage.guard(path):
                _migrate(db, path, version, storage.SCHEMA_VERSION)
        except sqlite3.Error as exc:
            raise _failed(path, version, str(exc)) from None
        except OSError as exc:
            raise _failed(path, version, os_error_text(exc)) from None
    except MenageError as error:
        if isinstance(error, JournalUpgradeFailed) or not _is_write_error(error):
            raise
        raise _failed(path, version, error.message) from None


def _is_write_error(error: MenageError) -> bool:
    from menage.clean.errors import JournalReadOnly
    from menage.errors import StorageFull

    return isinstance(error, StorageFull | JournalReadOnly)


def _failed(path: Path, version: int, detail: str) -> JournalUpgradeFailed:
    return JournalUpgradeFailed(
        path=str(path),
        found=version,
        supported=storage.SCHEMA_VERSION,
        detail=detail,
        folder=str(path.parent),
    )


def upgrade_in_memory(db: sqlite3.Connection, path: Path, version: int) -> sqlite3.Connection:
    """A copy of the journal in memory, upgraded (the file is left as it is)."""
    check_v1(db, path, version)
    memory = sqlite3.connect(":memory:", isolation_level=None)
    with storage.guard(path):
        db.backup(memory)
        _migrate(memory, path, version, storage.SCHEMA_VERSION)
    return memory


def backup_path(path: Path, version: int = 1) -> Path:
    """The first free name for the backup beside the journal."""
    name = f"journal-v{version}-backup"
    candidate = path.with_name(name + ".sqlite")
    number = 2
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{name}-{number}.sqlite")
        number += 1
    return candidate


def write_backup(db: sqlite3.Connection, path: Path, version: int = 1) -> Path:
    """A complete, self-contained, fsynced copy of the journal, under a new name."""
    folder = os.fsencode(path.parent)
    tmp = temp_name(folder, b"backup")
    try:
        copy = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        for _attempt in range(100):
            target = backup_path(path, version)
            try:
                rename_noreplace(tmp, os.fsencode(target))
                break
            except FileExistsError:
                continue
        else:
            raise OSError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
        fsync_dir(folder)
        return target
    finally:
        for suffix in (b"", b"-journal", b"-wal", b"-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp + suffix)
