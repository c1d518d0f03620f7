"""Writing a file the user named (a plan, a report) without breaking what stands there.

What happens depends on what the path is when Ménage writes to it:

* ``-``: standard output;
* nothing: a new file, made under a random temporary name (``O_EXCL``), written,
  fsynced, and moved into place by a rename that replaces nothing;
* a regular file: replaced atomically (readers see the old content or the new),
  keeping its mode and owner. The swap is an exchange where the system has one, and
  what it took out is looked at: if it was not a regular file after all (someone put
  a device there meanwhile), it goes back and is written in place;
* a character device or a FIFO (``/dev/null``, a terminal, ``/dev/stdout``'s target,
  a pipe): opened and written in place, never renamed over. A FIFO that no program
  reads is refused rather than waited on;
* a symbolic link: written through, to what it points to, by these same rules; a
  loop of links is refused;
* a folder, a socket or a block device (a disk): refused.

The check before each write or rename calls :func:`menage.hooks.at` (``output.act``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterator
from typing import IO

from menage import hooks
from menage._fs import (
    O_BINARY,
    O_CLOEXEC,
    O_NOCTTY,
    O_NOFOLLOW,
    O_NONBLOCK,
    fsync_dir,
    rename_exchange,
    rename_noreplace,
    set_blocking,
    temp_name,
)
from menage.errors import OutputNotWritten, os_error_text
from menage.i18n import _

STDOUT = "-"
_ATTEMPTS = 5


def _shown(target: bytes) -> str:
    return os.fsdecode(target)


def _refuse(target: bytes, detail: str) -> OutputNotWritten:
    return OutputNotWritten(path=_shown(target), detail=detail)


def _kind_refused(target: bytes, mode: int) -> OutputNotWritten | None:
    if stat.S_ISDIR(mode):
        return _refuse(target, _("it is a folder"))
    if stat.S_ISBLK(mode):
        return _refuse(target, _("it is a block device (a disk): Ménage never writes there"))
    if stat.S_ISSOCK(mode):
        return _refuse(target, _("it is a socket"))
    return None


def resolve(target: str | bytes | os.PathLike[str]) -> bytes:
    """The path an output really goes to: symbolic links followed, made absolute.

    Raises:
        OutputNotWritten: a loop of symbolic links, or a path that cannot be examined.
    """
    path = os.path.abspath(os.fsencode(target))
    try:
        os.stat(path)
    except FileNotFoundError:
        pass  # a new file, or a dangling link: it will be made where the link points
    except OSError as exc:
        raise _refuse(path, os_error_text(exc)) from None
    return os.path.realpath(path)


def check_output(target: str | bytes | os.PathLike[str]) -> None:
    """Fail early, before a long scan, if ``target`` could not be written.

    Raises:
        OutputNotWritten: it is a folder, a socket, a block device, a loop of links,
            or its folder is missing or not writable.
    """
    if os.fsencode(target) == STDOUT.encode():
        return
    path = resolve(target)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None:
        refused = _kind_refused(path, st.st_mode)
        if refused is not None:
            raise refused
        if not stat.S_ISREG(st.st_mode):
            return  # a device or a FIFO: written in place
    parent = os.path.dirname(path)
    while not os.path.exists(parent) and parent != os.path.dirname(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise _refuse(path, _("{path} is not a folder").format(path=_shown(parent)))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _refuse(path, _("permission denied"))


def _existing_parent(path: bytes) -> bytes:
    """The folder ``path`` goes in, which must exist: a mistyped folder is never created
    (the output would land where nobody looks)."""
    parent = os.path.dirname(path)
    if not os.path.isdir(parent):
        raise _refuse(path, _("the folder {path} does not exist").format(path=_shown(parent)))
    return parent


def make_output_folder(folder: str | os.PathLike[str]) -> None:
    """Create a folder for outputs (e.g. ``--csv DIR``), never its missing parents.

    Raises:
        OutputNotWritten: the parent folder does not exist, or the folder cannot be made.
    """
    path = os.path.abspath(os.fsencode(folder))
    _existing_parent(path)
    try:
        os.mkdir(path)
    except FileExistsError:
        if not os.path.isdir(path):
            raise _refuse(path, _("it is not a folder")) from None
    except OSError as exc:
        raise _refuse(path, os_error_text(exc)) from None


def write_output(target: str | bytes | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` by the rules of this module.

    Raises:
        OutputNotWritten: the path is refused or cannot be written (its previous
            content, if any, is then left as it was).
    """
    with open_output(target) as handle:
        handle.write(data)


@contextlib.contextmanager
def open_output(target: str | bytes | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary stream to ``target``; the file is in place when the block ends.

    Raises:
        OutputNotWritten: see :func:`write_output`.
    """
    if os.fsencode(target) == STDOUT.encode():
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = resolve(target)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _refuse(path, os_error_text(exc)) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        with _in_place(path, st.st_mode) as handle:
            yield handle
        return
    parent = _existing_parent(path)
    try:
        fd, tmp = _create_temp(parent, st)
    except OSError as exc:
        raise _refuse(path, os_error_text(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _put_in_place(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _refuse(path, os_error_text(exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _create_temp(parent: bytes, old: os.stat_result | None) -> tuple[int, bytes]:
    """A new file of ours beside the target, with the mode (and owner) it will have."""
    for _attempt in range(_ATTEMPTS):
        tmp = temp_name(parent, b"output")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_BINARY, 0o600)
        except FileExistsError:
            continue
        if old is not None:
            with contextlib.suppress(PermissionError):
                os.fchown(fd, old.st_uid, old.st_gid)
            mode = stat.S_IMODE(old.st_mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)
        return fd, tmp
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fsdecode(parent))


def _put_in_place(tmp: bytes, path: bytes) -> None:
    """Move our finished file to ``path``, replacing only a regular file."""
    parent = os.path.dirname(path)
    for _attempt in range(_ATTEMPTS):
        hooks.at("output.act", path)
        try:
            rename_noreplace(tmp, path)
        except FileExistsError:
            pass
        else:
            fsync_dir(parent)
            return
        # something stands there: swap it out, then look at what we took
        try:
            exchanged = rename_exchange(tmp, path)
        except FileNotFoundError:
            continue  # it went away meanwhile: try the plain rename again
        if not exchanged:
            # no exchange here: look, then replace (the look is the last moment)
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode):
                _write_other(tmp, path, st.st_mode)
                return
            os.replace(tmp, path)
            fsync_dir(parent)
            return
        taken = os.lstat(tmp)
        if stat.S_ISREG(taken.st_mode):
            os.unlink(tmp)  # the previous version of the output
            fsync_dir(parent)
            return
        # not a regular file after all: put it back, then write into it in place
        if not rename_exchange(tmp, path):  # pragma: no cover - it just worked
            raise OSError(errno.EIO, "cannot put back what was exchanged", os.fsdecode(path))
        _write_other(tmp, path, taken.st_mode)
        return
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fsdecode(path))


def _write_other(tmp: bytes, path: bytes, mode: int) -> None:
    """Write our finished temporary file's content into the non-regular ``path``."""
    with open(tmp, "rb") as source, _in_place(path, mode) as handle:
        while chunk := source.read(1 << 20):
            handle.write(chunk)
    os.unlink(tmp)


@contextlib.contextmanager
def _in_place(path: bytes, mode: int) -> Iterator[IO[bytes]]:
    """An existing device or FIFO, opened for writing without creating or truncating."""
    refused = _kind_refused(path, mode)
    if refused is not None:
        raise refused
    flags = os.O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC
    hooks.at("output.act", path)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO and stat.S_ISFIFO(mode):
            raise _refuse(path, _("it is a FIFO that no program is reading")) from None
        raise _refuse(path, os_error_text(exc)) from None
    st = os.fstat(fd)
    if not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        os.close(fd)
        raise _refuse(path, _("it changed while being opened; nothing was written"))
    # writes block normally from here on (a pipe that is full waits for its reader)
    set_blocking(fd)
    with os.fdopen(fd, "wb") as handle:
        try:
            yield handle
            handle.flush()
        except OSError as exc:
            raise _refuse(path, os_error_text(exc)) from None
