"""What a cleanup run freed, from its journal: real numbers for reports and campaigns.

A file counts as **freed** once it has left the scanned folders (quarantine, trash,
or replaced by a link to its kept copy) and has not been restored. Its bytes count
only when every path of its inode left: moving one of two hardlinks frees nothing.
The disk gets the bytes back when the quarantine is purged (``purged_bytes``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from menage.clean.journal import Entry, Journal, Run

#: states in which an action's file is out of the scanned folders
OUT = ("done", "purging", "purged")
MAIL_SOURCES = ("imap", "mbox", "maildir")


@dataclass
class Measures:
    """The numbers of one run (see the module docstring)."""

    run_id: int
    started: datetime
    finished: datetime | None
    status: str
    command: str
    scan_id: int | None
    scan_after: int | None
    planned: int = 0
    files: int = 0
    folders: int = 0
    bytes: int = 0
    skipped: int = 0
    failed: int = 0
    pending: int = 0
    undone: int = 0
    #: bytes of the files put back by ``undo`` (they count no more among the freed)
    restored_bytes: int = 0
    purged_bytes: int = 0
    #: where the items came from: ``files``, or ``imap``, ``mbox``, ``maildir`` (mail)
    source: str = "files"
    #: messages moved out of a mailbox (and not put back)
    messages: int = 0
    by_category: dict[str, dict[str, int]] = field(default_factory=dict)
    by_finding: dict[str, dict[str, int]] = field(default_factory=dict)
    by_action: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def state(self) -> str:
        """``done``, ``interrupted``, ``running``, ``undone`` or ``partly-undone``."""
        if self.undone and not (self.files or self.folders):
            return "undone"
        if self.undone:
            return "partly-undone"
        return self.status

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat() if self.finished else None,
            "status": self.state,
            "command": self.command,
            "scan_before": self.scan_id,
            "scan_after": self.scan_after,
            "planned": self.planned,
            "freed": {"files": self.files, "folders": self.folders, "bytes": self.bytes},
            "skipped": self.skipped,
            "failed": self.failed,
            "pending": self.pending,
            "undone": self.undone,
            "source": self.source,
            "messages": self.messages,
            "restored": {"items": self.undone, "bytes": self.restored_bytes},
            "purged_bytes": self.purged_bytes,
            "by_category": self.by_category,
            "by_finding": self.by_finding,
            "by_action": self.by_action,
        }


def _when(timestamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, UTC) if timestamp is not None else None


def run_measures(journal: Journal, run: Run) -> Measures:
    """Compute the measures of one run from its journal entries."""
    entries = journal.entries(run.id)
    started = _when(run.started)
    assert started is not None
    result = Measures(
        run_id=run.id,
        started=started,
        finished=_when(run.finished),
        status=run.status,
        command=run.command,
        scan_id=run.scan_id,
        scan_after=run.scan_after,
        planned=len(entries),
    )
    out = [e for e in entries if e.state in OUT]
    if entries:
        result.source = entries[0].source
    result.messages = sum(1 for e in out if e.source in MAIL_SOURCES)
    for e in entries:
        if e.state == "skipped":
            result.skipped += 1
        elif e.state == "failed":
            result.failed += 1
        elif e.state == "pending":
            result.pending += 1
        elif e.state == "undone":
            result.undone += 1
            result.restored_bytes += 0 if e.is_dir else e.size
    freed = _freed_bytes(out)
    counts: dict[str, dict[str, dict[str, int]]] = {
        "category": defaultdict(lambda: {"files": 0, "bytes": 0}),
        "finding": defaultdict(lambda: {"files": 0, "bytes": 0}),
        "action": defaultdict(lambda: {"files": 0, "bytes": 0}),
    }
    for e in out:
        if e.is_dir:
            result.folders += 1
        else:
            result.files += 1
        size = freed.get(e.id, 0)
        result.bytes += size
        for key, value in (("category", e.category), ("finding", e.finding), ("action", e.kind)):
            bucket = counts[key][value if not e.is_dir or key != "category" else "folders"]
            bucket["files"] += 1
            bucket["bytes"] += size
        if e.state == "purged" and e.kind != "trash":
            result.purged_bytes += size
    result.by_category = dict(counts["category"])
    result.by_finding = dict(counts["finding"])
    result.by_action = dict(counts["action"])
    return result


def _freed_bytes(out: list[Entry]) -> dict[int, int]:
    """Bytes credited to each entry: the inode's size, once all its paths have left."""
    by_inode: dict[tuple[int | None, int | None], list[Entry]] = defaultdict(list)
    credited: dict[int, int] = {}
    for e in out:
        if e.dev is None or e.ino is None:
            credited[e.id] = e.size  # a message in a server or an mbox: no inode
        elif not e.is_dir:
            by_inode[(e.dev, e.ino)].append(e)
    for group in by_inode.values():
        links = max(e.nlink or 1 for e in group)
        if len(group) >= links:
            credited[group[0].id] = group[0].size
    return credited


def measures(run_id: int, journal: Journal | None = None) -> Measures:
    """The measures of run ``run_id`` (opens the default journal when none is given).

    Raises:
        NoSuchRun: there is no such run.
    """
    if journal is not None:
        return run_measures(journal, journal.run(run_id))
    from menage.clean.journal import default_journal_path

    with Journal(default_journal_path(), lock=False) as opened:
        return run_measures(opened, opened.run(run_id))


def all_measures(journal: Journal) -> list[Measures]:
    return [run_measures(journal, run) for run in journal.runs()]
