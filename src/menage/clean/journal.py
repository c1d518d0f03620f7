"""The write-ahead journal of cleanups: an SQLite file next to the quarantine.

Every run (an ``apply``) and each of its actions is a row. An action goes through
these states, each committed (WAL, ``synchronous=FULL``: fsynced) *before* the file
operation it announces and *after* the one it reports:

    pending → intent → done → undoing → undone
                 ↘ skipped / failed       ↘ purging → purged

``intent``, ``undoing`` and ``purging`` mean "about to act": after a crash, the next
command looks where the file actually is and settles the action (see
:mod:`menage.clean.recovery`). Only one process changes files at a time: an
exclusive ``flock`` on ``journal.lock``, released by the kernel even on ``kill -9``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from menage._sqlite import create, identity
from menage.clean.errors import (
    JournalBusy,
    JournalCorrupted,
    JournalForeign,
    JournalTooNew,
)
from menage.clean.plan import Action, Plan
from menage.errors import MenageError, StorageFull

APPLICATION_ID = 0x4D4E474A  # "MNGJ"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    finished REAL,
    status TEXT NOT NULL,
    plan_digest TEXT NOT NULL,
    plan_path TEXT,
    scan_id INTEGER,
    scan_after INTEGER,
    roots TEXT NOT NULL,
    command TEXT NOT NULL
);
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    line INTEGER NOT NULL,
    kind TEXT NOT NULL,
    finding TEXT NOT NULL,
    category TEXT NOT NULL,
    path BLOB NOT NULL,
    keep BLOB,
    size INTEGER NOT NULL,
    dev INTEGER,
    ino INTEGER,
    mtime_ns INTEGER,
    is_dir INTEGER NOT NULL DEFAULT 0,
    mode INTEGER,
    uid INTEGER,
    gid INTEGER,
    atime_ns INTEGER,
    nlink INTEGER,
    state TEXT NOT NULL,
    reason TEXT,
    stash BLOB,
    stash_how TEXT,
    tmp BLOB,
    new_ino INTEGER,
    restored_to BLOB,
    done_at REAL,
    undone_at REAL,
    purged_at REAL
);
CREATE INDEX actions_run ON actions (run_id, state);
CREATE INDEX actions_path ON actions (path);
"""


@dataclass
class Entry:
    """One action as the journal holds it."""

    id: int
    run_id: int
    line: int
    kind: str
    finding: str
    category: str
    path: bytes
    keep: bytes | None
    size: int
    dev: int | None
    ino: int | None
    mtime_ns: int | None
    is_dir: int
    mode: int | None
    uid: int | None
    gid: int | None
    atime_ns: int | None
    nlink: int | None
    state: str
    reason: str | None
    stash: bytes | None
    stash_how: str | None
    tmp: bytes | None
    new_ino: int | None
    restored_to: bytes | None
    done_at: float | None
    undone_at: float | None
    purged_at: float | None


_ENTRY_COLUMNS = [f.name for f in fields(Entry)]
_MUTABLE = [
    "dev", "ino", "mtime_ns", "mode", "uid", "gid", "atime_ns", "nlink", "state", "reason", "stash",
    "stash_how", "tmp", "new_ino", "restored_to", "done_at", "undone_at", "purged_at",
]  # fmt: skip


@dataclass
class Run:
    id: int
    started: float
    finished: float | None
    status: str
    plan_digest: str
    plan_path: str | None
    scan_id: int | None
    scan_after: int | None
    roots: list[str]
    command: str


def _nearly_full(folder: Path) -> bool:
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 256 * 1024


def _category(path: bytes) -> str:
    from menage.files.lint import category

    return category(path.rsplit(b"/", 1)[-1])


class Journal:
    """The open journal. Use as a context manager.

    Args:
        path: the SQLite file.
        lock: take the exclusive lock (every command that moves files does).
        wait: how long to wait for the lock before :class:`JournalBusy`.
    """

    def __init__(self, path: str | os.PathLike[str], lock: bool = True, wait: float = 0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.locked = False
        self._lock_fd: int | None = None
        if lock:
            self._take_lock(wait)
        try:
            with self._guard():
                self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                with self._guard():
                    self._check_and_migrate()
            except BaseException:
                self.db.close()
                raise
        except BaseException:
            self._release_lock()
            raise

    # -- lock ----------------------------------------------------------------------

    def _take_lock(self, wait: float) -> None:
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise JournalBusy(path=str(self.path)) from None
                time.sleep(0.05)
        self._lock_fd = fd
        self.locked = True

    def try_lock(self) -> bool:
        """Take the lock if nobody holds it (for read-mostly commands like history)."""
        if self.locked:
            return True
        try:
            self._take_lock(0)
        except JournalBusy:
            return False
        return True

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
            self.locked = False

    # -- file ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> MenageError:
        text = str(exc)
        if "disk is full" in text or getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            return StorageFull(path=str(self.path))
        if "locked" in text or "busy" in text:
            return JournalBusy(path=str(self.path))
        if "not a database" in text:
            return JournalForeign(path=str(self.path))
        if "disk I/O error" in text and _nearly_full(self.path.parent):
            # SQLite says "I/O error" when it cannot create its -shm file on a full disk
            return StorageFull(path=str(self.path))
        if "readonly" in text or "disk I/O error" in text:
            from menage.clean.errors import JournalError

            return JournalError(path=str(self.path), detail=text)
        from menage.home import menage_home

        return JournalCorrupted(
            path=str(self.path), detail=text, quarantine=str(menage_home() / "quarantine")
        )

    def _check_and_migrate(self) -> None:
        db = self.db
        application_id, version, empty = identity(db)
        if application_id == 0 and empty:
            create(db, _SCHEMA, APPLICATION_ID, SCHEMA_VERSION)
            from menage.clean.fsops import fsync_dir

            fsync_dir(os.fsencode(self.path.parent))
        elif application_id != APPLICATION_ID:
            raise JournalForeign(path=str(self.path))
        elif version > SCHEMA_VERSION:
            raise JournalTooNew(path=str(self.path), found=version, supported=SCHEMA_VERSION)
        db.execute("PRAGMA journal_mode=WAL")
        # every commit reaches the disk before the file operation it announces
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")

    def close(self) -> None:
        self.db.close()
        self._release_lock()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One durable transaction (committed and fsynced on exit)."""
        with self._guard():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")
                raise
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")
                raise

    # -- runs ----------------------------------------------------------------------

    def start_run(self, plan: Plan, digest: str, plan_path: str | None, command: str) -> Run:
        """Record a new run and all its actions as pending, in one transaction."""
        from menage.files.names import to_json

        now = time.time()
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO runs (started, status, plan_digest, plan_path, scan_id, roots, "
                "command) VALUES (?, 'running', ?, ?, ?, ?, ?)",
                (now, digest, plan_path, plan.scan_id,
                 json.dumps([to_json(r) for r in plan.roots]), command),
            )  # fmt: skip
            run_id = cursor.lastrowid
            assert run_id is not None
            self.db.executemany(
                "INSERT INTO actions (run_id, line, kind, finding, category, path, keep, size, "
                "dev, ino, mtime_ns, is_dir, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
                [
                    (run_id, n if not a.line else a.line, a.kind, a.finding, _category(a.path),
                     a.path, a.keep, a.size, a.device, a.inode, a.mtime_ns, int(a.is_folder))
                    for n, a in enumerate(plan.actions, start=1)
                ],
            )  # fmt: skip
        return self.run(run_id)

    def resumable_run(self, digest: str) -> Run | None:
        """An interrupted run of the same plan, to carry on rather than start again."""
        with self._guard():
            row = self.db.execute(
                "SELECT id FROM runs WHERE plan_digest = ? AND status = 'interrupted' "
                "ORDER BY id DESC LIMIT 1",
                (digest,),
            ).fetchone()
        return self.run(row[0]) if row else None

    def set_run(self, run_id: int, **values: Any) -> None:
        if "status" in values and values["status"] in ("done", "interrupted"):
            values.setdefault("finished", time.time())
        columns = ", ".join(f"{k} = ?" for k in values)
        with self.transaction():
            self.db.execute(f"UPDATE runs SET {columns} WHERE id = ?", (*values.values(), run_id))

    def run(self, run_id: int) -> Run:
        from menage.clean.errors import NoSuchRun

        with self._guard():
            row = self.db.execute(
                "SELECT id, started, finished, status, plan_digest, plan_path, scan_id, "
                "scan_after, roots, command FROM runs WHERE id = ?",
                (run_id,),
            ).fetchone()
        if row is None:
            raise NoSuchRun(run=run_id)
        return Run(
            id=row[0],
            started=row[1],
            finished=row[2],
            status=row[3],
            plan_digest=row[4],
            plan_path=row[5],
            scan_id=row[6],
            scan_after=row[7],
            roots=json.loads(row[8]),
            command=row[9],
        )

    def runs(self) -> list[Run]:
        with self._guard():
            ids = [r[0] for r in self.db.execute("SELECT id FROM runs ORDER BY id")]
        return [self.run(i) for i in ids]

    # -- actions -------------------------------------------------------------------

    def entries(self, run_id: int | None = None, states: Iterable[str] = ()) -> list[Entry]:
        """Actions of a run (or of every run) in the given states, in plan order."""
        query = f"SELECT {', '.join(_ENTRY_COLUMNS)} FROM actions WHERE 1"
        params: list[Any] = []
        if run_id is not None:
            query += " AND run_id = ?"
            params.append(run_id)
        states = list(states)
        if states:
            query += f" AND state IN ({', '.join('?' * len(states))})"
            params.extend(states)
        with self._guard():
            rows = self.db.execute(query + " ORDER BY run_id, id", params).fetchall()
        return [Entry(*row) for row in rows]

    def save(self, entries: Iterable[Entry]) -> None:
        """Write the changed fields of entries, in one durable transaction."""
        for e in entries:
            if e.reason is not None:
                # a reason may quote a name that is not UTF-8; SQLite text must be
                e.reason = e.reason.encode("utf-8", "backslashreplace").decode("utf-8")
        rows = [(*(getattr(e, c) for c in _MUTABLE), e.id) for e in entries]
        if not rows:
            return
        assignments = ", ".join(f"{c} = ?" for c in _MUTABLE)
        with self.transaction():
            self.db.executemany(f"UPDATE actions SET {assignments} WHERE id = ?", rows)

    def done_elsewhere(self, entry: Entry) -> int | None:
        """The run that already moved this very file (same path and inode), if any."""
        with self._guard():
            row = self.db.execute(
                "SELECT run_id FROM actions WHERE path = ? AND dev = ? AND ino = ? "
                "AND state IN ('done', 'purging', 'purged') AND run_id != ? LIMIT 1",
                (entry.path, entry.dev, entry.ino, entry.run_id),
            ).fetchone()
        return int(row[0]) if row else None


def action_from_entry(entry: Entry) -> Action:
    return Action(
        kind=entry.kind,
        path=entry.path,
        finding=entry.finding,
        size=entry.size,
        device=entry.dev,
        inode=entry.ino,
        mtime_ns=entry.mtime_ns,
        keep=entry.keep,
        line=entry.line,
    )


def default_journal_path() -> Path:
    from menage.home import menage_home

    return menage_home() / "journal.sqlite"
