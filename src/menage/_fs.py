"""Filesystem primitives that never overwrite by accident.

* :func:`rename_noreplace`: an atomic move that fails rather than replace anything
  (Linux ``renameat2(RENAME_NOREPLACE)``; a hardlink then unlink where the filesystem
  lacks it, which cannot replace either);
* :func:`rename_exchange`: swap two paths atomically (``renameat2(RENAME_EXCHANGE)``),
  so that what was replaced can be looked at, and put back, afterwards;
* :func:`temp_name`: a random name for a temporary file, made to be created
  exclusively (``O_EXCL``, a link or a no-replace rename), so that a file that
  happens to have a similar name is never touched;
* :func:`fsync_dir`: make a rename or a new entry durable.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import stat

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_libc: ctypes.CDLL | None = None
#: set to False by tests to exercise the fallbacks of filesystems without renameat2
use_renameat2 = True


def _renameat2() -> ctypes._NamedFuncPointer | None:
    global _libc
    if not use_renameat2:
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
    """Make a rename or a new file in ``directory`` durable."""
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
    if _call_renameat2(source, target, _RENAME_NOREPLACE):
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
