"""The photo panel of the review page: groups of similar photos and bursts, shown as
small thumbnails with the best shot marked and why it is the best.

A group's checkbox names the finding (``similar_photos/2``): the plan keeps its best
shot and confirms the others' removal (the person picked them), and the kept photo's
identity and content are checked again at the last moment by the photo operations.
Thumbnails are addressed by finding and position (``thumb/similar_photos/2/1.jpg``),
never by path: :mod:`menage.review.thumbnails` serves them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from menage.clean.photo_plan import _BEST_REASONS
from menage.findings import FileItem, Finding, ScanFindings
from menage.i18n import N_, _, format_size
from menage.review.panels import Section, register_panel, shown_path

#: photo groups listed in each section (each photo is a small image to fetch)
SHOWN_GROUPS = 30
PHOTO_KINDS = ("similar_photos", "bursts")


@dataclass
class Photo:
    """One photo of a group, as a thumbnail and its name."""

    thumb: str
    #: this photo alone (``similar_photos/2/1``): it goes, the best of the others stays
    pick: str
    path: str
    name: str
    size: str
    best: bool


@dataclass
class PhotoGroup:
    """Similar photos: the best shot stays, the others go when the group is ticked."""

    pick: str
    number: int
    freed: str
    why: str
    photos: list[Photo] = field(default_factory=list)


def _group(finding: Finding, roots: list[bytes]) -> PhotoGroup:
    best = int(getattr(finding, "best", 1))
    why = _BEST_REASONS.get(str(getattr(finding, "reason", "")), _BEST_REASONS["size"])
    photos = []
    for position, item in enumerate(finding.items, start=1):
        if not isinstance(item, FileItem):
            continue
        shown = shown_path(item.path, roots)
        photos.append(
            Photo(
                thumb=f"thumb/{finding.id}/{position}.jpg",
                pick=f"{finding.id}/{position}",
                path=shown,
                name=shown.rsplit("/", 1)[-1],
                size=format_size(item.size),
                best=position == best,
            )
        )
    photos.sort(key=lambda p: not p.best)
    return PhotoGroup(
        pick=finding.id,
        number=finding.number,
        freed=format_size(finding.reclaimable_bytes),
        why=_("kept: the best shot, {why}").format(why=_(why)),
        photos=photos,
    )


def photo_panel(scanned: ScanFindings) -> Iterator[Section]:
    """Similar photos and bursts of a scan run with the photo analysis."""
    intros = {
        "similar_photos": N_(
            "Photos that look the same: copies sent through a messaging app, edits, "
            "shots taken twice. Tick a group to put all but its best shot in Ménage's bin."
        ),
        "bursts": N_(
            "Photos taken within a few seconds of each other that look alike. Tick a "
            "group to keep only its best shot."
        ),
    }
    for key in PHOTO_KINDS:
        if key not in scanned.findings:
            continue
        found = scanned.findings[key]
        if not len(found):
            continue
        shown = sorted(found, key=lambda f: f.reclaimable_bytes, reverse=True)[:SHOWN_GROUPS]
        yield Section(
            key=key,
            title=_(found.kind.title),
            intro=_(intros[key]),
            count=len(found),
            freed=format_size(found.totals().reclaimable_bytes),
            photos=[_group(f, scanned.roots) for f in shown],
            more=len(found) - len(shown),
        )


register_panel("photo", photo_panel)
