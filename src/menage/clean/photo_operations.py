"""The operations on near-duplicate photos, registered as ("photos", kind).

A near-duplicate is not the same bytes as the photo kept, so the check of an exact
duplicate (same size, same content, byte for byte) cannot apply. What keeps a
near-duplicate cleanup safe instead:

* **the person confirmed it**: a plan proposes the near-duplicates of a group with
  ``"confirmed": false``; only a line the person confirmed (``true`` in the plan file,
  or the photo picked by its id with ``menage plan --pick``) is ever acted on. A rule
  alone never removes a near-duplicate;
* **the photo kept is the one the person saw**: the plan records its identity
  (device, inode, size, modification time) and its content hash (xxh3-128), read when
  the plan was made; right before the act the kept photo is opened, its identity
  compared, and its content hashed again through that open file. Gone, replaced,
  edited: the action is skipped with the reason, nothing moves;
* after the act, the kept photo must still be at its path, unchanged
  (:meth:`~menage.clean.verify.Opened.changed`), or the photo is put back.

The acts themselves (quarantine, trash), the undo, the purge and the recovery are
those of files (:mod:`menage.clean.operations`, :mod:`~menage.clean.restore`,
:mod:`~menage.clean.purge`); the purge also refuses to delete a near-duplicate
whose kept photo is gone.
"""

from __future__ import annotations

import json
import os
import stat
from functools import partial
from typing import Any

from menage.clean import operations, purge, restore
from menage.clean.bounds import Bounds
from menage.clean.fsops import lstat_or_none
from menage.clean.photo_keep import content_hash, is_keep_fingerprint
from menage.clean.records import Entry
from menage.clean.registry import Operation, register
from menage.clean.verify import Opened, Refused, check_item, open_item, open_verified
from menage.files.names import escape
from menage.i18n import N_, _

SOURCE = "photos"
#: the kinds of findings whose actions are near-duplicate photos
FINDINGS = ("similar_photos", "bursts")

NOT_CONFIRMED = N_(
    "not confirmed: a near-duplicate photo is removed only once you confirm its line in the "
    'plan file ("confirmed": true) or pick it (menage plan --pick)'
)


def _planned(entry: Entry) -> tuple[dict[str, Any] | None, bool]:
    try:
        data = json.loads(entry.fingerprint)
    except ValueError:
        return None, False
    keep = data.get("keep") if isinstance(data, dict) else None
    confirmed = isinstance(data, dict) and data.get("confirmed") is True
    return (keep if is_keep_fingerprint(keep) else None), confirmed


def _keep_refused(
    entry: Entry, item: os.stat_result, kept: os.stat_result | None, bounds: Bounds
) -> str | None:
    """Why the kept photo is not the one planned (by its metadata), or None."""
    keep, _confirmed = _planned(entry)
    assert entry.keep is not None
    shown = escape(entry.keep)
    if keep is None:
        return _("the plan does not say which photo is kept: make the plan again")
    if kept is None:
        return _("the kept photo {path} is no longer there; left in place").format(path=shown)
    if not stat.S_ISREG(kept.st_mode):
        return _("the kept photo {path} is not a regular file; left in place").format(path=shown)
    if (kept.st_dev, kept.st_ino) == (item.st_dev, item.st_ino):
        return _("the kept photo is this very file (a hardlink): left in place")
    if (kept.st_dev, kept.st_ino) != (keep["device"], keep["inode"]):
        return _("the kept photo {path} was replaced by another file; left in place").format(
            path=shown
        )
    if (kept.st_size, kept.st_mtime_ns) != (keep["size"], keep["mtime_ns"]):
        return _("the kept photo {path} was modified since the plan; left in place").format(
            path=shown
        )
    if bounds.is_own_file(kept):
        return _("the kept photo {path} is one of Ménage's own files").format(path=shown)
    where = bounds.refuse(entry.keep)
    if where is not None:
        return _("the kept photo {path} is {where}").format(path=shown, where=where)
    return None


def check(entry: Entry, bounds: Bounds) -> str | None:
    """Confirmed, the photo the one planned, the kept photo present and the one planned
    (by identity; its content is hashed again right before the act)."""
    if entry.keep is None or not _planned(entry)[1]:
        return _(NOT_CONFIRMED)
    try:
        st, refused = check_item(entry, bounds)
        if refused is not None:
            return refused
        assert st is not None
        return _keep_refused(entry, st, lstat_or_none(entry.keep), bounds)
    except OSError as exc:
        return _("cannot be checked: {error}").format(error=exc.strerror or str(exc))


def check_content(entry: Entry, bounds: Bounds) -> str | None:
    """:func:`check`, and the kept photo's content hashed again (a dry run)."""
    reason = check(entry, bounds)
    if reason is not None:
        return reason
    try:
        opened = _last_check(entry, bounds)
    except Refused as refused:
        return refused.reason
    opened.close()
    return None


def _last_check(entry: Entry, bounds: Bounds) -> Opened:
    """Right before the act: both photos opened, identities compared through the open
    files, the kept photo's content hashed again and compared with the plan's."""
    if entry.keep is None or not _planned(entry)[1]:
        raise Refused(_(NOT_CONFIRMED))
    keep, _confirmed = _planned(entry)
    try:
        opened = open_item(entry, bounds)
    except OSError as exc:
        raise Refused(
            _("cannot be checked: {error}").format(error=exc.strerror or str(exc))
        ) from None
    try:
        kept = open_verified(entry.keep)
        refused = _keep_refused(
            entry, opened.item_st, kept[1] if kept else lstat_or_none(entry.keep), bounds
        )
        if refused is None and kept is None:
            refused = _("the kept photo {path} cannot be opened; left in place").format(
                path=escape(entry.keep)
            )
        if kept is not None:
            opened.keep, opened.keep_st = kept
        if refused is None and kept is not None and keep is not None:
            if content_hash(kept[0]) != keep["xxh3"]:
                refused = _(
                    "the kept photo {path} is not the one you reviewed (its content changed); "
                    "left in place"
                ).format(path=escape(entry.keep))
        if refused is not None:
            raise Refused(refused)
    except OSError as exc:
        opened.close()
        raise Refused(
            _("cannot be checked: {error}").format(error=exc.strerror or str(exc))
        ) from None
    except BaseException:
        opened.close()
        raise
    return opened


def _purge(entry: Entry) -> int:
    """Delete the stashed photo for good, only while its kept photo is still there."""
    if entry.keep is not None and lstat_or_none(entry.keep) is None:
        raise Refused(
            _(
                "its kept photo {keep} is gone: purging would delete the last photo of this "
                "scene; left in the quarantine (`menage undo {run}` puts it back)"
            ).format(keep=escape(entry.keep), run=entry.run_id)
        )
    return purge.purge_one(entry)


def _photos(
    kind: str,
    act: operations.Act,
    undo_act: restore.UndoAct,
    points: tuple[str, ...],
    purgeable: bool = True,
) -> Operation:
    return register(
        Operation(
            source=SOURCE,
            kind=kind,
            check=check,
            prepare=operations.prepare,
            perform=partial(operations.perform, act=act, last_check=_last_check),
            settle=operations.settle,
            prepare_undo=restore.prepare_undo,
            undo=partial(restore.perform_undo, act=undo_act),
            settle_undo=restore.settle_undo,
            purge=_purge,
            settle_purge=purge.settle_purge,
            purgeable=purgeable,
            points=points,
        )
    )


QUARANTINE = _photos(
    "quarantine",
    operations.quarantine_act,
    restore.undo_quarantine,
    ("apply.act", "apply.acted", "undo.act", "purge.act"),
)
TRASH = _photos(
    "trash",
    operations.trash_act,
    restore.undo_trash,
    ("apply.act", "apply.acted", "undo.act"),
    purgeable=False,
)
