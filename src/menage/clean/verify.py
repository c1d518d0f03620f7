"""Checks made right before acting on a file. Any mismatch skips the action.

* the file is the one the scan saw: same device, inode, size and modification time,
  still a regular file (never a symbolic link);
* for a duplicate, the kept copy still exists, is a regular file, is not the same
  inode (a hardlink of it), and holds the same bytes, compared byte for byte;
* a hardlink or reflink needs both on one filesystem;
* an empty folder still holds nothing but empty folders.

The reasons are translated sentences shown to the user and kept in the journal.
"""

from __future__ import annotations

import os
import stat

from menage.clean.fsops import lstat_or_none, same_content
from menage.clean.journal import Entry
from menage.files.names import escape
from menage.i18n import N_, _


def check(entry: Entry) -> str | None:
    """Verify ``entry`` and record the file's metadata in it.

    Returns:
        None when the action may go ahead, else the reason to skip it.
    """
    try:
        if entry.is_dir:
            return _check_folder(entry)
        return _check_file(entry)
    except OSError as exc:
        return _("cannot be checked: {error}").format(error=exc.strerror or str(exc))


def _record(entry: Entry, st: os.stat_result) -> None:
    entry.mode = st.st_mode
    entry.uid = st.st_uid
    entry.gid = st.st_gid
    entry.atime_ns = st.st_atime_ns
    entry.nlink = st.st_nlink


def _check_file(entry: Entry) -> str | None:
    st = lstat_or_none(entry.path)
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
    _record(entry, st)
    if entry.keep is None:
        return None
    keep = lstat_or_none(entry.keep)
    if keep is None:
        return _("the kept copy {path} is no longer there").format(path=escape(entry.keep))
    if not stat.S_ISREG(keep.st_mode):
        return _("the kept copy {path} is not a regular file").format(path=escape(entry.keep))
    if (keep.st_dev, keep.st_ino) == (st.st_dev, st.st_ino):
        return _("the kept copy is the same file (a hardlink): removing it would free nothing")
    if keep.st_size != st.st_size:
        return _("the kept copy {path} changed size").format(path=escape(entry.keep))
    if entry.kind in ("hardlink", "reflink") and keep.st_dev != st.st_dev:
        return _("the kept copy is on another filesystem: a {action} is impossible").format(
            action=entry.kind
        )
    if not same_content(entry.path, entry.keep):
        return _("its content differs from the kept copy {path}").format(path=escape(entry.keep))
    return None


def _check_folder(entry: Entry) -> str | None:
    st = lstat_or_none(entry.path)
    if st is None:
        return _("no longer there")
    if not stat.S_ISDIR(st.st_mode):
        return _("no longer a folder")
    if entry.dev is not None and (st.st_dev, st.st_ino) != (entry.dev, entry.ino):
        return _("replaced by another folder")
    if not _only_folders(entry.path):
        return _("no longer empty")
    entry.dev, entry.ino = st.st_dev, st.st_ino
    entry.mtime_ns = st.st_mtime_ns
    _record(entry, st)
    return None


def _only_folders(path: bytes) -> bool:
    for item in os.scandir(path):
        if not item.is_dir(follow_symlinks=False) or not _only_folders(item.path):
            return False
    return True


#: reasons recorded by the apply itself (not by a check)
KEPT_COPY_REMOVED = N_("it is the kept copy of another action")
