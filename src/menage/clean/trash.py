"""The system trash (freedesktop.org), through ``send2trash``, and finding files in it again.

``send2trash`` does not say where it put a file. The trash keeps, for each file,
``info/NAME.trashinfo`` with the original path; the file itself is
``files/NAME``, moved by a rename, so it keeps its inode. Ménage finds it by the
original path and the inode, records where it is, and can put it back.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from urllib.parse import unquote_to_bytes

from menage.clean.errors import TrashUnavailable
from menage.clean.fsops import lstat_or_none
from menage.clean.quarantine import find_mount_point


def send(path: bytes) -> None:
    """Move ``path`` to the system trash.

    Raises:
        TrashUnavailable: ``send2trash`` is not installed.
        OSError: the trash refused it.
    """
    try:
        from send2trash import send2trash  # type: ignore[import-untyped]
        from send2trash.exceptions import TrashPermissionError  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a dependency, present when installed
        raise TrashUnavailable(detail=str(exc)) from None
    try:
        send2trash(path)
    except TrashPermissionError as exc:
        raise PermissionError(13, str(exc)) from None


def home_trash() -> bytes:
    data = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return os.path.join(os.fsencode(data), b"Trash")


def trash_dirs(path: bytes, dev: int) -> Iterator[tuple[bytes, bytes | None]]:
    """Candidate trash folders for a file: (trash, top folder for relative paths)."""
    yield home_trash(), None
    mount = find_mount_point(path, dev)
    uid = str(os.getuid()).encode()
    yield os.path.join(mount, b".Trash", uid), mount
    yield os.path.join(mount, b".Trash-" + uid), mount


def locate(path: bytes, dev: int, ino: int) -> tuple[bytes, bytes] | None:
    """Where the trash keeps the file that was at ``path``: (file, its .trashinfo)."""
    for trash, top in trash_dirs(path, dev):
        info_dir = os.path.join(trash, b"info")
        try:
            names = os.listdir(info_dir)
        except OSError:
            continue
        for name in names:
            if not name.endswith(b".trashinfo"):
                continue
            info = os.path.join(info_dir, name)
            original = _original_path(info, top)
            if original != path:
                continue
            stored = os.path.join(trash, b"files", name[: -len(b".trashinfo")])
            st = lstat_or_none(stored)
            if st is not None and (st.st_dev, st.st_ino) == (dev, ino):
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
    return os.path.join(trash, b"info", os.path.basename(stored) + b".trashinfo")
