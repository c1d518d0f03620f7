"""The photo analyser registered for the ``photo`` source: ``menage scan --photos``.

A files scan lists every file once (its walk) and finds the exact duplicates (its
hashing); this analyser reads that same listing, picks the photos and videos by
name, and analyses them (:func:`menage.photos.analyse.analyse_entries`, with the
photo cache: a second scan decodes only new or changed photos). Of files with the
same bytes only the first is looked at: exact duplicates are the file engine's
finding, so no byte is counted twice. The findings are the typed kinds of
:mod:`menage.findings.photo_kinds`, stored with the scan like the files' own, so
``menage plan`` can propose the near-duplicates and bursts.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from menage.files.columns import Columns, ContentGroup
from menage.files.names import to_json
from menage.findings import (
    BigVideo,
    BlurryPhoto,
    FileItem,
    Finding,
    FindingList,
    Findings,
    Screenshot,
    SimilarPhotos,
    StoredFindings,
    register_analyser,
    run_analysers,
)
from menage.findings import Burst as BurstFinding
from menage.photos import media
from menage.photos.analyse import PhotoOptions, Progress, analyse_entries
from menage.photos.cache import PhotoCache
from menage.photos.findings import Group, PhotoFindings
from menage.photos.origin import origins_json

KINDS = ("similar_photos", "bursts", "blurry_photos", "screenshots", "big_videos")


@dataclass
class PhotoScan:
    """What the photo analyser reads: a files scan's listing and its exact duplicates."""

    roots: Sequence[bytes]
    tree: Columns
    groups: Sequence[ContentGroup]
    #: file numbers that are extra paths of an inode counted once (hardlinks)
    extra_links: Set[int]
    options: PhotoOptions
    cache: PhotoCache
    progress: Progress | None = None
    #: what the analysis saw (counts, skipped files), filled in by the analyser
    found: PhotoFindings | None = None


def _listed(scanned: PhotoScan) -> list[media.Entry]:
    tree = scanned.tree
    copies = {i for g in scanned.groups for i in list(g.files)[1:]}
    listed: list[media.Entry] = []
    for i, path in enumerate(tree.paths):
        if i in scanned.extra_links or i in copies:
            continue
        kind = media.media_kind(path)
        if kind is not None:
            listed.append(
                media.Entry(path, tree.dev[i], tree.ino[i], tree.size[i], tree.mtime_ns[i], kind)
            )
    return listed


@register_analyser("photos", source="photo", kinds=KINDS)
def find_photos(scanned: PhotoScan) -> list[FindingList]:
    """Near-duplicates, bursts, blurry photos, screenshots and big videos of a scan."""
    listed = _listed(scanned)
    entries = {e.path: e for e in listed}
    found = analyse_entries(scanned.roots, listed, scanned.options, scanned.cache, scanned.progress)
    scanned.found = found

    def item(path: bytes) -> FileItem:
        e = entries[path]
        return FileItem(path, e.size, e.mtime_ns, e.dev, e.ino)

    def members(group: Group) -> tuple[tuple[FileItem, ...], int]:
        return tuple(item(p.path) for p in group.photos), group.photos.index(group.best) + 1

    similar: list[Finding] = []
    for n, group in enumerate(found.similar, start=1):
        items, best = members(group)
        similar.append(SimilarPhotos(n, items, best=best, reason=group.reason))
    bursts: list[Finding] = []
    for n, burst in enumerate(found.bursts, start=1):
        items, best = members(burst)
        start = datetime.fromtimestamp(burst.start).isoformat(timespec="seconds")
        bursts.append(
            BurstFinding(n, items, best=best, reason=burst.reason, start=start, span_s=burst.span_s)
        )
    blurry: list[Finding] = [
        BlurryPhoto(n, (item(p.path),), sharpness=round(p.sharpness, 1))
        for n, p in enumerate(found.blurry, start=1)
    ]
    screenshots: list[Finding] = [
        Screenshot(n, (item(s.photo.path),), width=s.photo.width, height=s.photo.height, why=s.why)
        for n, s in enumerate(found.screenshots, start=1)
    ]
    videos: list[Finding] = [
        BigVideo(n, (item(v.path),), duration_s=v.duration_s)
        for n, v in enumerate(found.videos, start=1)
    ]
    return [
        StoredFindings("similar_photos", similar),
        StoredFindings("bursts", bursts),
        StoredFindings("blurry_photos", blurry),
        StoredFindings("screenshots", screenshots),
        StoredFindings("big_videos", videos),
    ]


def run_photo_analysers(scanned: PhotoScan) -> tuple[Findings, dict[str, Any]]:
    """Run the analysers of the ``photo`` source over a files scan's listing.

    Returns:
        The findings, and the ``photos`` section of the scan's JSON document:
        counts, the files skipped (with reasons), and what a cleanup frees where
        (:mod:`menage.photos.origin`).
    """
    findings = run_analysers("photo", scanned)
    found = scanned.found
    summary: dict[str, Any] = {
        "photos": found.photos if found else 0,
        "videos_seen": found.videos_seen if found else 0,
        "decoded": found.decoded if found else 0,
        "from_cache": found.from_cache if found else 0,
        "ffprobe": found.ffprobe if found else False,
        "errors": [
            {"path": to_json(e.path), "reason": e.reason, "message": e.message}
            for e in (found.errors if found else [])
        ],
        "where": origins_json(scanned.roots),
    }
    return findings, summary
