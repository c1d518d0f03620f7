"""The quarantine: where removed files wait, under their original paths, until a purge.

A file is moved, never copied, whenever possible: a rename on one filesystem is
atomic and needs no space. So the quarantine used for a file is the first of

1. ``<Ménage home>/quarantine`` when it is on the file's filesystem;
2. ``.menage-quarantine`` at the root of the file's filesystem (its mount point),
   when it can be created there (a USB drive, a second disk);
3. otherwise ``<Ménage home>/quarantine`` through a copy: copy (with the file's
   owner, mode, times, extended attributes, ACLs and holes), fsync, compare byte for
   byte, and only then remove the original.

An empty folder is never moved: its tree is made again in the quarantine, then the
original folders are removed with ``rmdir``, which fails if a file arrived meanwhile.

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

from menage._fs import allocated_bytes, free_bytes, fsync_dir, rename_noreplace, temp_name
from menage.clean.fsops import durable_copy, lstat_or_none, remove_empty_tree, same_file
from menage.home import QUARANTINE_DIRNAME

RENAME = "rename"
COPY = "copy"
LINK = "link"
_MAX_PATH = 4000
#: free space a copy into the quarantine leaves for the journal, at least
ROOM_LEFT = 256 * 1024


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
    """Chooses where each file goes."""

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

    def destination(
        self, run_id: int, action_id: int, path: bytes, dev: int, is_dir: bool = False
    ) -> tuple[bytes, str]:
        """Where ``path`` goes for this run, and how (:data:`RENAME` or :data:`COPY`).

        A folder is always made again (:data:`COPY`), never moved.
        """
        base = self._base_for(path, dev)
        how = COPY if is_dir else RENAME
        if base is None:
            base, how = (self.home, b"/"), COPY
        folder, relative_to = base
        relative = os.path.relpath(path, relative_to)
        target = os.path.join(folder, b"run-%d" % run_id, relative)
        if len(target) > _MAX_PATH:
            target = os.path.join(folder, b"run-%d" % run_id, b"_long", b"%d" % action_id)
        return target, how


def partial_of(stash: bytes) -> bytes:
    """The name a copy has while it is being made (inside the quarantine)."""
    return stash + b".partial"


def copy_in(source: bytes | int, stash: bytes) -> None:
    """Copy a file (a path, or an open file) to ``stash`` durably, through its partial
    name, so that ``stash`` exists only once it is complete and verified.

    A copy that would leave less than :data:`ROOM_LEFT` free is not started: the
    journal must always have room to record what happened (``ENOSPC``).
    """
    os.makedirs(os.path.dirname(stash), mode=0o700, exist_ok=True)
    st = os.stat(source) if isinstance(source, bytes) else os.fstat(source)
    if free_bytes(os.path.dirname(stash)) < min(st.st_size, allocated_bytes(st)) + ROOM_LEFT:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fsdecode(stash))
    tmp = partial_of(stash)
    durable_copy(source, tmp)
    try:
        rename_noreplace(tmp, stash)
    except BaseException:
        os.unlink(tmp)
        raise
    fsync_dir(os.path.dirname(stash))


def copy_empty_tree(source: bytes, target: bytes) -> None:
    """Recreate a tree of empty folders, with modes and times; refuse any file in it."""
    os.mkdir(target, 0o700)
    try:
        with os.scandir(source) as entries:
            names = []
            for entry in entries:
                if not entry.is_dir(follow_symlinks=False):
                    raise OSError(errno.ENOTEMPTY, os.strerror(errno.ENOTEMPTY), entry.path)
                names.append(entry.name)
        for name in names:
            copy_empty_tree(os.path.join(source, name), os.path.join(target, name))
        st = os.lstat(source)
        os.chmod(target, stat.S_IMODE(st.st_mode))
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    except BaseException:
        with contextlib.suppress(OSError):
            remove_empty_tree(target)
        raise


def remove_stash(stash: bytes) -> None:
    """Remove something Ménage put in its quarantine: a file, or a tree of empty
    folders (never a folder holding a file: ``rmdir`` refuses it).

    Raises:
        OSError: ``ENOTEMPTY`` when a file was put in a quarantined folder.
    """
    st = lstat_or_none(stash)
    if st is None:
        return
    if stat.S_ISDIR(st.st_mode):
        remove_empty_tree(stash)
    else:
        os.unlink(stash)


def remove_partial(stash: bytes | None) -> None:
    """Remove a copy cut short (its partial name is Ménage's own, inside the quarantine)."""
    if stash is None:
        return
    with contextlib.suppress(OSError):
        remove_stash(partial_of(stash))


def take_back(stash: bytes, target: bytes, how: str, tmp: bytes | None = None) -> None:
    """Move a stashed file or folder to ``target``, which must not exist.

    A copy (across filesystems, or a folder, which is made again) is made under
    ``tmp`` first, a name recorded in the journal beforehand (a random one if None).

    Raises:
        FileExistsError: something stands at ``target`` (nothing was changed).
        OSError: the move failed; the stash is untouched.
    """
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    st = os.lstat(stash)
    if how != COPY and not stat.S_ISDIR(st.st_mode):
        try:
            rename_noreplace(stash, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
        else:
            fsync_dir(parent)
            return
    tmp = tmp or temp_name(parent, b"restore")
    if stat.S_ISDIR(st.st_mode):
        copy_empty_tree(stash, tmp)
    else:
        durable_copy(stash, tmp)
    try:
        rename_noreplace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            remove_stash(tmp)
        raise
    fsync_dir(parent)
    remove_stash(stash)


def is_stash_of(st: os.stat_result | None, dev: int | None, ino: int | None, how: str) -> bool:
    """Whether a stash is still the file that was moved (a rename or link keeps its
    identity; a copy is recognised by the checks of its purge)."""
    if how in (RENAME, LINK):
        return same_file(st, dev, ino)
    return st is not None


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
