"""The terminal summary of ``menage photos`` (the command line renders; the library finds)."""

from __future__ import annotations

from typing import Any

from menage.files.names import escape
from menage.i18n import _, format_number, format_size, ngettext
from menage.photos import PhotoFindings

#: errors listed one by one; the JSON output holds them all
_ERRORS_SHOWN = 20


def print_photos_summary(found: PhotoFindings, console: Any) -> None:
    """Print what was found, what it would free, and what a copy's cleanup does not free."""
    from rich.table import Table

    console.print(
        ngettext(
            "{num} photo analysed ({cached} from the cache), {videos} videos.",
            "{num} photos analysed ({cached} from the cache), {videos} videos.",
            found.photos,
        ).format(
            num=format_number(found.photos),
            cached=format_number(found.from_cache),
            videos=format_number(found.videos_seen),
        ),
        markup=False,
    )
    table = Table(box=None, show_edge=False)
    table.add_column(_("Finding"))
    table.add_column(_("Count"), justify="right")
    table.add_column(_("Reclaimable"), justify="right")
    rows = [
        (
            _("Similar photos (groups)"),
            len(found.similar),
            [g.reclaimable_bytes for g in found.similar],
        ),
        (_("Bursts"), len(found.bursts), [g.reclaimable_bytes for g in found.bursts]),
        (_("Blurry photos"), len(found.blurry), [p.size for p in found.blurry]),
        (_("Screenshots"), len(found.screenshots), [s.photo.size for s in found.screenshots]),
        (_("Big videos"), len(found.videos), [v.size for v in found.videos]),
    ]
    for label, count, sizes in rows:
        table.add_row(label, format_number(count), format_size(sum(sizes)))
    table.add_row(_("Total, each file once"), "", format_size(found.reclaimable_bytes))
    console.print(table)
    if found.videos and not found.ffprobe:
        console.print(_("Video durations are not shown: ffprobe (FFmpeg) is not installed."))
    console.print(
        _(
            "Cleaning a copied DCIM folder or a cloud export frees nothing on the phone: "
            "delete the same photos in the phone's gallery (or the cloud's web page). "
            "Deleting in a phone mounted over MTP or a synced folder does reach the phone."
        ),
        markup=False,
    )
    for error in found.errors[:_ERRORS_SHOWN]:
        console.print(f"{escape(error.path)}: {error.message}", markup=False, style="yellow")
    if len(found.errors) > _ERRORS_SHOWN:
        console.print(
            _("{num} more skipped files: the JSON output (--json) lists them.").format(
                num=format_number(len(found.errors) - _ERRORS_SHOWN)
            )
        )
