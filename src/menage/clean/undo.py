"""Undo a run: put every file it moved back where it was, with its mode and times.

Restores go in reverse order, each through the journal (``undoing`` is durable
before the file moves back). A file is never written over: when something now
stands at the original path (even if it was saved there during the undo), the file
comes back beside it as ``NAME (restored).EXT`` and the result says so
(:mod:`menage.clean.restore`). An entry that cannot be restored is left as it was,
with its reason: it never keeps the other entries, or later commands, from running.
A hardlink or reflink is replaced by the original, independent file again; after a
purge, that file is rebuilt from the kept copy (their contents were verified equal),
with its own mode and times.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from menage.clean.bounds import Bounds
from menage.clean.errors import NothingToUndo
from menage.clean.fsops import sync_dirs
from menage.clean.journal import Entry, Journal, Run
from menage.clean.quarantine import prune_empty_folders
from menage.clean.registry import operation_for
from menage.clean.verify import Refused
from menage.errors import Interrupted, os_error_text
from menage.files.names import from_json
from menage.i18n import _

BATCH = 200

UndoProgress = Callable[[int, int], None]


@dataclass
class UndoOutcome:
    run_id: int
    restored: list[Entry] = field(default_factory=list)
    #: restored beside their path, because something stands there now
    beside: list[Entry] = field(default_factory=list)
    failed: list[tuple[Entry, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failed


def undoable(entry: Entry) -> bool:
    if entry.state == "done":
        return True
    # after a purge, only a link can be rebuilt (from the kept copy)
    return entry.state == "purged" and operation_for(entry).undoable_after_purge


def run_to_undo(journal: Journal, run_id: int | None) -> Run:
    """The run asked for, or the latest with something to undo.

    Raises:
        NoSuchRun: there is no such run.
        NothingToUndo: no run has anything left to undo.
    """
    if run_id is not None:
        run = journal.run(run_id)
        if not any(undoable(e) for e in journal.entries(run.id, ("done", "purged"))):
            raise NothingToUndo(
                detail=_("run {run} has nothing left to restore").format(run=run.id)
            )
        return run
    runs = journal.runs()
    for run in reversed(runs):
        if any(undoable(e) for e in journal.entries(run.id, ("done", "purged"))):
            return run
    if any(journal.entries(run.id, ("undone",)) for run in runs):
        raise NothingToUndo(
            detail=_("every cleanup has already been undone; `menage history` lists them")
        )
    raise NothingToUndo(detail=_("no cleanup has moved any file yet"))


def entries_to_undo(journal: Journal, run_id: int) -> list[Entry]:
    entries = [e for e in journal.entries(run_id, ("done", "purged")) if undoable(e)]
    entries.reverse()
    return entries


def undo_run(journal: Journal, run_id: int, progress: UndoProgress | None = None) -> UndoOutcome:
    """Restore every file of a run. The journal must be locked and recovered.

    Raises:
        Interrupted: Ctrl-C; what was restored stays restored, the rest can be
            undone by running the command again.
    """
    entries = entries_to_undo(journal, run_id)
    outcome = UndoOutcome(run_id)
    bounds = Bounds([from_json(r) for r in journal.run(run_id).roots])
    total = len(entries)
    in_flight: list[tuple[Entry, str]] = []
    try:
        for start in range(0, total, BATCH):
            batch = entries[start : start + BATCH]
            in_flight = []
            for entry in batch:
                previous = entry.state
                operation_for(entry).prepare_undo(entry)
                in_flight.append((entry, previous))
            journal.save(batch)
            folders: list[bytes] = []
            for entry, previous in in_flight:
                try:
                    operation_for(entry).undo(entry, previous, bounds, lambda e: journal.save([e]))
                except Refused as refused:
                    outcome.failed.append((entry, refused.reason))
                    continue
                except OSError as exc:
                    reason = os_error_text(exc)
                    entry.reason = reason
                    outcome.failed.append((entry, reason))
                    continue
                outcome.restored.append(entry)
                if entry.restored_to != entry.path:
                    outcome.beside.append(entry)
                if entry.restored_to is not None and entry.source == "files":
                    folders.append(os.path.dirname(entry.restored_to))
            sync_dirs(folders)
            journal.save(batch)
            in_flight = []
            if progress is not None:
                progress(min(start + BATCH, total), total)
    except KeyboardInterrupt:
        for entry, previous in in_flight:
            if entry.state == "undoing":
                operation_for(entry).settle_undo(entry, previous)
        journal.save(e for e, _p in in_flight)
        raise Interrupted() from None
    prune_empty_folders(e.stash for e in outcome.restored if operation_for(e).purgeable)
    return outcome
