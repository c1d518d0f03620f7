"""What the photo analysis finds, as typed values with one versioned JSON form.

JSON schema (``"schema": "menage.photos"``, ``"version": 1``); every path is the
file's name in the PEP 383 form of :func:`menage.files.names.to_json`, every size in
bytes, ``reclaimable_bytes`` what removing the proposed photos would free::

    {"schema": "menage.photos", "version": 1, "roots": [PATH, ...],
     "photos": N, "videos_seen": N, "decoded": N, "from_cache": N,
     "similar": {"groups": [GROUP, ...], "reclaimable_bytes": N},
     "bursts": {"seconds": S, "groups": [GROUP + "start": ISO-8601, "span_s": S, ...],
                "reclaimable_bytes": N},
     "blurry": {"threshold": T, "photos": [{"path", "size", "sharpness"}, ...],
                "reclaimable_bytes": N},
     "screenshots": {"photos": [{"path", "size", "width", "height", "why"}, ...],
                     "reclaimable_bytes": N},
     "videos": {"min_size": N, "ffprobe": BOOL,
                "videos": [{"path", "size", "duration_s": S or null}, ...],
                "reclaimable_bytes": N},
     "errors": [{"path", "reason", "message"}, ...],
     "where": [{"root": PATH, "kind": KIND, "service": NAME or null,
                "frees_at_source": BOOL, "message": TEXT}, ...],
     "reclaimable_bytes": N}

    GROUP = {"paths": [PATH, ...], "best": PATH, "reason": "resolution" | "sharpness"
             | "size", "remove": [PATH, ...], "reclaimable_bytes": N}

``where`` says, for each folder, what a cleanup there frees (:mod:`menage.photos.origin`):
``kind`` is ``phone``, ``cloud``, ``synced``, ``card`` (cleaning reaches the device or
the cloud: ``frees_at_source`` true), ``export``, ``copy`` or ``folder`` (it frees space
on this computer only). ``why`` of a screenshot is ``"name"`` (its name says so) or
``"screen"`` (a PNG at a screen resolution without camera EXIF). The top-level
``reclaimable_bytes`` counts each file once even when several findings propose it.
New keys may be added within a version; a key is never removed or changed in meaning
without a new version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from menage.files.names import to_json
from menage.photos.origin import Origin

SCHEMA = "menage.photos"
SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Photo:
    """One photo as measured (sizes of the full upright image)."""

    path: bytes
    size: int
    width: int
    height: int
    format: str
    sharpness: float
    #: when it was taken: EXIF DateTimeOriginal, else the file's mtime (POSIX time)
    taken: float
    camera: bool

    @property
    def pixels(self) -> int:
        return self.width * self.height


@dataclass(frozen=True, slots=True)
class Group:
    """Similar photos: the best one is kept, the others are proposed for cleanup."""

    photos: tuple[Photo, ...]
    best: Photo
    #: why the best one: "resolution", "sharpness" or "size"
    reason: str

    @property
    def remove(self) -> tuple[Photo, ...]:
        return tuple(p for p in self.photos if p is not self.best)

    @property
    def reclaimable_bytes(self) -> int:
        return sum(p.size for p in self.remove)

    def to_json(self) -> dict[str, Any]:
        return {
            "paths": [to_json(p.path) for p in self.photos],
            "best": to_json(self.best.path),
            "reason": self.reason,
            "remove": [to_json(p.path) for p in self.remove],
            "reclaimable_bytes": self.reclaimable_bytes,
        }


@dataclass(frozen=True, slots=True)
class Burst(Group):
    """Photos taken within a few seconds of each other that look alike."""

    @property
    def start(self) -> float:
        return min(p.taken for p in self.photos)

    @property
    def span_s(self) -> float:
        return max(p.taken for p in self.photos) - self.start

    def to_json(self) -> dict[str, Any]:
        data = Group.to_json(self)
        data["start"] = datetime.fromtimestamp(self.start).isoformat(timespec="seconds")
        data["span_s"] = round(self.span_s, 3)
        return data


@dataclass(frozen=True, slots=True)
class Screenshot:
    photo: Photo
    #: "name" or "screen"
    why: str


@dataclass(frozen=True, slots=True)
class Video:
    path: bytes
    size: int
    duration_s: float | None


@dataclass(frozen=True, slots=True)
class PhotoError:
    """A file that was skipped, with a reason code and a message for people."""

    path: bytes
    reason: str
    message: str


@dataclass(slots=True)
class PhotoFindings:
    """Everything :func:`menage.photos.analyse` found."""

    roots: list[bytes]
    photos: int = 0
    videos_seen: int = 0
    decoded: int = 0
    from_cache: int = 0
    similar: list[Group] = field(default_factory=list)
    burst_seconds: float = 0.0
    bursts: list[Burst] = field(default_factory=list)
    blur_threshold: float = 0.0
    blurry: list[Photo] = field(default_factory=list)
    screenshots: list[Screenshot] = field(default_factory=list)
    video_min_size: int = 0
    ffprobe: bool = False
    videos: list[Video] = field(default_factory=list)
    errors: list[PhotoError] = field(default_factory=list)
    #: what a cleanup of each folder frees (filled in by :func:`menage.photos.analyse`)
    where: list[Origin] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.errors

    def removable(self) -> dict[bytes, int]:
        """Every path some finding proposes to remove, with its size (each once)."""
        sizes: dict[bytes, int] = {}
        for group in [*self.bursts, *self.similar]:
            sizes.update((p.path, p.size) for p in group.remove)
        sizes.update((p.path, p.size) for p in self.blurry)
        sizes.update((s.photo.path, s.photo.size) for s in self.screenshots)
        sizes.update((v.path, v.size) for v in self.videos)
        return sizes

    @property
    def reclaimable_bytes(self) -> int:
        return sum(self.removable().values())

    def to_json(self) -> dict[str, Any]:
        """The versioned JSON form (see the module's docstring)."""
        return {
            "schema": SCHEMA,
            "version": SCHEMA_VERSION,
            "roots": [to_json(r) for r in self.roots],
            "photos": self.photos,
            "videos_seen": self.videos_seen,
            "decoded": self.decoded,
            "from_cache": self.from_cache,
            "similar": {
                "groups": [g.to_json() for g in self.similar],
                "reclaimable_bytes": sum(g.reclaimable_bytes for g in self.similar),
            },
            "bursts": {
                "seconds": self.burst_seconds,
                "groups": [b.to_json() for b in self.bursts],
                "reclaimable_bytes": sum(b.reclaimable_bytes for b in self.bursts),
            },
            "blurry": {
                "threshold": self.blur_threshold,
                "photos": [
                    {"path": to_json(p.path), "size": p.size, "sharpness": round(p.sharpness, 1)}
                    for p in self.blurry
                ],
                "reclaimable_bytes": sum(p.size for p in self.blurry),
            },
            "screenshots": {
                "photos": [
                    {
                        "path": to_json(s.photo.path),
                        "size": s.photo.size,
                        "width": s.photo.width,
                        "height": s.photo.height,
                        "why": s.why,
                    }
                    for s in self.screenshots
                ],
                "reclaimable_bytes": sum(s.photo.size for s in self.screenshots),
            },
            "videos": {
                "min_size": self.video_min_size,
                "ffprobe": self.ffprobe,
                "videos": [
                    {"path": to_json(v.path), "size": v.size, "duration_s": v.duration_s}
                    for v in self.videos
                ],
                "reclaimable_bytes": sum(v.size for v in self.videos),
            },
            "errors": [
                {"path": to_json(e.path), "reason": e.reason, "message": e.message}
                for e in self.errors
            ],
            "where": [o.to_json() for o in self.where],
            "reclaimable_bytes": self.reclaimable_bytes,
        }
