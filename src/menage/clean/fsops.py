"""Low-level file operations the cleanup needs, each safe to interrupt at any point.

* :func:`durable_copy`: copy a file with its mode, owner, times, extended attributes
  (ACLs among them) and holes, fsync it and check the copy byte for byte (the only
  way to move a file across filesystems without a moment where it exists nowhere);
* :func:`same_content_fd`: byte-for-byte comparison through open files;
* :func:`reflink`: share a file's blocks with a new file (``FICLONE``);
* :func:`take_aside` / :func:`replace_verified`: move a path out of the way, or put a
  file in its place, only when the path still holds the very file that was checked
  (by device and inode), so that a file saved meanwhile is never replaced or removed.

The renames that never overwrite are in :mod:`menage._fs`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable

from menage._fs import (
    O_BINARY,
    O_CLOEXEC,
    O_NOATIME,
    O_NOFOLLOW,
    O_NONBLOCK,
    REFLINK_UNSUPPORTED,
    fsync_dir,
    hardlink,
    link_open_file_by_fd,
    rename_noreplace,
    set_xattr,
    temp_name,
    xattrs,
)
from menage._fs import reflink as reflink_fd

CHUNK = 1 << 20
#: errors that mean "there is nothing at this path that we could have made"
_NOTHING_THERE = (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG, errno.ELOOP)

__all__ = ["REFLINK_UNSUPPORTED", "fsync_dir", "rename_noreplace", "temp_name", "xattrs"]

#: the longest file name when the folder does not say (ext4, btrfs, XFS)
_NAME_MAX = 255


class NotTheFile(Exception):
    """The path no longer holds the file that was checked; nothing was done to it."""


def open_for_reading(path: bytes) -> int:
    """Open a regular file without following a link, without blocking on a FIFO, and
    without updating the access time when allowed (our own files, or root)."""
    flags = os.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_BINARY
    try:
        return os.open(path, flags | O_NOATIME)
    except PermissionError:
        return os.open(path, flags)


def same_content_fd(fa: int, fb: int) -> bool:
    """True when the two open files hold the same bytes (read from the start)."""
    if os.fstat(fa).st_size != os.fstat(fb).st_size:
        return False
    offset = 0
    while True:
        chunk_a = os.pread(fa, CHUNK, offset)
        chunk_b = os.pread(fb, CHUNK, offset)
        if chunk_a != chunk_b:
            return False
        if not chunk_a:
            return True
        offset += len(chunk_a)


def same_content(a: bytes, b: bytes) -> bool:
    """True when the two files hold the same bytes."""
    fa = open_for_reading(a)
    try:
        fb = open_for_reading(b)
        try:
            return same_content_fd(fa, fb)
        finally:
            os.close(fb)
    finally:
        os.close(fa)


def copy_metadata(st: os.stat_result, fd: int, attributes: dict[str, bytes]) -> None:
    """Give the open file ``fd`` the owner, mode, extended attributes and times of ``st``.

    Raises:
        OSError: an extended attribute (an ACL) cannot be kept there.
    """
    with contextlib.suppress(PermissionError):
        os.fchown(fd, st.st_uid, st.st_gid)
    os.fchmod(fd, stat.S_IMODE(st.st_mode))
    for name, value in attributes.items():
        try:
            set_xattr(fd, name, value)
        except OSError as exc:
            raise OSError(
                exc.errno, f"{exc.strerror}: cannot keep its extended attribute {name}"
            ) from None
    os.utime(fd, ns=(st.st_atime_ns, st.st_mtime_ns))


def _copy_data(src: int, dst: int, size: int) -> None:
    """Copy the data of ``src`` to ``dst``, leaving its holes as holes."""
    offset = 0
    while offset < size:
        try:
            start = os.lseek(src, offset, os.SEEK_DATA)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # only a hole from here on
                break
            if exc.errno not in (errno.EINVAL, errno.EOPNOTSUPP):
                raise
            start = offset  # no SEEK_DATA here: copy everything
            end = size
        else:
            end = os.lseek(src, start, os.SEEK_HOLE)
        position = start
        while position < end:
            chunk = os.pread(src, min(CHUNK, end - position), position)
            if not chunk:
                break
            view = memoryview(chunk)
            while view:
                written = os.pwrite(dst, view, position)
                view = view[written:]
                position += written
        offset = max(end, offset + 1)
    os.ftruncate(dst, size)


def durable_copy(source: bytes | int, target: bytes) -> os.stat_result:
    """Copy ``source`` (a path, or an open file) to a new file ``target``, durably.

    The copy gets the source's owner, mode, extended attributes, times and holes, is
    fsynced, then compared byte for byte with the source. ``target`` must not exist
    (it is created with ``O_EXCL``). On any failure the partial copy is removed.

    Returns:
        The stat of the source as it was copied.

    Raises:
        OSError: reading, writing (``ENOSPC``), keeping an attribute or the
            comparison failed.
    """
    src = open_for_reading(source) if isinstance(source, bytes) else os.dup(source)
    try:
        st = os.fstat(src)
        dst = os.open(target, os.O_RDWR | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_BINARY, 0o600)
        try:
            try:
                _copy_data(src, dst, st.st_size)
                copy_metadata(st, dst, xattrs(src))
                os.fsync(dst)
                if not same_content_fd(src, dst):
                    raise OSError(errno.EIO, "the copy differs from the original")
            finally:
                os.close(dst)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(target)
            raise
    finally:
        os.close(src)
    fsync_dir(os.path.dirname(target) or b".")
    return st


def reflink(source: int, target: bytes, like: int) -> os.stat_result:
    """Make ``target`` a new file sharing the blocks of the open file ``source``, with
    the owner, mode, extended attributes and times of the open file ``like``.

    Raises:
        OSError: ``EOPNOTSUPP``, ``EXDEV``, ``EINVAL`` or ``ENOTTY`` where the filesystem
            cannot share blocks; the partial file is removed.
    """
    dst = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_BINARY, 0o600)
    try:
        try:
            reflink_fd(source, dst)
            copy_metadata(os.fstat(like), dst, xattrs(like))
            os.fsync(dst)
            return os.fstat(dst)
        finally:
            os.close(dst)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise


def link_open_file(fd: int, path: bytes, target: bytes) -> None:
    """Make ``target`` a new link to the open file ``fd`` (known by ``path``).

    Through ``/proc/self/fd`` (Linux) the link is to the very inode that was opened and
    checked, even if ``path`` was replaced meanwhile; where that is not possible,
    ``path`` is linked and the link checked against the open file.

    Raises:
        NotTheFile: ``path`` no longer holds the open file (nothing left behind).
        OSError: the link cannot be made.
    """
    if link_open_file_by_fd(fd, target):
        return
    try:
        hardlink(path, target)
    except FileNotFoundError:
        raise NotTheFile() from None
    st, made = os.fstat(fd), os.lstat(target)
    if (st.st_dev, st.st_ino) != (made.st_dev, made.st_ino):
        os.unlink(target)
        raise NotTheFile()


def lstat_or_none(path: bytes | None) -> os.stat_result | None:
    """The path's lstat, or None when nothing is (or could be) there."""
    if path is None:
        return None
    try:
        return os.lstat(path)
    except OSError as exc:
        if exc.errno in _NOTHING_THERE:
            return None
        raise


def unlink_if_exists(path: bytes | None) -> None:
    if path is None:
        return
    try:
        os.unlink(path)
    except OSError as exc:
        if exc.errno not in _NOTHING_THERE:
            raise


def same_file(st: os.stat_result | None, dev: int | None, ino: int | None) -> bool:
    return st is not None and st.st_dev == dev and st.st_ino == ino


def aside_name(tmp: bytes) -> bytes:
    """Where :func:`replace_verified` parks the file it replaces: derived from ``tmp``,
    so that a run cut short can find it from the journal."""
    return tmp + b".old"


def take_aside(path: bytes, aside: bytes, dev: int, ino: int) -> None:
    """Move ``path`` to the new name ``aside`` if it holds the file (dev, ino).

    Raises:
        NotTheFile: ``path`` holds another file, or nothing; it was left as it was
            (when another file was moved by mistake, it is moved back).
        OSError: the move failed; nothing changed.
    """
    try:
        rename_noreplace(path, aside)
    except FileNotFoundError:
        raise NotTheFile() from None
    if same_file(os.lstat(aside), dev, ino):
        return
    # someone put another file there between our check and our move: put it back
    put_back(aside, path)
    raise NotTheFile()


def put_back(aside: bytes, path: bytes) -> bytes:
    """Move a file we moved aside back to ``path``, or beside it if the path is taken.

    Returns:
        Where the file is now.
    """
    try:
        rename_noreplace(aside, path)
        return path
    except FileExistsError:
        beside = free_name_beside(path)
        rename_noreplace(aside, beside)
        return beside


def replace_verified(tmp: bytes, path: bytes, dev: int, ino: int) -> None:
    """Put our file ``tmp`` at ``path`` in place of the file (dev, ino), and of nothing else.

    The checked file is moved aside (to :func:`aside_name`), recognised by its
    identity, then ``tmp`` takes its place with a rename that replaces nothing, and
    only then is the checked file's name removed.

    Raises:
        NotTheFile: ``path`` holds another file (left in place, ``tmp`` kept), or
            something was saved at ``path`` in the meantime (left in place; the
            checked file is put back beside it if needed).
        OSError: a move failed; ``path`` is as it was.
    """
    aside = aside_name(tmp)
    take_aside(path, aside, dev, ino)
    try:
        rename_noreplace(tmp, path)
    except BaseException:
        put_back(aside, path)
        raise
    os.unlink(aside)


def remove_empty_tree(path: bytes) -> None:
    """Remove a tree of empty folders with ``rmdir`` only, deepest first.

    A file that arrived meanwhile stops the removal (``ENOTEMPTY``) instead of being
    lost; the folders already removed are then made again, with their mode and times.

    Raises:
        OSError: the tree is not empty any more (or cannot be removed).
    """
    removed: list[tuple[bytes, os.stat_result]] = []
    try:
        _rmdir_tree(path, removed)
    except BaseException:
        for folder, st in reversed(removed):
            with contextlib.suppress(OSError):
                os.mkdir(folder, 0o700)
                os.chmod(folder, stat.S_IMODE(st.st_mode))
                os.utime(folder, ns=(st.st_atime_ns, st.st_mtime_ns))
        raise


def _rmdir_tree(path: bytes, removed: list[tuple[bytes, os.stat_result]]) -> None:
    with os.scandir(path) as entries:
        subfolders = []
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                raise OSError(errno.ENOTEMPTY, os.strerror(errno.ENOTEMPTY), os.fsdecode(path))
            subfolders.append(entry.path)
    for subfolder in subfolders:
        _rmdir_tree(subfolder, removed)
    st = os.lstat(path)
    os.rmdir(path)
    removed.append((path, st))


def sync_dirs(dirs: Iterable[bytes]) -> None:
    """fsync each folder once (a rename is durable when both folders are)."""
    for directory in set(dirs):
        with contextlib.suppress(OSError):
            fsync_dir(directory)


def free_name_beside(path: bytes) -> bytes:
    """``report (restored).pdf``, then ``report (restored 2).pdf``, ... that does not
    exist, shortened so that it fits the longest name the folder allows.

    The word is in the user's language (« rapport (restauré).pdf »): the journal records
    the name given, so undo and history read back whatever language made it.
    """
    from menage.i18n import _

    folder, name = os.path.split(path)
    try:
        limit = os.pathconf(folder or b".", "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = _NAME_MAX
    stem, ext = os.path.splitext(name)
    if not stem or len(ext) > 32:
        stem, ext = name, b""
    number = 1
    while True:
        # TRANSLATORS: the mark on a restored file's name, beside what now holds its place
        word = _("restored").encode("utf-8")
        label = b" (%s)" % word if number == 1 else b" (%s %d)" % (word, number)
        room = max(1, limit - len(label) - len(ext))
        short = _shorten(stem, room)
        candidate = os.path.join(folder, short + label + ext)
        if lstat_or_none(candidate) is None and not os.path.lexists(candidate):
            return candidate
        number += 1


def _shorten(stem: bytes, room: int) -> bytes:
    """At most ``room`` bytes of ``stem``, cut between characters when it is UTF-8."""
    if len(stem) <= room:
        return stem
    cut = stem[:room]
    with contextlib.suppress(UnicodeDecodeError):
        return cut.decode("utf-8", "ignore").encode("utf-8") or cut
    return cut
