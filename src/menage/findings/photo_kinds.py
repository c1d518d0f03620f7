"""The kinds of findings of the photos analyser (to come), declared with their fields.

Their items are files (photos on a disk or a phone's copied folder); they use the
generic JSON form of :class:`~menage.findings.model.Finding`. Plans cannot act on
them yet: the cleanup must first check that the photo kept is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from menage.findings.file_kinds import FILE_FIELDS
from menage.findings.model import Field, Finding, FindingKind, register_kind
from menage.i18n import N_


@dataclass(frozen=True)
class SimilarPhotos(Finding):
    """Photos that look the same (perceptual hash), not byte for byte."""

    #: largest perceptual-hash distance between two photos of the group, in bits
    distance: int


@dataclass(frozen=True)
class Burst(Finding):
    """Photos shot in a quick series: one is usually enough."""

    #: seconds between the first and the last shot
    span_s: float


@dataclass(frozen=True)
class BlurryPhoto(Finding):
    """A photo out of focus or shaken."""

    #: variance of the Laplacian of the reduced image: the lower, the blurrier
    sharpness: float


@dataclass(frozen=True)
class Screenshot(Finding):
    """A screenshot (by its name, size or the software that made it)."""

    #: what recognised it
    rule: str


for _kind in (
    FindingKind(
        key="similar_photos",
        source="photo",
        label=N_("similar photos"),
        title=N_("Similar photos"),
        plan_title=N_("Similar photos: the photos below are removed, each kept one stays."),
        cls=SimilarPhotos,
        fields=(
            Field("distance", "integer", "largest perceptual-hash distance, in bits"),
            Field("items", "list", "the photos (files)"),
        ),
        order=110,
        grouped=True,
        keep_one=True,
        # until the cleanup checks near-duplicates (the kept photo unchanged)
        plannable=False,
    ),
    FindingKind(
        key="bursts",
        source="photo",
        label=N_("bursts"),
        title=N_("Bursts of photos"),
        plan_title=N_("Bursts: the photos below are removed, each kept one stays."),
        cls=Burst,
        fields=(
            Field("span_s", "number", "seconds from the first shot to the last"),
            Field("items", "list", "the photos (files)"),
        ),
        order=120,
        grouped=True,
        keep_one=True,
        plannable=False,
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
        fields=(Field("rule", "string", "what recognised it"), *FILE_FIELDS),
        order=140,
        plannable=False,
    ),
):
    register_kind(_kind)
