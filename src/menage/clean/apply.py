"""Carry out a plan through the journal, in batches.

For each batch: check every file (:mod:`menage.clean.verify`), record the intents
of those that passed and the reasons of those that did not in one durable
transaction; then, for each action, check its file and kept copy again right
before acting (content compared through the open files), act, and verify nothing
changed meanwhile (:mod:`menage.clean.operations`); fsync the folders touched, then
record the actions as done in a second durable transaction. Batches keep the number
of fsyncs low without weakening anything: an intent is always on disk before its
file moves, and :mod:`menage.clean.recovery` settles any intent from where the file
is.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from menage.clean.bounds import Bounds
from menage.clean.errors import AlreadyApplied
from menage.clean.fsops import REFLINK_UNSUPPORTED, lstat_or_none, same_file, sync_dirs
from menage.clean.journal import Entry, Journal
from menage.clean.operations import Context
from menage.clean.plan import Action, Plan
from menage.clean.quarantine import Quarantine
from menage.clean.records import category_of
from menage.clean.registry import operation_for
from menage.clean.verify import KEPT_COPY_REMOVED, Refused, check
from menage.errors import Interrupted, os_error_text
from menage.i18n import _

BATCH_ACTIONS = 200
BATCH_SECONDS = 0.5

#: progress callback: (actions handled, actions in all, bytes handled)
ApplyProgress = Callable[[int, int, int], None]


@dataclass
class Outcome:
    """What a run did."""

    run_id: int
    resumed: bool = False
    done: list[Entry] = field(default_factory=list)
    skipped: list[Entry] = field(default_factory=list)
    failed: list[Entry] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.skipped and not self.failed


def apply_plan(
    plan: Plan,
    journal: Journal,
    quarantine: Quarantine,
    digest: str,
    plan_path: str | None = None,
    command: str = "apply",
    progress: ApplyProgress | None = None,
) -> Outcome:
    """Apply a checked plan. The journal must be locked and recovered.

    An interrupted run of the same plan (same digest) is carried on rather than
    started again: its done actions are not repeated.

    Raises:
        AlreadyApplied: an earlier run of the same plan still stands (undo it first
            to apply the plan again).
        Interrupted: Ctrl-C; the actions in progress were settled, the run is
            recorded as interrupted.
        StorageFull: the journal could not be written (no file was moved without
            its intent on disk).
    """
    run = journal.resumable_run(digest)
    resumed = run is not None
    if run is None:
        earlier = journal.applied_run(digest)
        if earlier is not None:
            raise AlreadyApplied(run=earlier)
        run = journal.start_run(plan, digest, plan_path, command)
    else:
        journal.set_run(run.id, status="running", finished=None)
    outcome = Outcome(run.id, resumed=resumed)
    bounds = Bounds(plan.roots)
    ctx = Context(quarantine, run.id, bounds, record=lambda entry: journal.save([entry]))
    entries = journal.entries(run.id)
    total = len(entries)
    pending = [e for e in entries if e.state == "pending"]
    for e in entries:
        if e.state == "done":
            outcome.done.append(e)
    handled = total - len(pending)
    handled_bytes = 0
    kept = {e.keep for e in entries if e.keep is not None}
    in_flight: list[Entry] = []
    try:
        index = 0
        while index < len(pending):
            started = time.monotonic()
            checked: list[Entry] = []
            ready: list[Entry] = []
            while index < len(pending) and len(checked) < BATCH_ACTIONS:
                entry = pending[index]
                index += 1
                checked.append(entry)
                reason = _precheck(journal, entry, kept)
                if reason is None:
                    reason = operation_for(entry).check(entry, bounds)
                if reason is not None:
                    entry.state, entry.reason = "skipped", _already_moved(journal, entry, reason)
                    outcome.skipped.append(entry)
                else:
                    operation_for(entry).prepare(entry, ctx)
                    ready.append(entry)
                if time.monotonic() - started > BATCH_SECONDS:
                    break
            journal.save(checked)  # intents durable before any file moves
            in_flight = ready
            folders: list[bytes] = []
            for entry in ready:
                folders.extend(_perform(journal, entry, ctx, outcome))
            sync_dirs(folders)
            journal.save(ready)
            in_flight = []
            handled += len(checked)
            handled_bytes += sum(e.size for e in checked)
            if progress is not None:
                progress(handled, total, handled_bytes)
    except KeyboardInterrupt:
        for entry in in_flight:
            if entry.state == "intent":
                operation_for(entry).settle(entry)
        journal.save(in_flight)
        journal.set_run(run.id, status="interrupted")
        raise Interrupted() from None
    journal.set_run(run.id, status="done")
    return outcome


def _precheck(journal: Journal, entry: Entry, kept: set[bytes]) -> str | None:
    if entry.path in kept:
        return _(KEPT_COPY_REMOVED)
    return None


def _already_moved(journal: Journal, entry: Entry, reason: str) -> str:
    """A clearer reason when the file is gone because a run moved it. Only then: a
    file at the path with the same inode number is another file (numbers are reused
    once a purge frees them), never "already moved"."""
    if entry.ino is None or same_file(lstat_or_none(entry.path), entry.dev, entry.ino):
        return reason
    other = journal.done_elsewhere(entry)
    if other is None:
        return reason
    return _("already moved by run {run}").format(run=other)


def _perform(journal: Journal, entry: Entry, ctx: Context, outcome: Outcome) -> list[bytes]:
    try:
        folders = operation_for(entry).perform(entry, ctx)
    except Refused as refused:
        _left(entry, "skipped", refused.reason, outcome)
        return []
    except OSError as exc:
        if entry.kind == "reflink" and exc.errno in REFLINK_UNSUPPORTED:
            reason = _(
                "this filesystem cannot share blocks between files (reflink works on Btrfs, "
                "XFS, bcachefs, ZFS 2.2+); use --action hardlink or quarantine"
            )
        elif exc.errno == errno.ENOSPC:
            reason = _("no space left to keep a copy in the quarantine; left in place")
        else:
            reason = _("could not be moved: {error}").format(error=os_error_text(exc))
        _left(entry, "failed", reason, outcome)
        return []
    if entry.state == "done":
        outcome.done.append(entry)
    else:  # settled by perform itself (vanished)
        outcome.failed.append(entry)
    return folders


def _left(entry: Entry, state: str, reason: str, outcome: Outcome) -> None:
    if entry.state == "done":  # the move happened before the error: keep it
        outcome.done.append(entry)
        return
    entry.state, entry.reason = state, reason
    (outcome.skipped if state == "skipped" else outcome.failed).append(entry)


def home_quarantine() -> Quarantine:
    from menage.home import menage_home

    return Quarantine(os.fsencode(menage_home() / "quarantine"))


def preview_entry(action: Action, number: int, run_id: int = 0) -> Entry:
    """A journal entry for an action that is not in the journal (dry runs)."""
    from menage.clean.journal import fingerprint_of

    return Entry(
        id=number, run_id=run_id, line=action.line or number, source=action.source,
        kind=action.kind,
        finding=action.finding, category=category_of(action.path), path=action.path,
        keep=action.keep, size=action.size, dev=action.device, ino=action.inode,
        mtime_ns=action.mtime_ns, is_dir=int(action.is_folder), mode=None, uid=None, gid=None,
        atime_ns=None, nlink=None, state="pending", reason=None, stash=None, stash_how=None,
        tmp=None, new_ino=None, restored_to=None, done_at=None, undone_at=None, purged_at=None,
        ref=action.path, fingerprint=fingerprint_of(action),
    )  # fmt: skip


def dry_run(plan: Plan) -> list[tuple[Action, str | None]]:
    """Check every action as ``apply`` would, without changing anything.

    Returns:
        Each action with None (would be done) or the reason it would be skipped.
    """
    kept = {a.keep for a in plan.actions if a.keep is not None}
    bounds = Bounds(plan.roots)
    results: list[tuple[Action, str | None]] = []
    for number, action in enumerate(plan.actions, start=1):
        if action.path in kept:
            results.append((action, _(KEPT_COPY_REMOVED)))
            continue
        entry = preview_entry(action, number)
        if entry.source == "photos":
            from menage.clean.photo_operations import check_content

            results.append((action, check_content(entry, bounds)))
            continue
        results.append((action, check(entry, bounds, content=True)))
    return results
