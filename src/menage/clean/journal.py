"""The write-ahead journal of cleanups: an SQLite file next to the quarantine.

Every run (an ``apply``) and each of its actions is a row (:mod:`menage.clean.records`
has the states). Each state is committed (WAL, ``synchronous=FULL``: fsynced)
*before* the file operation it announces and *after* the one it reports.
``intent``, ``undoing`` and ``purging`` mean "about to act": after a crash, the next
command looks where the file actually is and settles the action (see
:mod:`menage.clean.recovery`). The file itself, its lock and its errors are in
:mod:`menage.clean.storage`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from menage._sqlite import identity
from menage.clean import migrate, registry, storage
from menage.clean.errors import JournalBusy, JournalForeign, JournalReadOnly, JournalTooNew
from menage.clean.plan import Action, Plan
from menage.clean.records import (
    ENTRY_COLUMNS,
    MUTABLE,
    RUN_COLUMNS,
    RUN_STATUSES,
    Entry,
    Run,
    category_of,
    files_fingerprint,
)
from menage.errors import os_error_text

__all__ = ["Entry", "Journal", "Run", "default_journal_path"]


class Journal:
    """The open journal. Use as a context manager.

    Args:
        path: the SQLite file.
        lock: take the exclusive lock (every command that moves files does).
        wait: how long to wait for the lock before :class:`JournalBusy`.
        purging: give back the space reserve first if the disk is full (``purge``).
        read_only: only read it, as it is on disk (a read-only data folder; no lock).

    Raises:
        JournalBusy, JournalEmpty, JournalForeign, JournalTooNew, JournalCorrupted,
        JournalReadOnly, StorageFull: the journal cannot be used (it is not changed).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        lock: bool = True,
        wait: float = 0,
        purging: bool = False,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.locked = False
        self._lock_fd: int | None = None
        self._purging = purging
        self.read_only = read_only
        if read_only:
            self._open_read_only()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalReadOnly(
                path=str(self.path), detail=os_error_text(exc), folder=str(self.path.parent)
            ) from None
        if lock:
            self._take_lock(wait)
        try:
            if purging:
                storage.release_reserve(self.path)
            if not storage.check_file(self.path):
                storage.create_file(self.path)
            with storage.guard(self.path):
                self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                with storage.guard(self.path):
                    self._check()
            except BaseException:
                self.db.close()
                raise
        except BaseException:
            self._release_lock()
            raise
        if lock and not purging:
            storage.make_reserve(self.path)

    def _open_read_only(self) -> None:
        import urllib.parse

        storage.check_file(self.path)
        uri = "file:" + urllib.parse.quote(os.fspath(self.path)) + "?immutable=1"
        with storage.guard(self.path):
            self.db = sqlite3.connect(uri, uri=True, isolation_level=None)
        try:
            with storage.guard(self.path):
                self._check(write=False)
        except BaseException:
            self.db.close()
            raise

    # -- lock ----------------------------------------------------------------------

    def _take_lock(self, wait: float) -> None:
        self._lock_fd = storage.take_lock(self.path, wait)
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

    def _guard(self) -> contextlib.AbstractContextManager[None]:
        return storage.guard(self.path)

    def _check(self, write: bool = True) -> None:
        db = self.db
        application_id, version, _empty = identity(db)
        if application_id != storage.APPLICATION_ID:
            raise JournalForeign(path=str(self.path))
        if version > storage.SCHEMA_VERSION:
            raise JournalTooNew(
                path=str(self.path), found=version, supported=storage.SCHEMA_VERSION
            )
        if version < storage.SCHEMA_VERSION:
            if version not in migrate.MIGRATIONS:
                raise storage.damaged(self.path, f"unknown format {version}")
            if write:
                migrate.upgrade(db, self.path, version)
            else:
                self.db = migrate.upgrade_in_memory(db, self.path, version)
                db.close()
                db = self.db
        for table, columns in (("runs", RUN_COLUMNS.split(", ")), ("actions", ENTRY_COLUMNS)):
            found = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            if not set(columns) <= found:
                raise storage.damaged(self.path, f"the table {table} is incomplete")
        if not write:
            return
        db.execute("PRAGMA journal_mode=WAL")
        # every commit reaches the disk before the file operation it announces
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")

    def close(self) -> None:
        if self._purging and self.locked:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()
        if self.locked:
            storage.make_reserve(self.path)
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
                "INSERT INTO actions (run_id, line, source, ref, fingerprint, kind, finding, "
                "category, path, keep, size, dev, ino, mtime_ns, is_dir, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
                [
                    (run_id, n if not a.line else a.line, a.source, a.path, fingerprint_of(a),
                     a.kind,
                     a.finding, category_of(a.path), a.path, a.keep, a.size, a.device, a.inode,
                     a.mtime_ns, int(a.is_folder))
                    for n, a in enumerate(plan.actions, start=1)
                ],
            )  # fmt: skip
        return self.run(run_id)

    def start_entries(
        self, digest: str, roots: list[str], command: str, rows: list[dict[str, Any]]
    ) -> Run:
        """Record a run of another source than files (mail) and its actions, pending.

        Each row gives ``source, kind, finding, category, path, ref, fingerprint,
        keep, size`` and optionally ``dev, ino, mtime_ns`` (a Maildir file).
        """
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO runs (started, status, plan_digest, plan_path, scan_id, roots, "
                "command) VALUES (?, 'running', ?, NULL, NULL, ?, ?)",
                (time.time(), digest, json.dumps(roots), command),
            )
            run_id = cursor.lastrowid
            assert run_id is not None
            self.db.executemany(
                "INSERT INTO actions (run_id, line, source, ref, fingerprint, kind, finding, "
                "category, path, keep, size, dev, ino, mtime_ns, is_dir, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'pending')",
                [
                    (run_id, n, r["source"], r["ref"], r["fingerprint"], r["kind"],
                     r["finding"], r["category"], r.get("path"), r.get("keep"), r["size"],
                     r.get("dev"), r.get("ino"), r.get("mtime_ns"))
                    for n, r in enumerate(rows, start=1)
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

    def applied_run(self, digest: str) -> int | None:
        """The last finished run of the same plan whose moves still stand (some action
        done, not undone): applying that plan again would only skip every line."""
        with self._guard():
            row = self.db.execute(
                "SELECT id FROM runs WHERE plan_digest = ? AND status = 'done' AND EXISTS "
                "(SELECT 1 FROM actions WHERE actions.run_id = runs.id AND state = 'done') "
                "ORDER BY id DESC LIMIT 1",
                (digest,),
            ).fetchone()
        return int(row[0]) if row else None

    def set_run(self, run_id: int, **values: Any) -> None:
        if "status" in values and values["status"] in ("done", "interrupted"):
            values.setdefault("finished", time.time())
        columns = ", ".join(f"{k} = ?" for k in values)
        with self.transaction():
            self.db.execute(f"UPDATE runs SET {columns} WHERE id = ?", (*values.values(), run_id))

    def _run_from_row(self, row: tuple[Any, ...]) -> Run:
        try:
            roots = json.loads(row[8])
            valid = (
                isinstance(row[0], int)
                and row[3] in RUN_STATUSES
                and isinstance(roots, list)
                and all(isinstance(r, str) for r in roots)
            )
        except (TypeError, ValueError):
            valid = False
        if not valid:
            raise storage.damaged(self.path, f"run {row[0]!r} cannot be read")
        return Run(
            id=row[0],
            started=row[1],
            finished=row[2],
            status=row[3],
            plan_digest=row[4],
            plan_path=row[5],
            scan_id=row[6],
            scan_after=row[7],
            roots=roots,
            command=row[9],
        )

    def run(self, run_id: int) -> Run:
        """The run ``run_id``.

        Raises:
            NoSuchRun: there is no such run.
        """
        from menage.clean.errors import NoSuchRun

        with self._guard():
            row = self.db.execute(
                f"SELECT {RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
        if row is None:
            raise NoSuchRun(run=run_id)
        return self._run_from_row(row)

    def runs(self) -> list[Run]:
        """Every run, oldest first (read in one pass: an id that cannot be found again
        is damage, never "no such run")."""
        with self._guard():
            rows = self.db.execute(f"SELECT {RUN_COLUMNS} FROM runs ORDER BY id").fetchall()
        return [self._run_from_row(row) for row in rows]

    # -- actions -------------------------------------------------------------------

    def entries(self, run_id: int | None = None, states: Iterable[str] = ()) -> list[Entry]:
        """Actions of a run (or of every run) in the given states, in plan order.

        Raises:
            JournalCorrupted: a row holds what Ménage never writes.
        """
        query = f"SELECT {', '.join(ENTRY_COLUMNS)} FROM actions WHERE 1"
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
        for row in rows:
            problem = registry.row_problem(row)
            if problem is not None:
                raise storage.damaged(self.path, problem)
        return [Entry(*row) for row in rows]

    def save(self, entries: Iterable[Entry]) -> None:
        """Write the changed fields of entries, in one durable transaction."""
        entries = list(entries)
        for e in entries:
            if e.reason is not None:
                # a reason may quote a name that is not UTF-8; SQLite text must be
                e.reason = e.reason.encode("utf-8", "backslashreplace").decode("utf-8")
        rows = [(*(getattr(e, c) for c in MUTABLE), e.id) for e in entries]
        if not rows:
            return
        assignments = ", ".join(f"{c} = ?" for c in MUTABLE)
        with self.transaction():
            self.db.executemany(f"UPDATE actions SET {assignments} WHERE id = ?", rows)

    def record_unsubscription(self, **values: Any) -> None:
        """Record one unsubscription (``menage mail unsubscribe``): ``source, sender,
        list_id, method`` (``one-click``, ``mailto``, ``link``), ``target``, ``status``
        (``done``, ``shown``, ``refused``, ``failed``), ``detail``, ``messages``, ``bytes``."""
        columns = ["at", *values]
        with self.transaction():
            self.db.execute(
                f"INSERT INTO unsubscriptions ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                (time.time(), *values.values()),
            )

    def unsubscriptions(self, since: float = 0) -> list[dict[str, Any]]:
        """Unsubscriptions recorded since ``since`` (a timestamp), oldest first."""
        with self._guard():
            cursor = self.db.execute(
                "SELECT * FROM unsubscriptions WHERE at >= ? ORDER BY id", (since,)
            )
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def done_elsewhere(self, entry: Entry) -> int | None:
        """The run that already moved this very file (same path and inode), if any."""
        with self._guard():
            row = self.db.execute(
                "SELECT run_id FROM actions WHERE path = ? AND dev = ? AND ino = ? "
                "AND state IN ('done', 'purging', 'purged') AND run_id != ? LIMIT 1",
                (entry.path, entry.dev, entry.ino, entry.run_id),
            ).fetchone()
        return int(row[0]) if row else None


def fingerprint_of(action: Action) -> str:
    """The journal's fingerprint of a planned action, as its source reads it."""
    if action.source == "photos":
        from menage.clean.photo_keep import photos_fingerprint

        return photos_fingerprint(
            action.device, action.inode, action.size, action.mtime_ns,
            action.keep_fingerprint, bool(action.confirmed),
        )  # fmt: skip
    return files_fingerprint(action.device, action.inode, action.size, action.mtime_ns)


def default_journal_path() -> Path:
    from menage.home import JOURNAL_NAME, menage_home

    return menage_home() / JOURNAL_NAME
