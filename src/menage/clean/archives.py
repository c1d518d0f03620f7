"""Folders marked as archives: never planned, and refused at apply time.

Public archives (a city's deliberations, files of a public service) may only be
destroyed with the approval of the archives service. A folder is marked as archives
by the configuration file (``archives`` in ``[plan]``, :mod:`menage.config`) or by a
file named ``.menage-archives`` in it; the mark covers everything below. A plan leaves
those files out (with a note saying how many), and ``apply`` refuses a plan that
names one (edited by hand, or made before the mark), before any file is touched.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from menage.clean.rules import is_under

#: a file of this name marks its folder (and everything below) as archives
MARKER = b".menage-archives"


class Archives:
    """The archives folders of a plan: configured ones, and marked ones found on disk."""

    def __init__(self, folders: Sequence[bytes], roots: Sequence[bytes]) -> None:
        self.folders = [os.path.abspath(f) for f in folders]
        self.real = [os.path.realpath(f) for f in self.folders]
        self.roots = [r.rstrip(b"/") or b"/" for r in roots]
        self._marked: dict[bytes, bytes | None] = {}

    def of(self, path: bytes) -> bytes | None:
        """The archives folder ``path`` lies in, or None."""
        for folder, real in zip(self.folders, self.real, strict=True):
            if is_under(path, folder) or is_under(path, real):
                return folder
        if os.path.lexists(os.path.join(path, MARKER)):
            return path  # a folder action on the marked folder itself
        return self._marked_folder(os.path.dirname(path))

    def _marked_folder(self, folder: bytes) -> bytes | None:
        """The nearest folder from ``folder`` up to its root that holds the marker."""
        if folder in self._marked:
            return self._marked[folder]
        found: bytes | None = None
        if os.path.lexists(os.path.join(folder, MARKER)):
            found = folder
        elif folder not in self.roots and any(is_under(folder, r) for r in self.roots):
            parent = os.path.dirname(folder)
            found = self._marked_folder(parent) if parent != folder else None
        self._marked[folder] = found
        return found
