"""Empty the quarantine for real: the one step of a cleanup that cannot be undone.

Only what a journal record points to is deleted, and only items that were moved
before a cut-off date (``--older-than``) or belong to a chosen run. Files sent to
the system trash are the trash's business and are left alone. A purged hardlink or
reflink action can still be undone: the file is rebuilt from its kept copy.

Each stash is verified against its journal record right before it is deleted:

* it lies in a quarantine (Ménage's data folder, or ``.menage-quarantine`` at the top
  of a filesystem), in its run's folder, with no symbolic link on the way;
* it is what was put there: the same inode when it was moved or linked, the same
  size and modification time when it was copied; a folder is removed with ``rmdir``
  only, so a file put into a quarantined folder stops its removal;
* for a duplicate, its kept copy still exists with the same bytes (compared through
  the open files): purging never deletes the last copy of a content.

Anything that does not match is left in the quarantine, with the reason. Purging
needs no new space: on a full disk, the journal's reserve is given back first
(:mod:`menage.clean.storage`).
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from menage import hooks
from menage.clean.fsops import lstat_or_none, open_for_reading, same_content_fd
from menage.clean.journal import Entry, Journal
from menage.clean.quarantine import COPY, prune_empty_folders, remove_stash
from menage.clean.registry import operation_for
from menage.clean.verify import Refused
from menage.errors import os_error_text
from menage.files.names import escape
from menage.home import QUARANTINE_DIRNAME, home_path
from menage.i18n import _

BATCH = 500

PurgeProgress = Callable[[int, int], None]


@dataclass
class PurgeOutcome:
    files: int = 0
    #: bytes given back to the disk (a stashed file with other hardlinks frees nothing)
    freed: int = 0
    runs: set[int] = field(default_factory=set)
    #: left in the quarantine, with the reason
    refused: list[tuple[Entry, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.refused


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
        if not operation_for(entry).purgeable or entry.stash is None:
            continue
        if older_than_s is not None and (entry.done_at or now) > now - older_than_s:
            continue
        found.append(entry)
    return found


def purge(
    journal: Journal, entries: list[Entry], progress: PurgeProgress | None = None
) -> PurgeOutcome:
    """Delete the stashed files of ``entries``. The journal must be locked and recovered.

    A stash that does not match its record is left in place (``refused``).
    """
    outcome = PurgeOutcome()
    total = len(entries)
    for start in range(0, total, BATCH):
        batch = entries[start : start + BATCH]
        for entry in batch:
            entry.state = "purging"
        journal.save(batch)
        for entry in batch:
            try:
                outcome.freed += operation_for(entry).purge(entry)
            except (Refused, OSError) as exc:
                reason = exc.reason if isinstance(exc, Refused) else (os_error_text(exc))
                entry.state, entry.reason = "done", reason
                outcome.refused.append((entry, reason))
                continue
            outcome.files += 1
            outcome.runs.add(entry.run_id)
        journal.save(batch)
        if progress is not None:
            progress(min(start + BATCH, total), total)
    prune_empty_folders(e.stash for e in entries if e.state == "purged")
    return outcome


def purge_one(entry: Entry) -> int:
    """Delete a stashed file for good, once verified. Returns the bytes freed on disk.

    Raises:
        Refused: the stash does not match its journal record (left in place).
    """
    stash = entry.stash
    if stash is None:
        entry.state, entry.purged_at = "purged", time.time()
        return 0
    where = _where_refused(entry, stash)
    if where is not None:
        raise Refused(where)
    st = lstat_or_none(stash)
    freed = 0
    if st is not None:
        _verify(entry, stash, st)
        if stat.S_ISREG(st.st_mode) and st.st_nlink == 1:
            # the blocks it holds: a sparse file frees what it uses, not its length
            freed = min(st.st_size, st.st_blocks * 512)
        hooks.at("purge.act", stash)
        try:
            remove_stash(stash)
        except OSError as exc:
            raise Refused(
                _("the quarantined folder now holds files; left in place ({error})").format(
                    error=os_error_text(exc)
                )
            ) from None
    entry.state = "purged"
    entry.purged_at = time.time()
    return freed


def _where_refused(entry: Entry, stash: bytes) -> str | None:
    """Why a path recorded as a stash is not one Ménage would have made, or None."""
    refused = _("its quarantine path {path} is not one of Ménage's; left alone").format(
        path=escape(stash)
    )
    marker = b"/run-%d/" % entry.run_id
    if marker not in stash:
        return refused
    base = stash[: stash.index(marker)]
    st = lstat_or_none(base)
    if st is None or not stat.S_ISDIR(st.st_mode):
        return refused
    if os.path.basename(base) != QUARANTINE_DIRNAME:
        try:
            if not os.path.samefile(base, home_path() / "quarantine"):
                return refused
        except OSError:
            return refused
    # no symbolic link inside the quarantine may lead out of it
    real_base = os.path.realpath(base)
    if not os.path.realpath(os.path.dirname(stash)).startswith(real_base + b"/"):
        return refused
    return None


def _verify(entry: Entry, stash: bytes, st: os.stat_result) -> None:
    changed = _("what is in the quarantine at {path} is not what was put there; left alone")
    if bool(entry.is_dir) != stat.S_ISDIR(st.st_mode):
        raise Refused(changed.format(path=escape(stash)))
    if entry.is_dir:
        return
    if not stat.S_ISREG(st.st_mode) or st.st_size != entry.size:
        raise Refused(changed.format(path=escape(stash)))
    if entry.stash_how == COPY:
        if st.st_mtime_ns != entry.mtime_ns:
            raise Refused(changed.format(path=escape(stash)))
    elif (st.st_dev, st.st_ino) != (entry.dev, entry.ino):
        raise Refused(changed.format(path=escape(stash)))
    if entry.finding == "duplicates" and entry.keep is not None:
        _check_kept_copy(entry, stash)


def _check_kept_copy(entry: Entry, stash: bytes) -> None:
    assert entry.keep is not None
    gone = _(
        "its kept copy {keep} is gone or changed: purging would delete the last copy of "
        "this content; left in the quarantine (`menage undo {run}` puts it back)"
    ).format(keep=escape(entry.keep), run=entry.run_id)
    try:
        fa = open_for_reading(stash)
    except OSError:
        raise Refused(gone) from None
    try:
        try:
            fb = open_for_reading(entry.keep)
        except OSError:
            raise Refused(gone) from None
        try:
            if not stat.S_ISREG(os.fstat(fb).st_mode) or not same_content_fd(fa, fb):
                raise Refused(gone)
        finally:
            os.close(fb)
    finally:
        os.close(fa)


def settle_purge(entry: Entry) -> None:
    """Settle a ``purging`` entry: ``done`` while its stash is there, else ``purged``."""
    if entry.stash is not None and lstat_or_none(entry.stash) is not None:
        entry.state = "done"
    else:
        entry.state = "purged"
        entry.purged_at = entry.purged_at or time.time()
