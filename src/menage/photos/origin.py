"""Where a photo folder comes from, and so what cleaning it frees.

Cleaning a copy of a phone's DCIM folder, or a cloud export such as Google Takeout,
frees space on this computer only: the phone and the cloud keep their photos. Cleaning
the phone itself (mounted over MTP or PTP, through GVFS or a FUSE MTP mount), a
memory card, or a folder a sync client mirrors, does reach the device or the cloud.
This module tells these apart from what can be seen without asking anyone:

* **phone**: a GVFS path (``/run/user/UID/gvfs/mtp:host=…``, ``gphoto2:host=…``) or a
  FUSE MTP mount (``jmtpfs``, ``simple-mtpfs``, ``go-mtpfs``, ``aft-mtp-mount``);
* **cloud**: a GVFS cloud mount (``google-drive:host=…``, ``onedrive:host=…``) or a
  FUSE cloud mount (``rclone``, ``google-drive-ocamlfuse``);
* **synced**: a sync client's marker in the folder or above it (``.dropbox``,
  ``.stfolder``, ``.sync_*.db``, ``.owncloudsync.log``, ``.nextcloudsync.log``,
  ``.megaignore``);
* **export**: a Google Takeout (a folder named ``Takeout`` or ``Google Photos``,
  ``archive_browser.html``, JSON sidecars ``*.supplemental-metadata.json``) or an
  iCloud export (``iCloud Photos``);
* **card**: a ``DCIM`` folder at the top of a mounted filesystem (a memory card, a
  camera or phone mounted as a USB drive);
* **copy**: a ``DCIM`` folder anywhere else;
* **folder**: none of these.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from menage._fs import MOUNTINFO
from menage.files.names import escape, to_json
from menage.i18n import _

_PHONE_SCHEMES = (b"mtp:host=", b"gphoto2:host=")
_CLOUD_SCHEMES = {b"google-drive:host=": "Google Drive", b"onedrive:host=": "OneDrive"}
_PHONE_FS = ("fuse.jmtpfs", "fuse.simple-mtpfs", "fuse.go-mtpfs", "fuse.aft-mtp-mount")
_CLOUD_FS = {"fuse.rclone": "rclone", "fuse.google-drive-ocamlfuse": "Google Drive"}
_SYNC_MARKERS = (
    (b".dropbox", "Dropbox"),
    (b".dropbox.cache", "Dropbox"),
    (b".stfolder", "Syncthing"),
    (b".owncloudsync.log", "ownCloud"),
    (b".nextcloudsync.log", "Nextcloud"),
    (b".megaignore", "MEGA"),
)
_TAKEOUT_NAMES = (b"takeout", b"google photos")
_SIDECAR = b".supplemental-metadata.json"
#: entries of a folder looked at for an export's marks (a Takeout's top is small)
_LOOK = 2000

#: what a cleanup of each kind of folder frees: the phone or cloud (True) or not
FREES_AT_SOURCE = {"phone": True, "cloud": True, "synced": True, "card": True}


@dataclass(frozen=True)
class Origin:
    """Where one scanned folder comes from."""

    root: bytes
    #: phone, cloud, synced, export, card, copy or folder (see the module docstring)
    kind: str
    #: the service or tool (Google Photos, Dropbox, Syncthing, …), when known
    service: str | None = None

    @property
    def frees_at_source(self) -> bool:
        """Whether removing photos here frees space on the phone or in the cloud."""
        return FREES_AT_SOURCE.get(self.kind, False)

    def message(self) -> str:
        """What a cleanup of this folder frees, and what to do elsewhere, in words."""
        root, service = escape(self.root), self.service or ""
        if self.kind == "phone":
            text = _(
                "{root} is the phone itself (mounted over MTP/PTP): removing photos there "
                "frees the phone's storage. Ménage's quarantine is on this computer, so "
                "`menage undo` can put them back on the phone."
            )
        elif self.kind == "cloud":
            text = _(
                "{root} is the cloud storage itself ({service}, mounted): removing photos "
                "there removes them from {service} (maybe into its trash: empty it to free "
                "the space)."
            )
        elif self.kind == "synced":
            text = _(
                "{root} is synced with {service}: removing photos here removes them from "
                "{service} and every synced device too (maybe into its trash: empty it to "
                "free the space)."
            )
        elif self.kind == "export":
            text = _(
                "{root} is an export of {service}: cleaning it frees space on this computer "
                "only, nothing in {service}. To free space there, delete the same photos in "
                "{service} itself (its app or web page); the report lists them."
            )
        elif self.kind == "card":
            text = _(
                "{root} is on a memory card or a device mounted as a drive: removing photos "
                "there frees space on it."
            )
        elif self.kind == "copy":
            text = _(
                "{root} is a copy of a phone's DCIM folder: cleaning it frees space on this "
                "computer only, nothing on the phone. To free the phone, delete the same "
                "photos in its gallery app (the report lists them), or clean the phone "
                "itself, mounted over MTP."
            )
        else:
            text = _(
                "Cleaning {root} frees space on this computer. If it is a copy of a phone's "
                "photos or a cloud export, the phone and the cloud keep theirs: delete them "
                "there too. A phone mounted over MTP or a synced folder is cleaned directly."
            )
        return text.format(root=root, service=service)

    def to_json(self) -> dict[str, Any]:
        return {
            "root": to_json(self.root),
            "kind": self.kind,
            "service": self.service,
            "frees_at_source": self.frees_at_source,
            "message": self.message(),
        }


def _mounts() -> list[tuple[bytes, str]]:
    """(mount point, filesystem type) of every mount, longest mount point first."""
    found: list[tuple[bytes, str]] = []
    if MOUNTINFO is None:
        return found
    try:
        with open(MOUNTINFO, "rb") as handle:
            for line in handle:
                left, _sep, right = line.partition(b" - ")
                fields = left.split()
                if len(fields) > 4 and right:
                    point = fields[4].decode("unicode_escape").encode("latin-1")
                    found.append((point, right.split()[0].decode("ascii", "replace")))
    except OSError:
        return []
    return sorted(found, key=lambda m: -len(m[0]))


def _fs_type(path: bytes, mounts: Sequence[tuple[bytes, str]]) -> str | None:
    for point, fstype in mounts:
        if path == point or path.startswith(point.rstrip(b"/") + b"/"):
            return fstype
    return None


def _names(folder: bytes) -> Iterable[bytes]:
    try:
        with os.scandir(folder) as entries:
            for n, entry in enumerate(entries):
                if n >= _LOOK:
                    return
                yield entry.name
    except OSError:
        return


def _sync_marker(path: bytes) -> str | None:
    folder = path
    while True:
        names = set(_names(folder))
        for marker, service in _SYNC_MARKERS:
            if marker in names:
                return service
        if any(n.startswith((b".sync_", b"._sync_")) and n.endswith(b".db") for n in names):
            return "Nextcloud"
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _export(path: bytes) -> str | None:
    parts = [p.lower() for p in path.split(b"/")]
    if any(p in _TAKEOUT_NAMES for p in parts):
        return "Google Photos"
    if b"icloud photos" in parts:
        return "iCloud"
    top = [n.lower() for n in _names(path)]
    if any(n in _TAKEOUT_NAMES or n == b"archive_browser.html" for n in top):
        return "Google Photos"
    if b"icloud photos" in top:
        return "iCloud"
    below = [n for n in top if not n.startswith(b".")][:20]
    for name in [*top, *(n for b in below for n in _names(os.path.join(path, b)))]:
        if name.lower().endswith(_SIDECAR):
            return "Google Photos"
    return None


def _dcim(path: bytes, is_mount: Callable[[bytes], bool]) -> str | None:
    parts = path.split(b"/")
    for n, part in enumerate(parts):
        if part.upper() == b"DCIM":
            return "card" if is_mount(b"/".join(parts[:n]) or b"/") else "copy"
    if any(n.upper() == b"DCIM" for n in _names(path)):
        return "card" if is_mount(path) else "copy"
    return None


def origin_of(
    root: bytes,
    mounts: Sequence[tuple[bytes, str]] | None = None,
    is_mount: Callable[[bytes], bool] = os.path.ismount,
) -> Origin:
    """Where the folder ``root`` comes from (see the module docstring).

    Args:
        root: an absolute path.
        mounts: (mount point, filesystem type), longest first (default: this
            system's, from ``/proc/self/mountinfo``).
        is_mount: whether a folder is a mount point.
    """
    path = os.path.abspath(root)
    for part in path.split(b"/"):
        if part.startswith(_PHONE_SCHEMES):
            return Origin(root, "phone")
        for scheme, service in _CLOUD_SCHEMES.items():
            if part.startswith(scheme):
                return Origin(root, "cloud", service)
    fstype = _fs_type(path, _mounts() if mounts is None else mounts)
    if fstype in _PHONE_FS:
        return Origin(root, "phone")
    if fstype in _CLOUD_FS:
        return Origin(root, "cloud", _CLOUD_FS[fstype])
    synced = _sync_marker(path)
    if synced is not None:
        return Origin(root, "synced", synced)
    exported = _export(path)
    if exported is not None:
        return Origin(root, "export", exported)
    dcim = _dcim(path, is_mount)
    if dcim is not None:
        return Origin(root, dcim)
    return Origin(root, "folder")


def origins(roots: Iterable[bytes]) -> list[Origin]:
    """The origin of each scanned folder, read once for them all."""
    mounts = _mounts()
    return [origin_of(os.fsencode(r), mounts) for r in roots]


def origins_json(roots: Iterable[bytes]) -> list[dict[str, Any]]:
    """The ``where`` list of a JSON document: one :meth:`Origin.to_json` per folder."""
    return [o.to_json() for o in origins(roots)]
