"""The kinds of findings of the photos analyser, declared with their fields.

They are what ``menage photos`` finds (:mod:`menage.photos.findings`, which keeps its
own JSON form, schema ``menage.photos``, until its analyser registers on this model).
Their items are files (photos on a disk or a phone's copied folder); they use the
generic JSON form of :class:`~menage.findings.model.Finding`. Plans can act on the
near-duplicates and bursts: each removal is a proposal the person confirms, and the
photo kept is verified unchanged at the last moment (:mod:`menage.clean.photo_operations`).
"""

from __future__ import annotations

from dataclasses import dataclass

from menage.findings.file_kinds import FILE_FIELDS
from menage.findings.model import Field, Finding, FindingKind, register_kind
from menage.i18n import N_


@dataclass(frozen=True)
class SimilarPhotos(Finding):
    """Photos that look the same (perceptual hashes), not byte for byte."""

    #: the photo kept by default (its position among the items, from 1)
    best: int
    #: why that one: "resolution", "sharpness" or "size"
    reason: str

    @property
    def reclaimable_bytes(self) -> int:
        """Every photo but the one kept (the best shot, not the largest file)."""
        return _all_but_best(self)


def _all_but_best(finding: SimilarPhotos | Burst) -> int:
    if not 1 <= finding.best <= len(finding.items):
        return 0
    return finding.bytes - finding.items[finding.best - 1].size


@dataclass(frozen=True)
class Burst(Finding):
    """Photos shot in a quick series that look alike: one is usually enough."""

    #: the photo kept by default (its position among the items, from 1)
    best: int
    #: why that one: "resolution", "sharpness" or "size"
    reason: str
    #: when the first was taken (ISO 8601)
    start: str
    #: seconds from the first shot to the last
    span_s: float

    @property
    def reclaimable_bytes(self) -> int:
        """Every photo but the one kept (the best shot, not the largest file)."""
        return _all_but_best(self)


@dataclass(frozen=True)
class BlurryPhoto(Finding):
    """A photo out of focus or shaken."""

    #: variance of the Laplacian of the reduced image: the lower, the blurrier
    sharpness: float


@dataclass(frozen=True)
class Screenshot(Finding):
    """A screenshot: its name says so, or a PNG at a screen size without camera EXIF."""

    width: int
    height: int
    #: "name" or "screen"
    why: str


@dataclass(frozen=True)
class BigVideo(Finding):
    """A big video file."""

    #: its length in seconds, when ffprobe could tell
    duration_s: float | None


for _kind in (
    FindingKind(
        key="similar_photos",
        source="photo",
        label=N_("similar photos"),
        title=N_("Similar photos"),
        plan_title=N_(
            "Similar photos (not identical): proposals. Each line is applied only once you "
            'confirm it: change "confirmed": false to true, or delete the line.'
        ),
        cls=SimilarPhotos,
        fields=(
            Field("best", "integer", "the photo kept by default, from 1"),
            Field("reason", "string", "why: resolution, sharpness or size"),
            Field("items", "list", "the photos (files)"),
        ),
        order=110,
        grouped=True,
        keep_one=True,
    ),
    FindingKind(
        key="bursts",
        source="photo",
        label=N_("bursts"),
        title=N_("Bursts of photos"),
        plan_title=N_(
            "Bursts of photos: proposals. Each line is applied only once you confirm it: "
            'change "confirmed": false to true, or delete the line.'
        ),
        cls=Burst,
        fields=(
            Field("best", "integer", "the photo kept by default, from 1"),
            Field("reason", "string", "why: resolution, sharpness or size"),
            Field("start", "string", "when the first was taken (ISO 8601)"),
            Field("span_s", "number", "seconds from the first shot to the last"),
            Field("items", "list", "the photos (files)"),
        ),
        order=120,
        grouped=True,
        keep_one=True,
    ),
    FindingKind(
        key="blurry_photos",
        source="photo",
        label=N_("blurry photos"),
        title=N_("Blurry photos"),
        plan_title=N_("Blurry photos."),
        cls=BlurryPhoto,
        fields=(Field("sharpness", "number", "variance of the Laplacian"), *FILE_FIELDS),
        order=130,
        plannable=False,
    ),
    FindingKind(
        key="screenshots",
        source="photo",
        label=N_("screenshots"),
        title=N_("Screenshots"),
        plan_title=N_("Screenshots."),
        cls=Screenshot,
        fields=(
            Field("width", "integer", "pixels"),
            Field("height", "integer", "pixels"),
            Field("why", "string", "name or screen"),
            *FILE_FIELDS,
        ),
        order=140,
        plannable=False,
    ),
    FindingKind(
        key="big_videos",
        source="photo",
        label=N_("big videos"),
        title=N_("Big videos"),
        plan_title=N_("Big videos."),
        cls=BigVideo,
        fields=(Field("duration_s", "number", "seconds, or null"), *FILE_FIELDS),
        order=150,
        plannable=False,
    ),
):
    register_kind(_kind)
