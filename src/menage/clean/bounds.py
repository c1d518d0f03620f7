"""Where an action may act: inside the scanned folders, outside Ménage's own folders.

The text of a path is not enough: a folder of a hand-edited plan may be a symbolic
link leading out of the scanned folders (``T/out -> /elsewhere``), and Ménage's data
folder may be reached under another name. So the folder holding a path is resolved
(every symbolic link followed) and its ancestors are compared by device and inode
with the roots of the scan and with Ménage's own folders
(:func:`menage.home.own_folders`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

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

    def _refuse_folder(
        self, folder: bytes, allow_unresolved: bool = False, original: bytes = b""
    ) -> str | None:
        real = os.path.realpath(folder)
        inside = False
        current = real
        while True:
            try:
                st = os.lstat(current)
            except OSError:
                return _(OUTSIDE)
            identity = (st.st_dev, st.st_ino)
            if identity in self.own.folders or os.path.basename(current) == QUARANTINE_DIRNAME:
                return _(OWN)
            if identity in self.root_ids:
                inside = True
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        if inside:
            return None
        # an undo whose root is gone: its folders are made again where they were, as
        # long as no symbolic link leads elsewhere
        if allow_unresolved and real == folder and any(_under(original, r) for r in self.roots):
            return None
        return _(OUTSIDE)

    def is_own_file(self, st: os.stat_result) -> bool:
        return (st.st_dev, st.st_ino) in self.own.files


def _under(path: bytes, folder: bytes) -> bool:
    return path == folder or path.startswith(folder.rstrip(b"/") + b"/")
