"""The folders the review page offers: those given on the command line, or the usual
ones (the personal folder, Documents, Pictures, and a phone's DCIM folder when one is
plugged in or copied)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from menage._fs import user_id
from menage.i18n import N_, _


@dataclass(frozen=True)
class Offered:
    """A folder the page offers, with what it is for the person."""

    path: Path
    #: untranslated label (``N_``)
    label: str
    #: ticked when the page opens (the whole personal folder is not: it is long to scan)
    default: bool = True

    @property
    def title(self) -> str:
        return _(self.label)


def _dcim_folders(home: Path) -> list[Path]:
    """DCIM folders of a phone copied into the home, or mounted (USB storage, MTP)."""
    user = os.environ.get("USER", "")
    patterns = [(home, "DCIM"), (home, "*/DCIM")]
    if user:
        patterns += [(Path("/media") / user, "*/DCIM"), (Path("/run/media") / user, "*/DCIM")]
    uid = user_id()
    if uid is not None:
        patterns.append((Path(f"/run/user/{uid}/gvfs"), "*/*/DCIM"))
    found: list[Path] = []
    for base, pattern in patterns:
        try:
            found.extend(sorted(p for p in base.glob(pattern) if p.is_dir()))
        except OSError:
            continue
    return found


def offered_folders(
    given: Sequence[str | os.PathLike[str]] = (), home: Path | None = None
) -> list[Offered]:
    """The folders to offer: ``given`` (made absolute), else the usual ones that exist.

    Args:
        given: folders named on the command line; only they are offered then.
        home: the personal folder (``~`` by default).
    """
    if given:
        return [Offered(Path(os.path.abspath(os.path.expanduser(p))), N_("Folder")) for p in given]
    home = home or Path.home()
    from platformdirs import user_documents_path, user_pictures_path

    candidates = [
        (home, N_("Your personal folder (everything below)")),
        (user_documents_path(), N_("Documents")),
        (user_pictures_path(), N_("Pictures")),
    ]
    candidates += [(dcim, N_("Photos of a phone (DCIM)")) for dcim in _dcim_folders(home)]
    offered: list[Offered] = []
    for path, label in candidates:
        if path.is_dir() and all(o.path != path for o in offered):
            offered.append(Offered(path, label, default=path != home))
    return offered
