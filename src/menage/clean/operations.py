"""What each kind of action does to files, and how an interrupted one is settled.

Every operation is written so that a crash at any instruction leaves the file
either where it was or in its stash (quarantine or trash), and so that
:func:`settle` can tell which by looking at the files, never by trusting memory:

* **quarantine**: one rename into the quarantine (or copy, fsync, compare, remove
  when the quarantine is on another filesystem);
* **trash**: ``send2trash``; the file is then found in the trash by its inode;
* **hardlink** / **reflink**: the original is first linked (or copied) into the
  quarantine, a link to the kept copy (or a clone of it) is made next to the file
  under a temporary name, and one rename puts it in place. The path never stops
  existing, and the original stays in the quarantine until a purge.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from dataclasses import dataclass

from menage.clean import trash
from menage.clean.fsops import (
    durable_copy,
    lstat_or_none,
    reflink,
    remove_tree,
    same_content,
    same_file,
    unlink_if_exists,
)
from menage.clean.journal import Entry
from menage.clean.quarantine import (
    COPY,
    LINK,
    RENAME,
    FileChanged,
    Quarantine,
    store,
    take_back,
    target_tmp,
)
from menage.i18n import _

LINK_KINDS = ("hardlink", "reflink")


@dataclass
class Context:
    quarantine: Quarantine
    run_id: int


def prepare(entry: Entry, ctx: Context) -> None:
    """Decide where the file goes; the entry is then saved as an intent."""
    assert entry.dev is not None and entry.ino is not None
    if entry.kind == "trash":
        entry.stash, entry.stash_how = None, None
    else:
        stash, how = ctx.quarantine.destination(ctx.run_id, entry.id, entry.path, entry.dev)
        entry.stash = stash
        entry.stash_how = how if entry.kind == "quarantine" else (LINK if how == RENAME else COPY)
    if entry.kind in LINK_KINDS:
        folder, name = os.path.split(entry.path)
        entry.tmp = os.path.join(folder, b".menage-%d.%s.tmp" % (entry.id, name[:100]))
    entry.state = "intent"
    entry.reason = None


def perform(entry: Entry) -> list[bytes]:
    """Carry out an action whose intent is durable. On failure the file is back in place.

    Returns:
        Folders to fsync before the action is recorded as done.

    Raises:
        FileChanged: the file changed between the check and the move (nothing moved).
        OSError: the action failed; :func:`settle` has already put things back.
    """
    assert entry.dev is not None and entry.ino is not None
    try:
        if entry.kind == "quarantine":
            assert entry.stash is not None and entry.stash_how is not None
            entry.stash_how = store(entry.path, entry.stash, entry.stash_how, entry.dev, entry.ino)
        elif entry.kind == "trash":
            trash.send(entry.path)
            found = trash.locate(entry.path, entry.dev, entry.ino)
            entry.stash = found[0] if found else None
        else:
            _replace_by_link(entry)
    except BaseException:
        settle(entry)
        if entry.state == "done":
            return _dirs(entry)
        raise
    entry.state = "done"
    entry.done_at = time.time()
    return _dirs(entry)


def _dirs(entry: Entry) -> list[bytes]:
    return [os.path.dirname(p) for p in (entry.path, entry.stash) if p is not None]


def _replace_by_link(entry: Entry) -> None:
    assert entry.keep and entry.stash and entry.tmp and entry.dev is not None
    assert entry.ino is not None
    original = os.lstat(entry.path)
    if entry.kind == "hardlink":
        os.link(entry.keep, entry.tmp, follow_symlinks=False)
    else:
        reflink(entry.keep, entry.tmp, like=original)
    os.makedirs(os.path.dirname(entry.stash), mode=0o700, exist_ok=True)
    if entry.stash_how == LINK:
        os.link(entry.path, entry.stash, follow_symlinks=False)
    else:
        durable_copy(entry.path, entry.stash)
    now = lstat_or_none(entry.path)
    if (
        not same_file(now, entry.dev, entry.ino)
        or now is None
        or now.st_size != original.st_size
        or now.st_mtime_ns != original.st_mtime_ns
    ):
        raise FileChanged()
    os.rename(entry.tmp, entry.path)
    entry.new_ino = os.lstat(entry.path).st_ino


def settle(entry: Entry) -> None:
    """Settle an ``intent`` after a crash or an error: ``done``, or back to ``pending``.

    The file decides: if the original (same device and inode) is still at its path,
    nothing happened and every partial stash or temporary file is removed; if it is
    gone and its stash exists, the action is done. Neither: the file vanished
    (someone else removed it), which is recorded as a failure.
    """
    assert entry.dev is not None and entry.ino is not None
    here = lstat_or_none(entry.path)
    original_here = same_file(here, entry.dev, entry.ino)
    if entry.kind == "trash":
        if original_here:
            entry.state = "pending"
            return
        found = trash.locate(entry.path, entry.dev, entry.ino)
        if found is not None:
            entry.stash = found[0]
            _mark_done(entry)
        else:
            _mark_failed(entry, _("vanished while being moved to the trash"))
        return
    assert entry.stash is not None
    unlink_if_exists(entry.tmp)
    if original_here:
        # nothing was moved: whatever reached the quarantine is a partial copy or a
        # second link of the file that is still in place
        remove_tree(entry.stash + b".partial")
        stashed = lstat_or_none(entry.stash)
        if stashed is not None:
            remove_tree(entry.stash)
        entry.state = "pending"
        return
    remove_tree(entry.stash + b".partial")
    if lstat_or_none(entry.stash) is not None:
        if entry.kind in LINK_KINDS and here is not None:
            entry.new_ino = here.st_ino
        _mark_done(entry)
        return
    _mark_failed(entry, _("vanished while being moved (another program removed it)"))


def _mark_done(entry: Entry) -> None:
    entry.state = "done"
    entry.done_at = entry.done_at or time.time()
    entry.reason = None


def _mark_failed(entry: Entry, reason: str) -> None:
    entry.state = "failed"
    entry.reason = reason


# -- undo ---------------------------------------------------------------------------


def restore_target(entry: Entry) -> bytes:
    """Where an action's file goes back: its path, or beside it when something is there."""
    here = lstat_or_none(entry.path)
    if here is None:
        return entry.path
    if entry.kind in LINK_KINDS and entry.new_ino is not None and here.st_ino == entry.new_ino:
        # still the link or clone Ménage put there: replaced by the original
        return entry.path
    return free_name_beside(entry.path)


def free_name_beside(path: bytes) -> bytes:
    """``report (restored).pdf``, then ``report (restored 2).pdf``, ... that does not exist."""
    folder, name = os.path.split(path)
    stem, ext = os.path.splitext(name)
    if not stem:
        stem, ext = name, b""
    number = 1
    while True:
        label = b" (restored)" if number == 1 else b" (restored %d)" % number
        candidate = os.path.join(folder, stem + label + ext)
        if not os.path.lexists(candidate):
            return candidate
        number += 1


def prepare_undo(entry: Entry) -> None:
    target = restore_target(entry)
    entry.restored_to = target
    entry.tmp = target_tmp(target) if _needs_tmp(entry) else None
    entry.state = "undoing"


def _needs_tmp(entry: Entry) -> bool:
    return entry.kind in LINK_KINDS or entry.stash_how == COPY


def perform_undo(entry: Entry, previous: str) -> None:
    """Put one file back (``previous``: ``done`` or ``purged``).

    Raises:
        OSError: it could not be put back; :func:`settle_undo` has restored the state.
    """
    target = entry.restored_to
    assert target is not None
    try:
        if entry.kind in LINK_KINDS:
            _undo_link(entry, target, previous)
        elif entry.kind == "trash":
            _undo_trash(entry, target)
        else:
            assert entry.stash is not None and entry.stash_how is not None
            if lstat_or_none(entry.stash) is None:
                raise FileNotFoundError(
                    2, _("no longer in the quarantine"), os.fsdecode(entry.stash)
                )
            take_back(entry.stash, target, entry.stash_how)
        _restore_metadata(entry, target)
    except BaseException:
        settle_undo(entry, previous)
        if entry.state == "undone":
            return
        raise
    entry.state = "undone"
    entry.undone_at = time.time()


def _undo_trash(entry: Entry, target: bytes) -> None:
    assert entry.dev is not None and entry.ino is not None
    stored = entry.stash
    if stored is None or not same_file(lstat_or_none(stored), entry.dev, entry.ino):
        found = trash.locate(entry.path, entry.dev, entry.ino)
        if found is None:
            raise FileNotFoundError(2, _("no longer in the trash"), os.fsdecode(entry.path))
        stored = entry.stash = found[0]
    take_back(stored, target, RENAME)
    unlink_if_exists(trash.info_file_for(stored))


def _undo_link(entry: Entry, target: bytes, previous: str) -> None:
    assert entry.tmp is not None
    source = entry.stash if previous != "purged" else None
    if source is not None and lstat_or_none(source) is None:
        source = None
    if source is not None and entry.stash_how == LINK:
        os.link(source, entry.tmp, follow_symlinks=False)
    else:
        # purged: the content is the kept copy's (they were byte-for-byte equal)
        origin = source if source is not None else entry.keep
        if origin is None or lstat_or_none(origin) is None:
            raise FileNotFoundError(
                2, _("purged, and the kept copy is gone"), os.fsdecode(entry.path)
            )
        durable_copy(origin, entry.tmp)
        _restore_metadata(entry, entry.tmp)
    if target == entry.path and os.path.lexists(target):
        os.rename(entry.tmp, target)
    else:
        take_back(entry.tmp, target, RENAME)
    if source is not None:
        remove_tree(source)


def _restore_metadata(entry: Entry, target: bytes) -> None:
    if entry.mode is None or entry.mtime_ns is None:
        return
    st = os.lstat(target)
    if stat.S_IMODE(st.st_mode) != stat.S_IMODE(entry.mode):
        os.chmod(target, stat.S_IMODE(entry.mode))
    if (
        entry.uid is not None
        and entry.gid is not None
        and (st.st_uid, st.st_gid) != (entry.uid, entry.gid)
    ):
        with contextlib.suppress(PermissionError):
            os.lchown(target, entry.uid, entry.gid)
    atime = entry.atime_ns if entry.atime_ns is not None else st.st_atime_ns
    os.utime(target, ns=(atime, entry.mtime_ns))


def settle_undo(entry: Entry, previous: str) -> None:
    """Settle an ``undoing`` entry: ``undone`` if the file is back, else ``previous``.

    The last step of every restore is one rename into place, which consumes the
    temporary file; the stash is removed only after it. So a file at the target, no
    temporary file left, and either the original inode, the stash's content, or no
    stash any more, means the file is back.
    """
    target = entry.restored_to
    assert target is not None
    there = lstat_or_none(target)
    is_our_link = (
        entry.kind in LINK_KINDS
        and target == entry.path
        and there is not None
        and there.st_ino == entry.new_ino
    )
    tmp_left = entry.tmp is not None and os.path.lexists(entry.tmp)
    restored = False
    if there is not None and not is_our_link and not tmp_left:
        stash_there = entry.stash is not None and lstat_or_none(entry.stash) is not None
        if (
            entry.dev is not None
            and entry.ino is not None
            and same_file(there, entry.dev, entry.ino)
        ):
            restored = True
        elif stash_there and previous != "purged":
            assert entry.stash is not None
            restored = _same_thing(target, entry.stash)
        else:
            restored = True
    unlink_if_exists(entry.tmp)
    if not restored:
        entry.state = previous
        entry.restored_to = None
        return
    if entry.kind == "trash":
        if entry.stash is not None:
            unlink_if_exists(trash.info_file_for(entry.stash))
    elif entry.stash is not None and previous != "purged":
        remove_tree(entry.stash)
    entry.state = "undone"
    entry.undone_at = entry.undone_at or time.time()
    entry.reason = None


def _same_thing(a: bytes, b: bytes) -> bool:
    sa, sb = lstat_or_none(a), lstat_or_none(b)
    if sa is None or sb is None:
        return False
    if stat.S_ISDIR(sa.st_mode) and stat.S_ISDIR(sb.st_mode):
        return True
    if stat.S_ISREG(sa.st_mode) and stat.S_ISREG(sb.st_mode):
        try:
            return same_content(a, b)
        except OSError:
            return False
    return False


# -- purge --------------------------------------------------------------------------


def purge_one(entry: Entry) -> int:
    """Delete a stashed file for good. Returns the bytes it gave back to the disk."""
    if entry.stash is None:
        return 0
    st = lstat_or_none(entry.stash)
    freed = 0
    if st is not None:
        freed = st.st_size if stat.S_ISREG(st.st_mode) and st.st_nlink == 1 else 0
        remove_tree(entry.stash)
    entry.state = "purged"
    entry.purged_at = time.time()
    return freed


def settle_purge(entry: Entry) -> None:
    if entry.stash is not None and lstat_or_none(entry.stash) is not None:
        entry.state = "done"
    else:
        entry.state = "purged"
        entry.purged_at = entry.purged_at or time.time()
