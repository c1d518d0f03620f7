"""Folders a cleanup left empty: found, then (when the person agrees) removed.

After a run moved files away, the folders that held them may be left empty. Only
those are offered: a folder qualifies when it is inside the run's roots (never a root,
never a mount point, never one of Ménage's own folders), some file the run moved was
in it (or in a subfolder), and everything it still holds is a folder that qualifies
too. A folder that holds anything else (a file, a link, an empty folder that was
already there) had other content, and is never offered. Only the topmost qualifying
folders are listed: each is removed with its empty subfolders as one action.

They are removed as actions of the same run, ``quarantine`` of a folder
(:mod:`menage.clean.file_operations`): each is recorded in the journal (pending, then
``intent``) before anything changes, checked again at the last moment by identity
(device, inode), modification time (unchanged since it was offered) and emptiness,
its tree made again in the quarantine with modes and times, then removed with
``rmdir`` only. A crash at any step is settled by :mod:`menage.clean.recovery` like
any other action. Being later actions of the run, ``undo`` (which goes in reverse
order) makes them again, with their mode and times, before it puts the files back.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field

from menage.clean.bounds import Bounds
from menage.clean.fsops import lstat_or_none, sync_dirs
from menage.clean.journal import Entry, Journal
from menage.clean.operations import Context
from menage.clean.quarantine import Quarantine
from menage.clean.records import files_fingerprint
from menage.clean.registry import operation_for
from menage.clean.verify import Refused
from menage.errors import Interrupted, os_error_text
from menage.files.names import from_json
from menage.i18n import _

#: the finding the removal of a folder left empty is filed under
FINDING = "empty_dirs"


@dataclass(frozen=True)
class Emptied:
    """A folder the run left empty, as it was when it was found."""

    path: bytes
    dev: int
    ino: int
    mtime_ns: int


@dataclass
class EmptiedOutcome:
    removed: list[Entry] = field(default_factory=list)
    #: left in place, with the reason (something was saved in it meanwhile...)
    kept: list[Entry] = field(default_factory=list)


def _inside(path: bytes, root: bytes) -> bool:
    root = root.rstrip(b"/") or b"/"
    prefix = root if root == b"/" else root + b"/"
    return path != root and path.startswith(prefix)


def emptied_folders(journal: Journal, run_id: int) -> list[Emptied]:
    """The folders run ``run_id`` left empty, topmost first in path order."""
    run = journal.run(run_id)
    roots = [from_json(r) for r in run.roots]
    bounds = Bounds(roots)
    moved = [
        e.path
        for e in journal.entries(run_id, ("done",))
        if e.path is not None and not e.is_dir and e.source in ("files", "photos")
        and lstat_or_none(e.path) is None
    ]  # fmt: skip
    candidates: set[bytes] = set()
    for path in moved:
        folder = os.path.dirname(path)
        while any(_inside(folder, root) for root in roots) and folder not in candidates:
            candidates.add(folder)
            folder = os.path.dirname(folder)
    found: dict[bytes, os.stat_result] = {}
    for folder in sorted(candidates, key=lambda p: p.count(b"/"), reverse=True):
        st = _qualifies(folder, found, bounds)
        if st is not None:
            found[folder] = st
    return [
        Emptied(path, st.st_dev, st.st_ino, st.st_mtime_ns)
        for path, st in sorted(found.items())
        if os.path.dirname(path) not in found
    ]


def _qualifies(
    folder: bytes, found: dict[bytes, os.stat_result], bounds: Bounds
) -> os.stat_result | None:
    st = lstat_or_none(folder)
    if st is None or not stat.S_ISDIR(st.st_mode):
        return None
    parent = lstat_or_none(os.path.dirname(folder))
    if parent is None or parent.st_dev != st.st_dev:
        return None  # a mount point
    if (st.st_dev, st.st_ino) in bounds.own.folders or bounds.refuse(folder) is not None:
        return None
    try:
        with os.scandir(folder) as items:
            if any(item.path not in found for item in items):
                return None
    except OSError:
        return None
    return st


def remove_emptied(
    journal: Journal, quarantine: Quarantine, run_id: int, folders: list[Emptied]
) -> EmptiedOutcome:
    """Remove the folders (as found by :func:`emptied_folders`) through the journal.
    The journal must be locked and recovered.

    Raises:
        Interrupted: Ctrl-C; the folder in progress was settled, the run is marked
            interrupted (the next command finishes or rolls back as for any action).
    """
    outcome = EmptiedOutcome()
    if not folders:
        return outcome
    run = journal.run(run_id)
    bounds = Bounds([from_json(r) for r in run.roots])
    journal.set_run(run_id, status="running", finished=None)
    entries = _record(journal, run_id, folders)
    ctx = Context(quarantine, run_id, bounds, record=lambda entry: journal.save([entry]))
    current: Entry | None = None
    try:
        for entry in entries:
            operation = operation_for(entry)
            seen_mtime = entry.mtime_ns
            reason = operation.check(entry, bounds)
            if reason is None and entry.mtime_ns != seen_mtime:
                reason = _("changed since the cleanup emptied it")
            if reason is not None:
                entry.state, entry.reason = "skipped", reason
                journal.save([entry])
                outcome.kept.append(entry)
                continue
            operation.prepare(entry, ctx)
            entry.stash = _stash_of(entry)
            journal.save([entry])  # the intent is durable before the folder goes
            current = entry
            try:
                folders_to_sync = operation.perform(entry, ctx)
            except Refused as refused:
                entry.state, entry.reason = "skipped", refused.reason
                outcome.kept.append(entry)
                folders_to_sync = []
            except OSError as exc:
                if entry.state != "done":
                    entry.state = "failed"
                    entry.reason = _("could not be removed: {error}").format(
                        error=os_error_text(exc)
                    )
                    outcome.kept.append(entry)
                folders_to_sync = []
            sync_dirs(folders_to_sync)
            journal.save([entry])
            current = None
            if entry.state == "done":
                outcome.removed.append(entry)
    except KeyboardInterrupt:
        if current is not None and current.state == "intent":
            operation_for(current).settle(current)
            journal.save([current])
        journal.set_run(run_id, status="interrupted")
        raise Interrupted() from None
    journal.set_run(run_id, status="done")
    return outcome


def _stash_of(entry: Entry) -> bytes:
    """Where the folder's tree is made again: not where the quarantine mirrors its path,
    since the files this run moved out of it are already there."""
    assert entry.stash is not None
    base = entry.stash.split(b"/run-%d/" % entry.run_id, 1)[0]
    return os.path.join(base, b"run-%d" % entry.run_id, b"_emptied", b"%d" % entry.id)


def _record(journal: Journal, run_id: int, folders: list[Emptied]) -> list[Entry]:
    """The folders as pending actions of the run, in one durable transaction."""
    first_line = 1 + max((e.line for e in journal.entries(run_id)), default=0)
    with journal.transaction():
        ids = []
        for number, folder in enumerate(folders):
            cursor = journal.db.execute(
                "INSERT INTO actions (run_id, line, source, ref, fingerprint, kind, finding, "
                "category, path, keep, size, dev, ino, mtime_ns, is_dir, state) "
                "VALUES (?, ?, 'files', ?, ?, 'quarantine', ?, 'folders', ?, NULL, 0, ?, ?, ?, "
                "1, 'pending')",
                (run_id, first_line + number, folder.path,
                 files_fingerprint(folder.dev, folder.ino, 0, folder.mtime_ns), FINDING,
                 folder.path, folder.dev, folder.ino, folder.mtime_ns),
            )  # fmt: skip
            ids.append(cursor.lastrowid)
    by_id = {e.id: e for e in journal.entries(run_id, ("pending",))}
    return [by_id[i] for i in ids if i in by_id]
