r"""Everything that depends on the operating system, in one place.

The rest of Ménage calls these functions and never the system-specific ones
(``fcntl``, ``msvcrt``, ``ctypes``, ``pwd``, ``os.statvfs``, ``os.getuid``, extended
attributes, ``O_NOFOLLOW`` and the other ``os.O_*`` flags that some systems lack, ...);
``tests/test_portability.py`` checks it. What each does on each system
(details in each function's documentation):

====================  ===================  ==================  =======================
what                  Linux                macOS               Windows
====================  ===================  ==================  =======================
rename_noreplace      renameat2            link, then unlink   os.rename (never
                      (NOREPLACE)                              replaces)
rename_exchange       renameat2 (EXCHANGE) no (False)          no (False)
fsync_dir             fsync                fsync               nothing (not needed)
identity              st_dev, st_ino       st_dev, st_ino      volume serial, file
                                                               index (os.stat)
O_NOFOLLOW and co     the flags            the flags           0: links followed
xattrs, set_xattr     os.*xattr            none (no stdlib)    none
reflink               FICLONE (Btrfs, XFS) unsupported         unsupported
hardlink              link (no follow)     link                CreateHardLink (NTFS)
link_open_file_by_fd  /proc/self/fd        no (False)          no (False)
open_folder_path      O_PATH + /proc       no (None)           no (None)
lock                  flock                flock               msvcrt.locking
set_blocking          os.set_blocking      os.set_blocking     os.set_blocking (pipes)
free_bytes            statvfs              statvfs             shutil.disk_usage
read_only_mount       statvfs ST_RDONLY    statvfs ST_RDONLY   False (not known)
user_id, owner_name   getuid, pwd          getuid, pwd         None, the number
long_path             unchanged            unchanged           \\?\ prefix from 260
system trash          freedesktop Trash    not supported       not supported
====================  ===================  ==================  =======================

The no-overwrite primitives:

* :func:`rename_noreplace`: an atomic move that fails rather than replace anything;
* :func:`rename_exchange`: swap two paths atomically, so that what was replaced can be
  looked at, and put back, afterwards;
* :func:`temp_name`: a random name for a temporary file, made to be created
  exclusively (``O_EXCL``, a link or a no-replace rename), so that a file that
  happens to have a similar name is never touched;
* :func:`fsync_dir`: make a rename or a new entry durable.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import stat
import sys
from typing import Any

#: the systems this module knows (anything else is treated as Linux-like POSIX)
LINUX = sys.platform.startswith("linux")
MACOS = sys.platform == "darwin"
WINDOWS = sys.platform == "win32"

#: ``os.open`` flags, 0 where the system has none (Windows lacks all but O_BINARY)
O_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0) or getattr(os, "O_NOINHERIT", 0)
O_DIRECTORY: int = getattr(os, "O_DIRECTORY", 0)
O_PATH: int = getattr(os, "O_PATH", 0)
O_NOATIME: int = getattr(os, "O_NOATIME", 0)
O_BINARY: int = getattr(os, "O_BINARY", 0)
O_NOCTTY: int = getattr(os, "O_NOCTTY", 0)
#: the kernel's table of mounts (Linux only; None elsewhere)
MOUNTINFO: str | None = "/proc/self/mountinfo" if LINUX else None
#: what cannot be cloned here (the filesystem or the system says so)
REFLINK_UNSUPPORTED = (errno.EOPNOTSUPP, errno.EXDEV, errno.EINVAL, errno.ENOTTY, errno.ENOSYS)
_FICLONE = 0x40049409  # _IOW(0x94, 9, int), in fcntl from Python 3.12 on

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_libc: ctypes.CDLL | None = None
#: set to False by tests to exercise the fallbacks of filesystems without renameat2
use_renameat2 = True


def _renameat2() -> ctypes._NamedFuncPointer | None:
    global _libc
    if not use_renameat2 or not LINUX:
        return None
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return getattr(_libc, "renameat2", None)


def _call_renameat2(source: bytes, target: bytes, flags: int) -> bool:
    """True when done; False when the system or filesystem does not know ``flags``."""
    func = _renameat2()
    if func is None:
        return False
    if func(_AT_FDCWD, source, _AT_FDCWD, target, flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), os.fsdecode(source), None, os.fsdecode(target))


def fsync_dir(directory: str | bytes | os.PathLike[str]) -> None:
    """Make a rename or a new file in ``directory`` durable (nothing on Windows)."""
    if WINDOWS:
        return
    fd = os.open(directory, os.O_RDONLY | O_DIRECTORY)
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
    if _call_renameat2(source, target, _RENAME_NOREPLACE):
        return
    if WINDOWS:
        os.rename(source, target)  # never replaces anything there
        return
    # the filesystem does not know RENAME_NOREPLACE: a hardlink cannot overwrite either
    if stat.S_ISDIR(os.lstat(source).st_mode):
        # a folder cannot be hardlinked, and rename() replaces an empty folder: mkdir
        # first, which fails if anything stands there, then rename over our own folder
        os.mkdir(target, 0o700)
        try:
            os.rename(source, target)
        except BaseException:
            os.rmdir(target)
            raise
        return
    os.link(source, target, follow_symlinks=False)
    os.unlink(source)


def rename_exchange(a: bytes, b: bytes) -> bool:
    """Swap ``a`` and ``b`` atomically (both must exist).

    Returns:
        False when the system or filesystem cannot exchange (nothing was done).

    Raises:
        OSError: one of them is missing (``ENOENT``), or another failure.
    """
    return _call_renameat2(a, b, _RENAME_EXCHANGE)


def temp_name(folder: bytes, label: bytes = b"tmp") -> bytes:
    """A random name in ``folder`` for a temporary file of Ménage's.

    The name is only a name: create the file with ``O_EXCL`` (or a link, or a
    no-replace rename), so that an existing file is never written over, and record
    it before creating it, so that only a file Ménage made is ever removed.
    """
    return os.path.join(folder, b".menage-%s-%s" % (label, secrets.token_hex(8).encode()))


def identity(st: os.stat_result) -> tuple[int, int]:
    """What makes a file itself: (device, inode); on Windows (volume serial number,
    file index), which ``os.stat`` fills in the same fields."""
    return st.st_dev, st.st_ino


def allocated_bytes(st: os.stat_result) -> int:
    """The disk space a file takes (its size where the system does not say)."""
    blocks = getattr(st, "st_blocks", None)
    return st.st_size if blocks is None else int(blocks) * 512


def xattrs(fd: int) -> dict[str, bytes]:
    """The extended attributes of an open file (ACLs are ``system.posix_acl_*``);
    none where the system or the filesystem has none."""
    if not hasattr(os, "listxattr"):
        return {}
    try:
        names = os.listxattr(fd)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.ENOSYS):
            return {}
        raise
    found: dict[str, bytes] = {}
    for name in names:
        with contextlib.suppress(OSError):
            found[name] = os.getxattr(fd, name)
    return found


def set_xattr(fd: int, name: str, value: bytes) -> None:
    """Give the open file an extended attribute.

    Raises:
        OSError: ``ENOTSUP`` where the system or the filesystem has none.
    """
    if not hasattr(os, "setxattr"):
        raise OSError(errno.ENOTSUP, os.strerror(errno.ENOTSUP))
    os.setxattr(fd, name, value)


def reflink(source: int, target: int) -> None:
    """Make the open, empty file ``target`` share the blocks of the open file ``source``.

    Raises:
        OSError: an errno of :data:`REFLINK_UNSUPPORTED` where it cannot be done.
    """
    if not LINUX:
        raise OSError(errno.EOPNOTSUPP, os.strerror(errno.EOPNOTSUPP))
    import fcntl

    fcntl.ioctl(target, _FICLONE, source)


def hardlink(source: bytes, target: bytes) -> None:
    """Make ``target`` a new name of the file ``source`` (a link itself, not followed,
    where the system allows).

    Raises:
        FileExistsError: something stands at ``target``.
        OSError: the filesystem has no hardlinks (FAT, exFAT), or across filesystems.
    """
    try:
        os.link(source, target, follow_symlinks=False)
    except NotImplementedError:  # systems without linkat()
        os.link(source, target)


def link_open_file_by_fd(fd: int, target: bytes) -> bool:
    """Link ``target`` to the very file open as ``fd`` (Linux, through ``/proc``).

    Returns:
        False where the system cannot (nothing was done).

    Raises:
        FileExistsError: something stands at ``target``.
    """
    if not LINUX:
        return False
    try:
        os.link(b"/proc/self/fd/%d" % fd, target, follow_symlinks=True)
    except FileExistsError:
        raise
    except OSError:
        return False  # no /proc, or a kernel that refuses it (EXDEV across namespaces)
    return True


def open_folder_path(folder: bytes) -> bytes | None:
    """The real path of ``folder`` from one open (Linux ``O_PATH`` and ``/proc``);
    None where the system cannot, or the folder cannot be opened."""
    if not (LINUX and O_PATH):
        return None
    try:
        fd = os.open(folder, O_PATH | O_DIRECTORY | O_CLOEXEC)
    except OSError:
        return None
    try:
        return os.readlink(b"/proc/self/fd/%d" % fd)
    except OSError:
        return None
    finally:
        os.close(fd)


def lock(fd: int, blocking: bool = True) -> None:
    """Lock the open file for this process alone, until it is closed.

    Raises:
        BlockingIOError: ``blocking`` is False and another process holds it.
    """
    if WINDOWS:
        import msvcrt

        mode = msvcrt.LK_LOCK if blocking else msvcrt.LK_NBLCK  # type: ignore[attr-defined,unused-ignore]
        try:
            msvcrt.locking(fd, mode, 1)  # type: ignore[attr-defined,unused-ignore]
        except PermissionError as exc:
            raise BlockingIOError(errno.EAGAIN, str(exc)) from None
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)


def set_blocking(fd: int) -> None:
    """Writes to the open file (a pipe, a device) wait from now on, as usual."""
    os.set_blocking(fd, True)


def _statvfs(folder: Any) -> Any:
    return os.statvfs(folder)


def free_bytes(folder: str | bytes | os.PathLike[str]) -> int:
    """Bytes free for an ordinary user on the filesystem of ``folder``.

    Raises:
        OSError: the folder cannot be looked at.
    """
    if not hasattr(os, "statvfs"):
        return shutil.disk_usage(folder).free
    st = _statvfs(folder)
    return int(st.f_bavail * st.f_frsize)


def read_only_mount(folder: str | bytes | os.PathLike[str]) -> bool:
    """Whether ``folder`` is on a filesystem mounted read-only (False when unknown)."""
    if not hasattr(os, "statvfs"):
        return False
    try:
        return bool(_statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1))
    except OSError:
        return False


def user_id() -> int | None:
    """The user's number (None on Windows, which has none)."""
    getuid = getattr(os, "getuid", None)
    return None if getuid is None else int(getuid())


def owner_name(uid: int) -> str:
    """The account name of user number ``uid`` (the number where unknown)."""
    try:
        import pwd
    except ImportError:  # Windows
        return str(uid)
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


#: the longest path Windows takes without the ``\\?\\`` prefix
WINDOWS_MAX_PATH = 260


def long_path(path: str) -> str:
    r"""``path`` as the system takes it whatever its length: on Windows an absolute path
    of :data:`WINDOWS_MAX_PATH` characters or more gets the ``\\?\`` prefix."""
    if WINDOWS and len(path) >= WINDOWS_MAX_PATH and os.path.isabs(path):
        if not path.startswith("\\\\?\\"):
            return "\\\\?\\" + os.path.normpath(path)
    return path
