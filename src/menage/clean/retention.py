"""What the quarantine holds, what purges gave back, and what has stayed too long.

Files moved by a cleanup wait in the quarantine so that ``undo`` can bring them back;
the space comes back to the disk only when they are purged. The quarantine has a
retention (30 days by default, ``quarantine_retention`` in the configuration file):
past it, the commands say so and propose ``menage purge --older-than``; nothing is ever
purged without being asked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from menage.clean.journal import Journal
from menage.clean.registry import operation_for

DAY_S = 86400.0
#: the default retention, in days
DEFAULT_RETENTION_DAYS = 30


@dataclass
class QuarantineState:
    """The quarantine as the journal records it."""

    retention_s: float
    #: items still in the quarantine (purgeable by Ménage; the system trash is not)
    items: int = 0
    bytes: int = 0
    #: of them, those kept longer than the retention
    expired_items: int = 0
    expired_bytes: int = 0
    expired_runs: list[int] = field(default_factory=list)
    #: what purges deleted for good, and the space they gave back
    purged_items: int = 0
    purged_bytes: int = 0
    #: bytes in the quarantine, by run
    by_run: dict[int, int] = field(default_factory=dict)

    @property
    def retention_days(self) -> int:
        return round(self.retention_s / DAY_S)

    def as_dict(self) -> dict[str, object]:
        return {
            "retention_days": self.retention_days,
            "in_quarantine": {"items": self.items, "bytes": self.bytes},
            "past_retention": {
                "items": self.expired_items,
                "bytes": self.expired_bytes,
                "runs": self.expired_runs,
            },
            "purged": {"items": self.purged_items, "bytes": self.purged_bytes},
        }


def quarantine_state(
    journal: Journal, retention_days: float = DEFAULT_RETENTION_DAYS, now: float | None = None
) -> QuarantineState:
    """Read the quarantine's contents and past purges from the journal."""
    from menage.clean.measures import all_measures

    now = time.time() if now is None else now
    state = QuarantineState(retention_s=retention_days * DAY_S)
    runs: set[int] = set()
    for entry in journal.entries(states=("done", "purged")):
        if entry.state == "purged":
            state.purged_items += 1
            continue
        if entry.stash is None or not operation_for(entry).purgeable:
            continue
        size = 0 if entry.is_dir else entry.size
        state.items += 1
        state.bytes += size
        state.by_run[entry.run_id] = state.by_run.get(entry.run_id, 0) + size
        if (entry.done_at or now) <= now - state.retention_s:
            state.expired_items += 1
            state.expired_bytes += size
            runs.add(entry.run_id)
    state.expired_runs = sorted(runs)
    if state.purged_items:
        state.purged_bytes = sum(m.purged_bytes for m in all_measures(journal))
    return state


def read_state(retention_days: float = DEFAULT_RETENTION_DAYS) -> QuarantineState | None:
    """The quarantine's state from the default journal, read without the lock (None when
    there is no journal yet or it cannot be read: a reminder never stops a command)."""
    from menage.clean.errors import CleanError
    from menage.clean.journal import default_journal_path

    path = default_journal_path()
    if not path.exists():
        return None
    try:
        with Journal(path, lock=False, read_only=True) as journal:
            return quarantine_state(journal, retention_days)
    except CleanError:
        return None
