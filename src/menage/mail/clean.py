"""Carry out a mail cleanup through the cleanup journal, so that ``menage undo`` reverses it.

The plan (:mod:`menage.mail.select`) becomes a run of the journal, one action per
message, each naming its source (``imap``, ``mbox``, ``maildir``). Then, for each
action, in order: the intent is made durable, the operation registered for its
(source, kind) re-checks the message (and a duplicate's kept copy) at the last moment
and acts (:mod:`menage.mail.imap_ops`, :mod:`menage.mail.mbox_ops`, the files'
quarantine for a Maildir message), and the result is recorded. A run cut short (a
dropped connection, Ctrl-C) is carried on by the same command: what was done is not
done again, and an action in progress is first settled from what the mailbox shows.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from menage.clean.apply import Outcome
from menage.clean.bounds import Bounds
from menage.clean.journal import Entry, Journal
from menage.clean.operations import Context
from menage.clean.quarantine import Quarantine
from menage.clean.records import files_fingerprint
from menage.clean.registry import operation_for
from menage.clean.verify import Refused
from menage.errors import Interrupted
from menage.files.names import to_json
from menage.mail import sessions
from menage.mail.select import MailPlan, Target, fingerprint, keep_of

#: (actions handled, actions in all, bytes handled)
CleanProgress = Callable[[int, int, int], None]


def _row(plan: MailPlan, target: Target) -> dict[str, Any]:
    ref = target.meta.ref
    row: dict[str, Any] = {
        "source": target.source,
        "finding": target.finding,
        "category": "mail",
        "size": ref.size,
        "keep": keep_of(target),
    }
    if target.source == "imap":
        assert plan.destination is not None
        row.update(
            kind="move",
            ref=json_bytes(ref.to_json()),
            fingerprint=fingerprint(plan, target),
        )
    elif target.source == "mbox":
        row.update(
            kind="quarantine",
            path=target.path,
            ref=json_bytes(ref.to_json()),
            fingerprint=fingerprint(plan, target),
        )
    else:
        assert target.path is not None
        st = os.lstat(target.path)
        row.update(
            kind="quarantine",
            path=target.path,
            ref=target.path,
            dev=st.st_dev,
            ino=st.st_ino,
            mtime_ns=st.st_mtime_ns,
            size=st.st_size,
            fingerprint=files_fingerprint(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns),
        )
    return row


def json_bytes(data: dict[str, Any]) -> bytes:
    import json

    return json.dumps(data, sort_keys=True).encode()


def _stash(plan: MailPlan, entry: Entry) -> None:
    if entry.source == "imap":
        assert plan.destination is not None
        entry.stash = plan.destination.encode("utf-8")


def apply_mail(
    plan: MailPlan,
    journal: Journal,
    quarantine: Quarantine,
    command: str = "mail clean",
    progress: CleanProgress | None = None,
) -> Outcome:
    """Carry out a mail plan. The journal must be locked and recovered.

    Raises:
        CleanInterrupted: the server stayed out of reach; the run is interrupted and
            the same command carries it on.
        Interrupted: Ctrl-C; the action in progress was settled.
    """
    digest = plan.digest()
    run = journal.resumable_run(digest)
    resumed = run is not None
    if run is None:
        roots = [to_json(r) for r in plan.roots]
        run = journal.start_entries(digest, roots, command, [_row(plan, t) for t in plan.targets])
    else:
        journal.set_run(run.id, status="running", finished=None)
    outcome = Outcome(run.id, resumed=resumed)
    bounds = Bounds(plan.roots)
    ctx = Context(quarantine, run.id, bounds, record=lambda e: journal.save([e]))
    entries = journal.entries(run.id)
    outcome.done.extend(e for e in entries if e.state == "done")
    pending = [e for e in entries if e.state == "pending"]
    handled, handled_bytes = len(entries) - len(pending), 0
    current: Entry | None = None
    try:
        for entry in pending:
            operation = operation_for(entry)
            reason = operation.check(entry, bounds)
            if reason is None:
                if entry.stash is None:
                    _stash(plan, entry)
                operation.prepare(entry, ctx)
                journal.save([entry])  # the intent is durable before anything moves
                current = entry
                _perform(entry, ctx, outcome)
                current = None
            else:
                entry.state, entry.reason = "skipped", reason
                outcome.skipped.append(entry)
            journal.save([entry])
            handled += 1
            handled_bytes += entry.size
            if progress is not None:
                progress(handled, len(entries), handled_bytes)
    except KeyboardInterrupt:
        if current is not None and current.state == "intent":
            operation_for(current).settle(current)
            journal.save([current])
        journal.set_run(run.id, status="interrupted")
        raise Interrupted() from None
    except BaseException:
        # the action in progress stays an intent: the next command settles it
        journal.set_run(run.id, status="interrupted")
        raise
    finally:
        sessions.close_all()
    journal.set_run(run.id, status="done")
    return outcome


def _perform(entry: Entry, ctx: Context, outcome: Outcome) -> None:
    try:
        operation_for(entry).perform(entry, ctx)
    except Refused as refused:
        entry.state, entry.reason = "skipped", refused.reason
        outcome.skipped.append(entry)
        return
    except OSError as exc:
        if entry.state != "done":
            entry.state = "failed"
            entry.reason = exc.strerror or str(exc)
            outcome.failed.append(entry)
            return
    if entry.state == "done":
        outcome.done.append(entry)
    else:
        outcome.failed.append(entry)
