"""Where an action may act: inside the scanned folders, outside Ménage's own folders.

The text of a path is not enough: a folder of a hand-edited plan may be a symbolic
link leading out of the scanned folders (``T/out -> /elsewhere``), and Ménage's data
folder may be reached under another name. So the folder holding a path is resolved
(every symbolic link followed), each time it is checked, and the folders on the
resolved path are compared by device and inode with the roots of the scan and with
Ménage's own folders (:func:`menage.home.own_folders`). The identities of the folders
on a resolved path are looked up once per run: a cleanup of a million files checks
each folder once, not once per file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from menage._fs import open_folder_path
from menage.files.names import escape
from menage.home import QUARANTINE_DIRNAME, OwnFolders, own_folders
from menage.i18n import N_, _

OUTSIDE = N_("outside the scanned folders once symbolic links are resolved")
OWN = N_("inside Ménage's own folders (its data folder or a quarantine)")
NOT_A_FOLDER = N_("{path} is no longer a folder (a file, or a loop of symbolic links)")


class Bounds:
    """The roots of a plan and Ménage's own folders, by identity, taken once."""

    def __init__(self, roots: Sequence[bytes], own: OwnFolders | None = None) -> None:
        self.roots = list(roots)
        self.own = own if own is not None else own_folders()
        self.root_ids: set[tuple[int, int]] = set()
        self._ids: dict[bytes, tuple[int, int]] = {}
        self._verdicts: dict[bytes, str | None] = {}
        for root in roots:
            try:
                st = os.stat(root)
            except OSError:
                continue
            self.root_ids.add((st.st_dev, st.st_ino))

    def refuse(self, path: bytes) -> str | None:
        """Why ``path`` may not be acted on, or None.

        Its folder, resolved, must be one of the roots or inside one, and neither it
        nor any folder above it may be one of Ménage's own. ``path`` itself is not
        followed (the action is on the link, never on what it points to).
        """
        folder = os.path.dirname(path) or b"/"
        return self._refuse_folder(folder)

    def refuse_folder_to_create(self, path: bytes) -> str | None:
        """Like :meth:`refuse`, for a path whose folders may have to be made again
        (an undo): the nearest existing folder above it is judged."""
        folder = os.path.dirname(path) or b"/"
        while not os.path.lexists(folder) and folder != b"/":
            folder = os.path.dirname(folder)
        if not os.path.isdir(folder):
            return _(NOT_A_FOLDER).format(path=escape(folder))
        return self._refuse_folder(folder, allow_unresolved=True, original=path)

    def _identity(self, real: bytes) -> tuple[int, int] | None:
        """(device, inode) of a folder on a resolved path, looked up once per path."""
        found = self._ids.get(real)
        if found is None:
            try:
                st = os.lstat(real)
            except OSError:
                return None  # not kept: it may be made meanwhile (an undo makes folders)
            found = self._ids[real] = (st.st_dev, st.st_ino)
        return found

    def _verdict(self, real: bytes) -> str | None:
        """Whether the resolved folder ``real`` is inside a root and outside Ménage's own."""
        if real in self._verdicts:
            return self._verdicts[real]
        inside = False
        verdict: str | None = None
        current = real
        while True:
            identity = self._identity(current)
            if identity is None:
                return _(OUTSIDE)
            if identity in self.own.folders or os.path.basename(current) == QUARANTINE_DIRNAME:
                verdict = _(OWN)
                break
            if identity in self.root_ids:
                inside = True
            parent = os.path.dirname(current)
            if parent == current:
                verdict = None if inside else _(OUTSIDE)
                break
            current = parent
        self._verdicts[real] = verdict
        return verdict

    def _refuse_folder(
        self, folder: bytes, allow_unresolved: bool = False, original: bytes = b""
    ) -> str | None:
        # resolved now, every time (a folder may have become a link); the identities
        # of the folders on a resolved path are looked up once per run
        real = resolve(folder)
        verdict = self._verdict(real)
        if verdict is None:
            return None
        # an undo whose root is gone: its folders are made again where they were, as
        # long as no symbolic link leads elsewhere
        if verdict == _(OUTSIDE) and allow_unresolved and real == folder:
            if any(_under(original, r) for r in self.roots):
                return None
        return verdict

    def is_own_file(self, st: os.stat_result) -> bool:
        return (st.st_dev, st.st_ino) in self.own.files


def resolve(folder: bytes) -> bytes:
    """The folder's path with every symbolic link followed: one ``open`` where the
    system can (:func:`menage._fs.open_folder_path`), else ``os.path.realpath``."""
    real = open_folder_path(folder)
    if real is None or not real.startswith(b"/") or real.endswith(b" (deleted)"):
        return os.path.realpath(folder)
    return real


def _under(path: bytes, folder: bytes) -> bool:
    return path == folder or path.startswith(folder.rstrip(b"/") + b"/")
