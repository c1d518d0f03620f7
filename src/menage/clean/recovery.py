"""Finish what a killed ``apply``, ``undo`` or ``purge`` left half done.

Run by every cleanup command once it holds the journal's lock: whoever held it
before is gone, so any action still ``intent``, ``undoing`` or ``purging`` was cut
short. Each is settled by looking at the files (:mod:`menage.clean.operations`):
finished if the file reached its stash, rolled back (and partial copies removed)
if it did not. A run still marked ``running`` becomes ``interrupted``; applying the
same plan again carries it on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from menage.clean.fsops import sync_dirs
from menage.clean.journal import Journal
from menage.clean.operations import settle, settle_purge, settle_undo


@dataclass
class Recovered:
    """Runs found interrupted, and how their actions in progress were settled."""

    runs: list[int] = field(default_factory=list)
    finished: int = 0
    rolled_back: int = 0

    def __bool__(self) -> bool:
        return bool(self.runs or self.finished or self.rolled_back)


def recover(journal: Journal) -> Recovered:
    """Settle every action in progress and mark dead runs as interrupted."""
    assert journal.locked, "recovery needs the journal's lock"
    result = Recovered()
    entries = journal.entries(states=("intent", "undoing", "purging"))
    for entry in entries:
        if entry.state == "intent":
            settle(entry)
            if entry.state == "done":
                result.finished += 1
            else:
                result.rolled_back += 1
        elif entry.state == "undoing":
            settle_undo(entry, "purged" if entry.purged_at else "done")
            if entry.state == "undone":
                result.finished += 1
            else:
                result.rolled_back += 1
        else:
            settle_purge(entry)
            if entry.state == "purged":
                result.finished += 1
            else:
                result.rolled_back += 1
    sync_dirs(
        d
        for e in entries
        for d in (e.path.rsplit(b"/", 1)[0] or b"/", (e.stash or b"/").rsplit(b"/", 1)[0] or b"/")
    )
    journal.save(entries)
    for run in journal.runs():
        if run.status == "running":
            left = journal.entries(run.id, states=("pending",))
            journal.set_run(run.id, status="interrupted" if left else "done")
            result.runs.append(run.id)
    return result
