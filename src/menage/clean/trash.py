"""The system trash (the freedesktop.org Trash specification), by one rename, never a copy.

A file goes to the trash of its own filesystem: the home trash
(``$XDG_DATA_HOME/Trash``) when it is on the same filesystem, else
``$topdir/.Trash/$uid`` (a sticky, real ``.Trash`` folder at the top of its
filesystem) or ``$topdir/.Trash-$uid``. Its ``info/NAME.trashinfo`` (original path
and date) is created first, exclusively, then the file is renamed to ``files/NAME``
by a rename that replaces nothing, and found there again by its inode.

When that rename would cross filesystems (another mount, a bind mount), nothing is
copied: :class:`CrossDevice` is raised, nothing has changed, and the apply puts the
file in Ménage's quarantine instead (where the move is checked and recorded).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Iterator
from urllib.parse import quote_from_bytes, unquote_to_bytes

from menage._fs import O_NOFOLLOW, fsync_dir, rename_noreplace, user_id
from menage.clean.fsops import NotTheFile, lstat_or_none, put_back, same_file
from menage.clean.quarantine import find_mount_point

_INFO = b".trashinfo"


class CrossDevice(Exception):
    """The trash is on another filesystem than the file: nothing was done."""


def home_trash() -> bytes:
    data = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return os.path.join(os.fsencode(data), b"Trash")


def _device_of(path: bytes) -> int | None:
    while True:
        st = lstat_or_none(path)
        if st is not None:
            return os.stat(path).st_dev
        parent = os.path.dirname(path)
        if parent == path:
            return None
        path = parent


def _uid() -> bytes:
    """The user's number, as the freedesktop.org trash names its folders."""
    return str(user_id() or 0).encode()


def trash_for(path: bytes, dev: int) -> tuple[bytes, bytes | None]:
    """The trash a file goes to: (its folder, the top folder its paths are relative to)."""
    home = home_trash()
    if _device_of(home) == dev:
        return home, None
    top = find_mount_point(path, dev)
    uid = _uid()
    shared = os.path.join(top, b".Trash")
    st = lstat_or_none(shared)
    if st is not None and stat.S_ISDIR(st.st_mode) and st.st_mode & stat.S_ISVTX:
        return os.path.join(shared, uid), top
    return os.path.join(top, b".Trash-" + uid), top


def trash_dirs(path: bytes, dev: int) -> Iterator[tuple[bytes, bytes | None]]:
    """Every trash a file may be in: (trash, top folder for relative paths)."""
    yield home_trash(), None
    top = find_mount_point(path, dev)
    uid = _uid()
    yield os.path.join(top, b".Trash", uid), top
    yield os.path.join(top, b".Trash-" + uid), top


def _info_text(path: bytes, top: bytes | None) -> bytes:
    shown = path
    if top is not None and path.startswith(top.rstrip(b"/") + b"/"):
        shown = os.path.relpath(path, top)
    date = time.strftime("%Y-%m-%dT%H:%M:%S").encode()
    return (
        b"[Trash Info]\nPath="
        + quote_from_bytes(shown, safe="/").encode()
        + (b"\nDeletionDate=" + date + b"\n")
    )


def _candidates(name: bytes) -> Iterator[bytes]:
    stem, ext = os.path.splitext(name)
    if not stem:
        stem, ext = name, b""
    yield name
    for number in range(2, 10_000):
        yield b"%s %d%s" % (stem, number, ext)


def _claim(path: bytes, dev: int) -> Iterator[tuple[bytes, bytes]]:
    """Free names in the trash for ``path``: (file, its .trashinfo, already written)."""
    trash, top = trash_for(path, dev)
    files, info = os.path.join(trash, b"files"), os.path.join(trash, b"info")
    for folder in (files, info):
        os.makedirs(folder, mode=0o700, exist_ok=True)
    text = _info_text(path, top)
    for name in _candidates(os.path.basename(path)):
        stored = os.path.join(files, name)
        info_file = os.path.join(info, name + _INFO)
        if os.path.lexists(stored):
            continue
        try:
            fd = os.open(info_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            fsync_dir(info)
        except BaseException:
            os.unlink(info_file)
            raise
        yield stored, info_file
    raise OSError(errno.EEXIST, "no free name in the trash", os.fsdecode(files))


def send(path: bytes, dev: int, ino: int) -> bytes:
    """Move the file (dev, ino) at ``path`` to its trash.

    Returns:
        Where it is in the trash.

    Raises:
        CrossDevice: the trash is on another filesystem (nothing was done).
        NotTheFile: ``path`` holds another file now (nothing was done).
        OSError: the trash cannot be made or written.
    """
    for stored, info_file in _claim(path, dev):
        try:
            rename_noreplace(path, stored)
        except FileExistsError:
            os.unlink(info_file)
            continue
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(info_file)
            if isinstance(exc, OSError) and exc.errno == errno.EXDEV:
                raise CrossDevice() from None
            raise
        if not same_file(os.lstat(stored), dev, ino):
            # another file took its place between the check and the move: put it back
            put_back(stored, path)
            os.unlink(info_file)
            raise NotTheFile()
        fsync_dir(os.path.dirname(stored))
        return stored
    raise AssertionError("unreachable")  # pragma: no cover - _claim raises first


def claim_for_folder(path: bytes, dev: int) -> bytes:
    """A name in the trash for an empty folder, whose tree is then made there (empty
    folders are made again and removed with rmdir, never moved)."""
    for stored, _info in _claim(path, dev):
        return stored
    raise AssertionError("unreachable")  # pragma: no cover - _claim raises first


def locate(path: bytes, dev: int, ino: int) -> tuple[bytes, bytes] | None:
    """Where a trash keeps the file that was at ``path``: (file, its .trashinfo)."""
    for trash, top in trash_dirs(path, dev):
        info_dir = os.path.join(trash, b"info")
        try:
            names = os.listdir(info_dir)
        except OSError:
            continue
        for name in names:
            if not name.endswith(_INFO):
                continue
            info = os.path.join(info_dir, name)
            if _original_path(info, top) != path:
                continue
            stored = os.path.join(trash, b"files", name[: -len(_INFO)])
            if same_file(lstat_or_none(stored), dev, ino):
                return stored, info
    return None


def _original_path(info: bytes, top: bytes | None) -> bytes | None:
    with contextlib.suppress(OSError, UnicodeDecodeError):
        with open(info, "rb") as handle:
            for line in handle.read().decode("utf-8").splitlines():
                if line.startswith("Path="):
                    value = unquote_to_bytes(line[5:])
                    if not value.startswith(b"/") and top is not None:
                        value = os.path.join(top, value)
                    return value
    return None


def info_file_for(stored: bytes) -> bytes:
    trash = os.path.dirname(os.path.dirname(stored))
    return os.path.join(trash, b"info", os.path.basename(stored) + _INFO)


def forget(stored: bytes, original: bytes) -> None:
    """Remove the ``.trashinfo`` of a file taken back out of the trash (if it is its)."""
    info = info_file_for(stored)
    top = None if stored.startswith(home_trash() + b"/") else _top_of(stored)
    if _original_path(info, top) == original:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(info)


def _top_of(stored: bytes) -> bytes:
    trash = os.path.dirname(os.path.dirname(stored))
    if os.path.basename(trash).startswith(b".Trash-"):
        return os.path.dirname(trash)
    return os.path.dirname(os.path.dirname(trash))


__all__ = ["CrossDevice", "NotTheFile", "forget", "locate", "send", "trash_for"]
