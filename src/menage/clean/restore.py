"""Putting one action's file back (undo), and settling a restore that was cut short.

A restore never replaces a path it did not verify at the last moment: the file
goes back with a rename that replaces nothing, and when something was saved at its
path meanwhile it goes beside it instead (``NAME (restored).EXT``, shortened to fit
the longest name the folder allows). The only thing ever replaced is Ménage's own
link or clone (a hardlink or reflink action), recognised by its inode as it is
moved aside (:func:`menage.clean.fsops.replace_verified`). The folders a file goes
back into must still be where they were: a symbolic link that now leads elsewhere
stops the restore (:mod:`menage.clean.bounds`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable

from menage import hooks
from menage._fs import O_CLOEXEC, O_NOFOLLOW, O_NONBLOCK, hardlink, rename_noreplace, temp_name
from menage.clean import trash
from menage.clean.bounds import Bounds
from menage.clean.fsops import (
    NotTheFile,
    aside_name,
    durable_copy,
    free_name_beside,
    lstat_or_none,
    put_back,
    replace_verified,
    same_content,
    same_file,
    unlink_if_exists,
)
from menage.clean.quarantine import COPY, LINK, RENAME, remove_stash, take_back
from menage.clean.records import Entry
from menage.clean.verify import Refused
from menage.errors import os_error_text
from menage.i18n import _

LINK_KINDS = ("hardlink", "reflink")
_ATTEMPTS = 5

Record = Callable[[Entry], None]
#: what a kind does to put its file back: (entry, previous state, record)
UndoAct = Callable[[Entry, str, Record], None]


def restore_target(entry: Entry) -> bytes:
    """Where an action's file goes back: its path, or beside it when something is there."""
    here = lstat_or_none(entry.file)
    if here is None:
        return entry.file
    if entry.kind in LINK_KINDS and entry.new_ino is not None and here.st_ino == entry.new_ino:
        # still the link or clone Ménage put there: replaced by the original
        return entry.file
    return free_name_beside(entry.file)


def _needs_tmp(entry: Entry) -> bool:
    return entry.kind in LINK_KINDS or entry.stash_how == COPY or bool(entry.is_dir)


def prepare_undo(entry: Entry) -> None:
    """Choose where the file goes back; the entry is then saved as ``undoing``."""
    target = restore_target(entry)
    entry.restored_to = target
    entry.tmp = temp_name(os.path.dirname(target), b"restore") if _needs_tmp(entry) else None
    entry.state = "undoing"


def perform_undo(entry: Entry, previous: str, bounds: Bounds, record: Record, act: UndoAct) -> None:
    """Put one file back (``previous``: ``done`` or ``purged``) with the kind's ``act``.

    Raises:
        Refused: its folders now lead elsewhere (nothing was done).
        OSError: it could not be put back; :func:`settle_undo` has restored the state.
    """
    target = entry.restored_to
    assert target is not None
    refused = bounds.refuse_folder_to_create(target)
    if refused is not None:
        entry.state, entry.restored_to, entry.reason = previous, None, refused
        raise Refused(refused)
    try:
        hooks.at("undo.act", target)
        act(entry, previous, record)
        _restore_metadata(entry)
    except FileExistsError as exc:
        named = {os.fsencode(n) for n in (exc.filename, exc.filename2) if n is not None}
        if entry.tmp in named:
            entry.tmp = None  # someone else's file has that name: never ours to remove
        settle_undo(entry, previous)
        if entry.state == "undone":
            return
        raise
    except OSError:
        settle_undo(entry, previous)
        if entry.state == "undone":
            return
        raise
    except BaseException:
        settle_undo(entry, previous)  # Ctrl-C, or a fault: settled, and it goes on up
        raise
    entry.state = "undone"
    entry.undone_at = time.time()
    entry.reason = None


def _beside(entry: Entry, record: Record) -> bytes:
    """A new place beside the path, recorded before anything moves there."""
    entry.restored_to = free_name_beside(entry.file)
    record(entry)
    return entry.restored_to


def _put(entry: Entry, source: bytes, how: str, record: Record) -> None:
    """Move ``source`` to the restore target, or beside the path if it is taken."""
    assert entry.restored_to is not None
    for _attempt in range(_ATTEMPTS):
        try:
            take_back(source, entry.restored_to, how, tmp=entry.tmp)
            return
        except FileExistsError:
            _beside(entry, record)
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fsdecode(entry.file))


def undo_quarantine(entry: Entry, previous: str, record: Record) -> None:
    assert entry.stash is not None and entry.stash_how is not None
    if lstat_or_none(entry.stash) is None:
        raise FileNotFoundError(2, _("no longer in the quarantine"), os.fsdecode(entry.stash))
    _put(entry, entry.stash, entry.stash_how, record)


def undo_trash(entry: Entry, previous: str, record: Record) -> None:
    assert entry.dev is not None and entry.ino is not None
    stored = entry.stash
    there = lstat_or_none(stored)
    if entry.is_dir and there is not None and stat.S_ISDIR(there.st_mode):
        pass  # an empty folder's tree, made again in the trash: its own inode
    elif stored is None or not same_file(there, entry.dev, entry.ino):
        found = trash.locate(entry.file, entry.dev, entry.ino)
        if found is None:
            raise FileNotFoundError(2, _("no longer in the trash"), os.fsdecode(entry.file))
        stored = entry.stash = found[0]
    assert stored is not None
    _put(entry, stored, RENAME, record)
    trash.forget(stored, entry.file)


def undo_link(entry: Entry, previous: str, record: Record) -> None:
    assert entry.tmp is not None and entry.dev is not None
    source = entry.stash if previous != "purged" else None
    if source is not None and lstat_or_none(source) is None:
        source = None
    here = lstat_or_none(entry.file)
    ours_here = entry.new_ino is not None and same_file(here, entry.dev, entry.new_ino)
    if source is None and entry.kind == "reflink" and ours_here:
        # purged: the clone in place is already an independent file with the
        # original's bytes, owner, mode, times and attributes
        entry.restored_to = entry.file
        return
    if source is not None and entry.stash_how == LINK:
        hardlink(source, entry.tmp)
    else:
        # purged: the content is the kept copy's (they were byte-for-byte equal)
        origin = source if source is not None else entry.keep
        if origin is None or lstat_or_none(origin) is None:
            raise FileNotFoundError(
                2, _("purged, and the kept copy is gone"), os.fsdecode(entry.file)
            )
        durable_copy(origin, entry.tmp)
        _set_metadata(entry.tmp, entry)
    target = entry.restored_to
    assert target is not None
    placed = False
    if target == entry.file and ours_here and entry.new_ino is not None:
        try:
            replace_verified(entry.tmp, entry.file, entry.dev, entry.new_ino)
            placed = True
        except NotTheFile:
            target = _beside(entry, record)
    if not placed:
        for _attempt in range(_ATTEMPTS):
            try:
                rename_noreplace(entry.tmp, target)
                break
            except FileExistsError:
                target = _beside(entry, record)
        else:
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fsdecode(target))
    if source is not None:
        remove_stash(source)


def _set_metadata(path: bytes, entry: Entry) -> None:
    """Give our own new file the mode, owner and times the original had."""
    if entry.mode is None or entry.mtime_ns is None:
        return
    fd = os.open(path, os.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if entry.uid is not None and entry.gid is not None:
            with contextlib.suppress(PermissionError):
                os.fchown(fd, entry.uid, entry.gid)
        os.fchmod(fd, stat.S_IMODE(entry.mode))
        atime = entry.atime_ns if entry.atime_ns is not None else st.st_atime_ns
        os.utime(fd, ns=(atime, entry.mtime_ns))
    finally:
        os.close(fd)


def _restore_metadata(entry: Entry) -> None:
    """The times (reading a file to check it may change its access time), on the very
    file that was put back: opened without following a link, checked by inode."""
    target = entry.restored_to
    if target is None or entry.mode is None or entry.mtime_ns is None or entry.is_dir:
        return
    try:
        fd = os.open(target, os.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    except OSError:
        return  # unreadable (mode 000 and not ours): its own times are intact
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return
        if stat.S_IMODE(st.st_mode) != stat.S_IMODE(entry.mode):
            os.fchmod(fd, stat.S_IMODE(entry.mode))
        if (
            entry.uid is not None
            and entry.gid is not None
            and (st.st_uid, st.st_gid) != (entry.uid, entry.gid)
        ):
            with contextlib.suppress(PermissionError):
                os.fchown(fd, entry.uid, entry.gid)
        atime = entry.atime_ns if entry.atime_ns is not None else st.st_atime_ns
        os.utime(fd, ns=(atime, entry.mtime_ns))
    finally:
        os.close(fd)


def settle_undo(entry: Entry, previous: str) -> None:
    """Settle an ``undoing`` entry: ``undone`` if the file is back, else ``previous``.

    Never raises: a path that cannot even be looked at (a name too long, a loop of
    links where a folder was) cannot hold a file we put there, so the entry goes
    back to ``previous`` and the file stays where its record says.
    """
    try:
        _settle_undo(entry, previous)
    except OSError as exc:
        entry.state = previous
        entry.restored_to = None
        entry.reason = _("not put back: {error}").format(error=os_error_text(exc))


def _settle_undo(entry: Entry, previous: str) -> None:
    """The last step of every restore is one rename into place, which consumes the
    temporary file; the stash is removed only after it. So a file at the target, no
    temporary file left, and either the original inode, the stash's content, or no
    stash any more, means the file is back."""
    if entry.kind in LINK_KINDS and entry.tmp is not None:
        _recover_link_aside(entry)
    target = entry.restored_to
    if target is None:
        entry.state = previous
        return
    there = lstat_or_none(target)
    is_our_link = (
        entry.kind in LINK_KINDS
        and target == entry.file
        and there is not None
        and there.st_ino == entry.new_ino
    )
    tmp_left = entry.tmp is not None and lstat_or_none(entry.tmp) is not None
    restored = False
    if there is not None and not is_our_link and not tmp_left:
        stash_there = entry.stash is not None and lstat_or_none(entry.stash) is not None
        if same_file(there, entry.dev, entry.ino):
            restored = True
        elif stash_there and previous != "purged":
            assert entry.stash is not None
            restored = _same_thing(target, entry.stash)
        else:
            restored = True
    if entry.tmp is not None and tmp_left:
        with contextlib.suppress(OSError):
            remove_stash(entry.tmp)  # our partial restore (a file, or empty folders)
    if not restored:
        entry.state = previous
        entry.restored_to = None
        return
    if entry.kind == "trash":
        if entry.stash is not None:
            trash.forget(entry.stash, entry.file)
    elif entry.stash is not None and previous != "purged":
        with contextlib.suppress(OSError):
            remove_stash(entry.stash)
    entry.state = "undone"
    entry.undone_at = entry.undone_at or time.time()
    entry.reason = None


def _recover_link_aside(entry: Entry) -> None:
    """Finish or undo a replacement of Ménage's own link that was cut short."""
    assert entry.tmp is not None
    aside = aside_name(entry.tmp)
    st = lstat_or_none(aside)
    if st is None:
        return
    if not same_file(st, entry.dev, entry.new_ino):
        put_back(aside, entry.file)  # not ours: back where it was
        return
    # our own link, moved aside: the restored file takes the path (or goes beside)
    if lstat_or_none(entry.tmp) is not None:
        target = entry.file if lstat_or_none(entry.file) is None else free_name_beside(entry.file)
        rename_noreplace(entry.tmp, target)
        entry.restored_to = target
    unlink_if_exists(aside)


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
