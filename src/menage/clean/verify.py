"""Checks made before acting on a file. Any mismatch skips the action with its reason.

Twice for every action:

1. :func:`check`, for a whole batch before its intents are recorded: the file is the
   one the scan saw (same device, inode, size and modification time, still a regular
   file, never a symbolic link), inside the scanned folders and outside Ménage's own
   once links are resolved (:mod:`menage.clean.bounds`); for a duplicate, the kept
   copy exists, is a regular file and not the same inode; a hardlink or reflink needs
   both on one filesystem, and a hardlink the same owner, mode and extended
   attributes (a link shares them: it would change the file's); an empty folder
   still holds nothing but empty folders.
2. :func:`recheck`, immediately before the action acts: the same, again, through
   files opened once (so that what is compared is what is acted on), and for a
   duplicate the content, compared byte for byte with the kept copy through those
   open files. :meth:`Opened.changed` then tells, after the act, whether either file
   changed in the meantime.

The reasons are translated sentences shown to the user and kept in the journal.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass

from menage.clean.bounds import Bounds
from menage.clean.fsops import lstat_or_none, open_for_reading, same_content, same_content_fd
from menage.clean.fsops import xattrs as xattrs_of
from menage.clean.records import Entry
from menage.errors import os_error_text
from menage.files.names import escape
from menage.i18n import N_, _

#: reasons recorded by the apply itself (not by a check)
KEPT_COPY_REMOVED = N_("it is the kept copy of another action")
OWN_FILE = N_("it is one of Ménage's own files")


class Refused(Exception):
    """An action that may not go ahead; ``reason`` says why (translated)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check(entry: Entry, bounds: Bounds, content: bool = False) -> str | None:
    """Verify ``entry`` and record the file's metadata in it.

    Args:
        entry: the action.
        bounds: the plan's roots and Ménage's own folders.
        content: compare a duplicate with its kept copy byte for byte too (a dry
            run; ``apply`` does it in :func:`recheck`, right before acting).

    Returns:
        None when the action may go ahead, else the reason to skip it.
    """
    try:
        if entry.is_dir:
            return _check_folder(entry, bounds)
        return _check_file(entry, bounds, content)
    except OSError as exc:
        return _("cannot be checked: {error}").format(error=os_error_text(exc))


def _record(entry: Entry, st: os.stat_result) -> None:
    entry.mode = st.st_mode
    entry.uid = st.st_uid
    entry.gid = st.st_gid
    entry.atime_ns = st.st_atime_ns
    entry.nlink = st.st_nlink


def _item_refused(entry: Entry, st: os.stat_result | None, bounds: Bounds) -> str | None:
    if st is None:
        return _("no longer there")
    if not stat.S_ISREG(st.st_mode):
        return _("no longer a regular file")
    if (st.st_dev, st.st_ino) != (entry.dev, entry.ino):
        return _("replaced by another file since the scan")
    if st.st_size != entry.size:
        return _("size changed since the scan")
    if st.st_mtime_ns != entry.mtime_ns:
        return _("modified since the scan")
    if bounds.is_own_file(st):
        return _(OWN_FILE)
    return bounds.refuse(entry.file)


def _keep_refused(
    entry: Entry, st: os.stat_result, keep: os.stat_result | None, bounds: Bounds
) -> str | None:
    assert entry.keep is not None
    shown = escape(entry.keep)
    if keep is None:
        return _("the kept copy {path} is no longer there").format(path=shown)
    if not stat.S_ISREG(keep.st_mode):
        return _("the kept copy {path} is not a regular file").format(path=shown)
    if (keep.st_dev, keep.st_ino) == (st.st_dev, st.st_ino):
        return _("the kept copy is the same file (a hardlink): removing it would free nothing")
    if keep.st_size != st.st_size:
        return _("the kept copy {path} changed size").format(path=shown)
    if bounds.is_own_file(keep):
        return _("the kept copy {path} is one of Ménage's own files").format(path=shown)
    where = bounds.refuse(entry.keep)
    if where is not None:
        return _("the kept copy {path} is {where}").format(path=shown, where=where)
    if entry.kind in ("hardlink", "reflink") and keep.st_dev != st.st_dev:
        return _("the kept copy is on another filesystem: a {action} is impossible").format(
            action=entry.kind
        )
    if entry.kind == "hardlink" and (
        (keep.st_uid, keep.st_gid, stat.S_IMODE(keep.st_mode))
        != (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode))
    ):
        return _(
            "the kept copy has another owner or permissions: a hardlink would give them "
            "to this file; use --action quarantine or reflink"
        )
    return None


def check_item(entry: Entry, bounds: Bounds) -> tuple[os.stat_result | None, str | None]:
    """The action's own file checked as :func:`check` does (its metadata recorded in
    the entry), without its kept copy: (its lstat, None) or (None, the reason)."""
    st = lstat_or_none(entry.file)
    refused = _item_refused(entry, st, bounds)
    if refused is not None:
        return None, refused
    assert st is not None
    _record(entry, st)
    return st, None


def open_item(entry: Entry, bounds: Bounds) -> Opened:
    """The action's own file opened and checked as :func:`recheck` does, without its
    kept copy (the caller checks that its own way).

    Raises:
        Refused: the file is not the one planned (nothing is left open).
    """
    item = _open_verified(entry.file)
    if item is None:
        refused = _item_refused(entry, lstat_or_none(entry.file), bounds)
        raise Refused(refused or _("changed just before the move; left in place"))
    opened = Opened(*item)
    refused = _item_refused(entry, opened.item_st, bounds)
    if refused is not None:
        opened.close()
        raise Refused(refused)
    return opened


def open_verified(path: bytes) -> tuple[int, os.stat_result] | None:
    """``path`` opened for reading, if what was opened is still at the path."""
    return _open_verified(path)


def _check_file(entry: Entry, bounds: Bounds, content: bool) -> str | None:
    st = lstat_or_none(entry.file)
    refused = _item_refused(entry, st, bounds)
    if refused is not None:
        return refused
    assert st is not None
    _record(entry, st)
    if entry.keep is None:
        return None
    refused = _keep_refused(entry, st, lstat_or_none(entry.keep), bounds)
    if refused is not None:
        return refused
    if content and not same_content(entry.file, entry.keep):
        return _("its content differs from the kept copy {path}").format(path=escape(entry.keep))
    return None


def _check_folder(entry: Entry, bounds: Bounds) -> str | None:
    st = lstat_or_none(entry.file)
    if st is None:
        return _("no longer there")
    if not stat.S_ISDIR(st.st_mode):
        return _("no longer a folder")
    if entry.dev is not None and (st.st_dev, st.st_ino) != (entry.dev, entry.ino):
        return _("replaced by another folder")
    if (st.st_dev, st.st_ino) in bounds.own.folders:
        return _(OWN_FILE)
    where = bounds.refuse(entry.file)
    if where is not None:
        return where
    if not _only_folders(entry.file):
        return _("no longer empty")
    entry.dev, entry.ino = st.st_dev, st.st_ino
    entry.mtime_ns = st.st_mtime_ns
    _record(entry, st)
    return None


def _only_folders(path: bytes) -> bool:
    with os.scandir(path) as entries:
        items = list(entries)
    return all(i.is_dir(follow_symlinks=False) and _only_folders(i.path) for i in items)


@dataclass
class Opened:
    """An action's file (and kept copy) opened and verified, for the act that follows."""

    item: int
    item_st: os.stat_result
    keep: int | None = None
    keep_st: os.stat_result | None = None

    def close(self) -> None:
        for fd in (self.item, self.keep):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def changed(self, entry: Entry) -> str | None:
        """Why the act must be rolled back: the file or its kept copy changed since
        :func:`recheck` (content written, kept copy removed or replaced), or None."""
        now = os.fstat(self.item)
        if (now.st_size, now.st_mtime_ns) != (self.item_st.st_size, self.item_st.st_mtime_ns):
            return _("changed while being moved; put back")
        if self.keep is None or self.keep_st is None or entry.keep is None:
            return None
        kept = os.fstat(self.keep)
        at_path = lstat_or_none(entry.keep)
        if (
            at_path is None
            or (at_path.st_dev, at_path.st_ino) != (kept.st_dev, kept.st_ino)
            or (kept.st_size, kept.st_mtime_ns) != (self.keep_st.st_size, self.keep_st.st_mtime_ns)
        ):
            return _("the kept copy {path} changed meanwhile; put back").format(
                path=escape(entry.keep)
            )
        return None


def _open_verified(path: bytes) -> tuple[int, os.stat_result] | None:
    try:
        fd = open_for_reading(path)
    except OSError:
        return None
    st = os.fstat(fd)
    there = lstat_or_none(path)
    if there is None or (there.st_dev, there.st_ino) != (st.st_dev, st.st_ino):
        os.close(fd)
        return None
    return fd, st


def recheck(entry: Entry, bounds: Bounds) -> Opened:
    """Check the action's file and kept copy again, immediately before acting.

    Returns:
        The files, open; the caller closes them.

    Raises:
        Refused: the action may not go ahead (nothing is left open).
    """
    try:
        return _recheck(entry, bounds)
    except OSError as exc:
        reason = _("cannot be checked: {error}").format(error=os_error_text(exc))
        raise Refused(reason) from None


def _recheck(entry: Entry, bounds: Bounds) -> Opened:
    item = _open_verified(entry.file)
    if item is None:
        refused = _item_refused(entry, lstat_or_none(entry.file), bounds)
        raise Refused(refused or _("changed just before the move; left in place"))
    opened = Opened(*item)
    try:
        refused = _item_refused(entry, opened.item_st, bounds)
        if refused is None and entry.keep is not None:
            keep = _open_verified(entry.keep)
            keep_st = keep[1] if keep is not None else lstat_or_none(entry.keep)
            refused = _keep_refused(entry, opened.item_st, keep_st, bounds)
            if refused is None and keep is None:
                refused = _("the kept copy {path} cannot be opened").format(path=escape(entry.keep))
            if refused is None and keep is not None:
                opened.keep, opened.keep_st = keep
                refused = _content_refused(entry, opened)
            elif keep is not None:
                os.close(keep[0])
        if refused is not None:
            raise Refused(refused)
    except BaseException:
        opened.close()
        raise
    return opened


def _content_refused(entry: Entry, opened: Opened) -> str | None:
    assert opened.keep is not None and entry.keep is not None
    if entry.kind == "hardlink" and xattrs_of(opened.item) != xattrs_of(opened.keep):
        return _(
            "the kept copy has other extended attributes (ACLs): a hardlink would give them "
            "to this file; use --action quarantine or reflink"
        )
    if not same_content_fd(opened.item, opened.keep):
        return _("its content differs from the kept copy {path}").format(path=escape(entry.keep))
    return None
