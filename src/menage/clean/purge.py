"""Empty the quarantine for real: the one step of a cleanup that cannot be undone.

Only what a journal record points to is deleted, and only items that were moved
before a cut-off date (``--older-than``) or belong to a chosen run. Files sent to
the system trash are the trash's business and are left alone. A purged hardlink or
reflink action can still be undone: the file is rebuilt from its kept copy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from menage.clean.journal import Entry, Journal
from menage.clean.operations import purge_one
from menage.clean.quarantine import prune_empty_folders

BATCH = 500

PurgeProgress = Callable[[int, int], None]


@dataclass
class PurgeOutcome:
    files: int = 0
    #: bytes given back to the disk (a stashed file with other hardlinks frees nothing)
    freed: int = 0
    runs: set[int] = field(default_factory=set)


def purgeable(
    journal: Journal,
    older_than_s: float | None = None,
    run_id: int | None = None,
    now: float | None = None,
) -> list[Entry]:
    """Quarantined items selected for purging (all of them when no filter is given)."""
    now = time.time() if now is None else now
    found = []
    for entry in journal.entries(run_id, ("done",)):
        if entry.kind == "trash" or entry.stash is None:
            continue
        if older_than_s is not None and (entry.done_at or now) > now - older_than_s:
            continue
        found.append(entry)
    return found


def purge(
    journal: Journal, entries: list[Entry], progress: PurgeProgress | None = None
) -> PurgeOutcome:
    """Delete the stashed files of ``entries``. The journal must be locked and recovered."""
    outcome = PurgeOutcome()
    total = len(entries)
    for start in range(0, total, BATCH):
        batch = entries[start : start + BATCH]
        for entry in batch:
            entry.state = "purging"
        journal.save(batch)
        for entry in batch:
            outcome.freed += purge_one(entry)
            outcome.files += 1
            outcome.runs.add(entry.run_id)
        journal.save(batch)
        if progress is not None:
            progress(min(start + BATCH, total), total)
    prune_empty_folders(e.stash for e in entries)
    return outcome
