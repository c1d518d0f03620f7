"""The HTML report of ``menage photos``: one self-contained page (``templates/photos.html``).

Same look as the scan report, no JavaScript, no external resource: thumbnails are small
JPEGs embedded as ``data:`` URIs, made once and kept in the photo cache. Each group shows
the proposed best shot marked "Kept" with the reason. Long lists are cut (the JSON
output holds everything). Names are shown escaped and the template autoescapes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from menage._version import __version__
from menage.errors import OutputNotWritten, ReportNotWritten
from menage.files.names import escape
from menage.i18n import _, format_datetime, format_number, format_size, language, ngettext
from menage.output import write_output
from menage.photos import Group, Photo, PhotoCache, PhotoFindings
from menage.photos.thumbs import thumbnail_uri
from menage.report.html import _environment

#: groups (or photos) shown per section; the JSON lists them all
LIMIT = 100


def _reason(code: str) -> str:
    return {
        "resolution": _("highest resolution"),
        "sharpness": _("sharpest"),
        "size": _("largest file"),
    }.get(code, code)


def _item(photo: Photo, cache: PhotoCache, best: Group | None = None) -> dict[str, Any]:
    is_best = best is not None and photo is best.best
    return {
        "src": thumbnail_uri(photo.path, cache),
        "name": escape(os.path.basename(photo.path)),
        "path": escape(photo.path),
        "size": format_size(photo.size),
        "dims": f"{photo.width}×{photo.height}",
        "best": is_best,
        "reason": _reason(best.reason) if is_best and best is not None else "",
    }


def _groups(groups: Sequence[Group], cache: PhotoCache, when: bool) -> list[dict[str, Any]]:
    return [
        {
            "photos": [_item(p, cache, g) for p in g.photos],
            "reclaimable": format_size(g.reclaimable_bytes),
            "when": format_datetime(datetime.fromtimestamp(min(p.taken for p in g.photos)))
            if when
            else "",
        }
        for g in groups[:LIMIT]
    ]


def _figure(label: str, value: str, detail: str) -> dict[str, str]:
    return {"label": label, "value": value, "detail": detail}


def photos_context(found: PhotoFindings, cache: PhotoCache) -> dict[str, Any]:
    """What the template shows, formatted for the current language."""

    def count(n: int) -> str:
        return ngettext("{num} photo", "{num} photos", n).format(num=format_number(n))

    removed = sum(len(g.remove) for g in [*found.similar, *found.bursts])
    return {
        "lang": language(),
        "version": __version__,
        "roots": [escape(r) for r in found.roots],
        "date": format_datetime(datetime.now()),
        "figures": [
            _figure(
                _("Photos analysed"),
                format_number(found.photos),
                _("{num} from the cache").format(num=format_number(found.from_cache)),
            ),
            _figure(
                _("Reclaimable"),
                format_size(found.reclaimable_bytes),
                _("every finding, each file counted once"),
            ),
            _figure(
                _("Similar photos"),
                format_size(sum(g.reclaimable_bytes for g in found.similar)),
                ngettext("{num} group", "{num} groups", len(found.similar)).format(
                    num=format_number(len(found.similar))
                ),
            ),
            _figure(
                _("Bursts"),
                format_size(sum(g.reclaimable_bytes for g in found.bursts)),
                ngettext("{num} burst", "{num} bursts", len(found.bursts)).format(
                    num=format_number(len(found.bursts))
                ),
            ),
            _figure(
                _("Proposed for cleanup"),
                format_number(removed),
                _("photos in groups, the best shot of each kept"),
            ),
            _figure(
                _("Blurry photos"),
                format_size(sum(p.size for p in found.blurry)),
                count(len(found.blurry)),
            ),
            _figure(
                _("Screenshots"),
                format_size(sum(s.photo.size for s in found.screenshots)),
                count(len(found.screenshots)),
            ),
            _figure(
                _("Big videos"),
                format_size(sum(v.size for v in found.videos)),
                ngettext("{num} video", "{num} videos", len(found.videos)).format(
                    num=format_number(len(found.videos))
                ),
            ),
            _figure(
                _("Errors"),
                format_number(len(found.errors)),
                _("every photo could be read") if found.complete else _("files skipped"),
            ),
        ],
        "where": [origin.message() for origin in found.where],
        "similar": _groups(found.similar, cache, when=False),
        "similar_more": max(0, len(found.similar) - LIMIT),
        "bursts": _groups(found.bursts, cache, when=True),
        "bursts_more": max(0, len(found.bursts) - LIMIT),
        "blur_threshold": format_number(found.blur_threshold),
        "blurry": [_item(p, cache) for p in found.blurry[:LIMIT]],
        "blurry_more": max(0, len(found.blurry) - LIMIT),
        "screenshots": [_item(s.photo, cache) for s in found.screenshots[:LIMIT]],
        "screenshots_more": max(0, len(found.screenshots) - LIMIT),
        "videos": [
            {
                "path": escape(v.path),
                "size": format_size(v.size),
                "duration": "—"
                if v.duration_s is None
                else _("{min} min {s} s").format(
                    min=int(v.duration_s // 60), s=int(v.duration_s % 60)
                ),
            }
            for v in found.videos
        ],
        "video_min_size": format_size(found.video_min_size),
        "ffprobe": found.ffprobe,
        "errors": [{"path": escape(e.path), "message": e.message} for e in found.errors],
    }


def render_photos_html(found: PhotoFindings, cache: PhotoCache) -> str:
    """The photo report page in the current language."""
    return _environment().get_template("photos.html").render(photos_context(found, cache))


def write_photos_html(found: PhotoFindings, cache: PhotoCache, target: Path) -> None:
    """Write the report to ``target`` by the rules of :mod:`menage.output` (a regular
    file replaced atomically, a device or FIFO written in place), creating its folder.

    Raises:
        ReportNotWritten: the file or its folder cannot be written.
    """
    page = render_photos_html(found, cache).encode("utf-8")
    try:
        write_output(target, page)
    except OutputNotWritten as exc:
        raise ReportNotWritten(**exc.fields) from None
