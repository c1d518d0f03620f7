"""Finish what a killed ``apply``, ``undo`` or ``purge`` left half done.

Run by every cleanup command once it holds the journal's lock: whoever held it
before is gone, so any action still ``intent``, ``undoing`` or ``purging`` was cut
short. Each is settled by looking at the files (:mod:`menage.clean.operations`,
:mod:`menage.clean.restore`, :mod:`menage.clean.purge`): finished if the file reached
its destination, rolled back (and Ménage's own partial copies removed) if it did not.
A run still marked ``running`` becomes ``interrupted``; applying the same plan again
carries it on.

One entry that cannot be settled (a folder that cannot be read) is left for the
next command, with its reason: it never stops the others, nor the command.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from menage.clean.fsops import sync_dirs
from menage.clean.journal import Entry, Journal
from menage.clean.registry import operation_for
from menage.errors import os_error_text
from menage.i18n import _


@dataclass
class Recovered:
    """Runs found interrupted, and how their actions in progress were settled."""

    runs: list[int] = field(default_factory=list)
    finished: int = 0
    rolled_back: int = 0
    #: entries that could not be settled this time, with the reason
    unsettled: list[tuple[Entry, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.runs or self.finished or self.rolled_back or self.unsettled)


_FINISHED = {"intent": "done", "undoing": "undone", "purging": "purged"}


def _settle_one(entry: Entry) -> None:
    operation = operation_for(entry)
    if entry.state == "intent":
        operation.settle(entry)
    elif entry.state == "undoing":
        operation.settle_undo(entry, "purged" if entry.purged_at else "done")
    else:
        operation.settle_purge(entry)


def recover(journal: Journal) -> Recovered:
    """Settle every action in progress and mark dead runs as interrupted."""
    assert journal.locked, "recovery needs the journal's lock"
    result = Recovered()
    entries = journal.entries(states=("intent", "undoing", "purging"))
    for entry in entries:
        target = _FINISHED[entry.state]
        try:
            _settle_one(entry)
        except OSError as exc:
            entry.reason = _("cannot be settled yet: {error}").format(error=os_error_text(exc))
            result.unsettled.append((entry, entry.reason))
            continue
        if entry.state == target:
            result.finished += 1
        else:
            result.rolled_back += 1
    sync_dirs(
        d
        for e in entries
        if e.path is not None and e.source == "files"  # mail operations sync their own
        for d in (e.path.rsplit(b"/", 1)[0] or b"/", (e.stash or b"/").rsplit(b"/", 1)[0] or b"/")
    )
    journal.save(entries)
    for run in journal.runs():
        if run.status == "running":
            left = journal.entries(run.id, states=("pending",))
            journal.set_run(run.id, status="interrupted" if left else "done")
            result.runs.append(run.id)
    return result
