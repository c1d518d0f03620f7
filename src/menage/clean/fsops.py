"""Low-level file operations the cleanup needs, each safe to interrupt at any point.

* :func:`rename_noreplace`: an atomic move that never overwrites (Linux ``renameat2``
  with ``RENAME_NOREPLACE``; a hardlink + unlink where the filesystem lacks it);
* :func:`durable_copy`: copy a file with its mode, owner and times, fsync it and check
  the copy byte for byte (the only way to move a file across filesystems without a
  moment where it exists nowhere);
* :func:`same_content`: byte-for-byte comparison;
* :func:`reflink`: share a file's blocks with a new file (``FICLONE``).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import stat
from collections.abc import Iterable

CHUNK = 1 << 20
_FICLONE = 0x40049409  # _IOW(0x94, 9, int), in fcntl from Python 3.12 on
_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_libc: ctypes.CDLL | None = None


def _renameat2() -> ctypes._NamedFuncPointer | None:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return getattr(_libc, "renameat2", None)


def fsync_dir(directory: bytes) -> None:
    """Make a rename or a new entry in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rename_noreplace(source: bytes, target: bytes) -> None:
    """Move ``source`` to ``target`` atomically; fail with ``FileExistsError`` if it exists.

    Raises:
        FileExistsError: something already stands at ``target``.
        OSError: the move is impossible (``EXDEV`` across filesystems, ``EROFS``, ...).
    """
    func = _renameat2()
    if func is not None:
        result = func(_AT_FDCWD, source, _AT_FDCWD, target, _RENAME_NOREPLACE)
        if result == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS):
            raise OSError(code, os.strerror(code), os.fsdecode(source), None, os.fsdecode(target))
    # the filesystem does not know RENAME_NOREPLACE: a hardlink cannot overwrite either
    if stat.S_ISDIR(os.lstat(source).st_mode):
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fsdecode(target))
        os.rename(source, target)
        return
    os.link(source, target, follow_symlinks=False)
    os.unlink(source)


def open_for_reading(path: bytes) -> int:
    """Open without updating the access time when allowed (our own files, or root)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags | getattr(os, "O_NOATIME", 0))
    except PermissionError:
        return os.open(path, flags)


def same_content(a: bytes, b: bytes) -> bool:
    """True when the two files hold the same bytes (read both, chunk by chunk)."""
    fa = open_for_reading(a)
    try:
        fb = open_for_reading(b)
        try:
            if os.fstat(fa).st_size != os.fstat(fb).st_size:
                return False
            while True:
                chunk_a = os.read(fa, CHUNK)
                chunk_b = os.read(fb, CHUNK)
                if chunk_a != chunk_b:
                    return False
                if not chunk_a:
                    return True
        finally:
            os.close(fb)
    finally:
        os.close(fa)


def copy_metadata(st: os.stat_result, fd: int) -> None:
    """Give the open file ``fd`` the mode, owner and times of ``st``."""
    with contextlib.suppress(PermissionError):
        os.fchown(fd, st.st_uid, st.st_gid)
    os.fchmod(fd, stat.S_IMODE(st.st_mode))
    os.utime(fd, ns=(st.st_atime_ns, st.st_mtime_ns))


def durable_copy(source: bytes, target: bytes) -> os.stat_result:
    """Copy ``source`` to a new file ``target`` (which must not exist), durably.

    The copy gets the source's mode, owner and times, is fsynced, then compared byte
    for byte with the source. On any failure the partial copy is removed.

    Returns:
        The stat of the source as it was copied.

    Raises:
        OSError: reading, writing (``ENOSPC``) or the comparison failed.
    """
    src = open_for_reading(source)
    try:
        st = os.fstat(src)
        dst = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            try:
                while True:
                    chunk = os.read(src, CHUNK)
                    if not chunk:
                        break
                    view = memoryview(chunk)
                    while view:
                        written = os.write(dst, view)
                        view = view[written:]
                copy_metadata(st, dst)
                os.fsync(dst)
            finally:
                os.close(dst)
            if not same_content(source, target):
                raise OSError(errno.EIO, "the copy differs from the original", os.fsdecode(target))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(target)
            raise
    finally:
        os.close(src)
    fsync_dir(os.path.dirname(target) or b".")
    return st


def reflink(source: bytes, target: bytes, like: os.stat_result) -> os.stat_result:
    """Make ``target`` a new file sharing ``source``'s blocks, with the metadata of ``like``.

    Raises:
        OSError: ``EOPNOTSUPP``, ``EXDEV``, ``EINVAL`` or ``ENOTTY`` where the filesystem
            cannot share blocks; the partial file is removed.
    """
    import fcntl

    src = open_for_reading(source)
    try:
        dst = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            try:
                fcntl.ioctl(dst, _FICLONE, src)
                copy_metadata(like, dst)
                os.fsync(dst)
                return os.fstat(dst)
            finally:
                os.close(dst)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(target)
            raise
    finally:
        os.close(src)


REFLINK_UNSUPPORTED = (errno.EOPNOTSUPP, errno.EXDEV, errno.EINVAL, errno.ENOTTY, errno.ENOSYS)


def lstat_or_none(path: bytes) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None


def unlink_if_exists(path: bytes | None) -> None:
    if path is None:
        return
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        os.unlink(path)


def remove_tree(path: bytes) -> None:
    """Remove a stashed folder tree (a quarantined empty folder)."""
    import shutil

    with contextlib.suppress(FileNotFoundError):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)


def sync_dirs(dirs: Iterable[bytes]) -> None:
    """fsync each folder once (a rename is durable when both folders are)."""
    for directory in set(dirs):
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            fsync_dir(directory)


def same_file(st: os.stat_result | None, dev: int, ino: int) -> bool:
    return st is not None and st.st_dev == dev and st.st_ino == ino
