"""The quarantine: where removed files wait, under their original paths, until a purge.

A file is moved, never copied, whenever possible: a rename on one filesystem is
atomic and needs no space. So the quarantine used for a file is the first of

1. ``<Ménage home>/quarantine`` when it is on the file's filesystem;
2. ``.menage-quarantine`` at the root of the file's filesystem (its mount point),
   when it can be created there (a USB drive, a second disk);
3. otherwise ``<Ménage home>/quarantine`` through a copy: copy, fsync, compare byte
   for byte, and only then remove the original.

Inside, each run has its folder and each file keeps its path:
``quarantine/run-7/home/ana/Documents/report (copy).pdf``, so that the files can be
found and put back by hand even without Ménage.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable

from menage.clean.fsops import (
    durable_copy,
    fsync_dir,
    lstat_or_none,
    remove_tree,
    rename_noreplace,
    same_file,
)
from menage.clean.plan import QUARANTINE_DIRNAME

RENAME = "rename"
COPY = "copy"
LINK = "link"
_MAX_PATH = 4000


def find_mount_point(path: bytes, dev: int) -> bytes:
    """The topmost folder above ``path`` on the filesystem ``dev``."""
    current = os.path.dirname(path) or b"/"
    while current != b"/":
        parent = os.path.dirname(current)
        st = lstat_or_none(parent)
        if st is None or st.st_dev != dev:
            break
        current = parent
    return current


class Quarantine:
    """Chooses where each file goes and moves it there (and back)."""

    def __init__(self, home: bytes) -> None:
        self.home = home
        self._bases: dict[int, tuple[bytes, bytes] | None] = {}

    def _home_dev(self) -> int:
        os.makedirs(self.home, mode=0o700, exist_ok=True)
        return os.stat(self.home).st_dev

    def _base_for(self, path: bytes, dev: int) -> tuple[bytes, bytes] | None:
        """(quarantine folder on ``dev``, the folder paths are made relative to), or None."""
        if dev in self._bases:
            return self._bases[dev]
        base: tuple[bytes, bytes] | None = None
        with contextlib.suppress(OSError):
            if self._home_dev() == dev:
                base = (self.home, b"/")
        if base is None:
            mount = find_mount_point(path, dev)
            candidate = os.path.join(mount, QUARANTINE_DIRNAME)
            with contextlib.suppress(OSError):
                with contextlib.suppress(FileExistsError):
                    os.mkdir(candidate, 0o700)
                st = os.lstat(candidate)
                if stat.S_ISDIR(st.st_mode) and st.st_dev == dev:
                    base = (candidate, mount)
        self._bases[dev] = base
        return base

    def destination(self, run_id: int, action_id: int, path: bytes, dev: int) -> tuple[bytes, str]:
        """Where ``path`` goes for this run, and how (:data:`RENAME` or :data:`COPY`)."""
        base = self._base_for(path, dev)
        how = RENAME
        if base is None:
            base, how = (self.home, b"/"), COPY
        folder, relative_to = base
        relative = os.path.relpath(path, relative_to)
        target = os.path.join(folder, b"run-%d" % run_id, relative)
        if len(target) > _MAX_PATH:
            target = os.path.join(folder, b"run-%d" % run_id, b"_long", b"%d" % action_id)
        return target, how


def store(path: bytes, stash: bytes, how: str, dev: int, ino: int) -> str:
    """Move ``path`` (a file or an empty folder tree) to ``stash``.

    Returns:
        How it was done: :data:`RENAME` or :data:`COPY` (a rename that crossed a mount
        point falls back to a copy).

    Raises:
        FileChanged: the file at ``path`` is not the one verified (nothing moved).
        OSError: the move failed; ``path`` is untouched.
    """
    os.makedirs(os.path.dirname(stash), mode=0o700, exist_ok=True)
    if how == RENAME:
        try:
            rename_noreplace(path, stash)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            how = COPY
        else:
            st = lstat_or_none(stash)
            if not same_file(st, dev, ino):
                # not the file we checked: someone replaced it meanwhile; put it back
                rename_noreplace(stash, path)
                raise FileChanged()
            return RENAME
    _copy_then_remove(path, stash, dev, ino)
    return COPY


class FileChanged(Exception):
    """The file changed between the check and the move."""


def _copy_then_remove(path: bytes, stash: bytes, dev: int, ino: int) -> None:
    tmp = stash + b".partial"
    before = os.lstat(path)
    if not same_file(before, dev, ino):
        raise FileChanged()
    if stat.S_ISDIR(before.st_mode):
        _copy_empty_tree(path, tmp)
    else:
        durable_copy(path, tmp)
    try:
        rename_noreplace(tmp, stash)
    except BaseException:
        remove_tree(tmp)
        raise
    fsync_dir(os.path.dirname(stash))
    after = lstat_or_none(path)
    if (
        after is None
        or not same_file(after, dev, ino)
        or after.st_size != before.st_size
        or after.st_mtime_ns != before.st_mtime_ns
    ):
        remove_tree(stash)
        raise FileChanged()
    if stat.S_ISDIR(before.st_mode):
        _remove_empty_tree(path)
    else:
        os.unlink(path)
    fsync_dir(os.path.dirname(path))


def _copy_empty_tree(source: bytes, target: bytes) -> None:
    """Recreate a tree of empty folders, with modes and times; refuse any file in it."""
    os.mkdir(target, 0o700)
    try:
        for entry in os.scandir(source):
            if not entry.is_dir(follow_symlinks=False):
                raise OSError(errno.ENOTEMPTY, os.strerror(errno.ENOTEMPTY), entry.path)
            _copy_empty_tree(entry.path, os.path.join(target, entry.name))
        st = os.lstat(source)
        os.chmod(target, stat.S_IMODE(st.st_mode))
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    except BaseException:
        remove_tree(target)
        raise


def _remove_empty_tree(path: bytes) -> None:
    # rmdir only: a file that appeared meanwhile stops the removal instead of being lost
    for entry in os.scandir(path):
        if entry.is_dir(follow_symlinks=False):
            _remove_empty_tree(entry.path)
    os.rmdir(path)


def take_back(stash: bytes, target: bytes, how: str) -> None:
    """Move a stashed file or folder to ``target``, which must not exist.

    Raises:
        FileExistsError: something stands at ``target``.
        OSError: the move failed; the stash is untouched.
    """
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    if how != COPY:
        try:
            rename_noreplace(stash, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
        else:
            fsync_dir(parent)
            return
    tmp = target_tmp(target)
    st = os.lstat(stash)
    if stat.S_ISDIR(st.st_mode):
        _copy_empty_tree(stash, tmp)
    else:
        durable_copy(stash, tmp)
    try:
        rename_noreplace(tmp, target)
    except BaseException:
        remove_tree(tmp)
        raise
    fsync_dir(parent)
    remove_tree(stash)


def target_tmp(target: bytes) -> bytes:
    """A temporary name next to ``target``, recognisable as Ménage's."""
    folder, name = os.path.split(target)
    return os.path.join(folder, b".menage-restore." + name[:180] + b".tmp")


def prune_empty_folders(stashes: Iterable[bytes | None]) -> None:
    """Remove the quarantine folders a purge or an undo left empty (rmdir only)."""
    folders = {os.path.dirname(s) for s in stashes if s is not None}
    for folder in sorted(folders, key=len, reverse=True):
        current = folder
        while b"/run-" in current:
            with contextlib.suppress(OSError):
                os.rmdir(current)
            if os.path.basename(current).startswith(b"run-"):
                break
            current = os.path.dirname(current)
