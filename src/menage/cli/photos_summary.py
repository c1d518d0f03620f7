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
    for origin in found.where:
        console.print(origin.message(), markup=False)
    for error in found.errors[:_ERRORS_SHOWN]:
        console.print(f"{escape(error.path)}: {error.message}", markup=False, style="yellow")
    if len(found.errors) > _ERRORS_SHOWN:
        console.print(
            ngettext(
                "{num} more skipped file: the JSON output (--json) lists it.",
                "{num} more skipped files: the JSON output (--json) lists them.",
                len(found.errors) - _ERRORS_SHOWN,
            ).format(num=format_number(len(found.errors) - _ERRORS_SHOWN))
        )


def print_photos_where(photos: dict[str, Any], console: Any) -> None:
    """What a cleanup of each scanned folder frees (``menage scan --photos``)."""
    console.print()
    console.print(
        ngettext(
            "{num} photo analysed ({cached} from the cache), {videos} videos.",
            "{num} photos analysed ({cached} from the cache), {videos} videos.",
            photos["photos"],
        ).format(
            num=format_number(photos["photos"]),
            cached=format_number(photos["from_cache"]),
            videos=format_number(photos["videos_seen"]),
        ),
        markup=False,
    )
    for where in photos["where"]:
        console.print(where["message"], markup=False)


def print_photo_errors(errors: list[dict[str, Any]], brief: bool = False) -> None:
    """The photos skipped (stderr): unreadable, damaged, too large, unsupported."""
    import click

    click.echo(
        ngettext(
            "{num} photo could not be analysed: skipped, left as it is.",
            "{num} photos could not be analysed: skipped, left as they are.",
            len(errors),
        ).format(num=format_number(len(errors))),
        err=True,
    )
    if brief:
        return
    for error in errors[:_ERRORS_SHOWN]:
        click.echo(f"  {error['path']}: {error['message']}", err=True)
    if len(errors) > _ERRORS_SHOWN:
        click.echo(
            ngettext(
                "{num} more skipped file: the JSON output (--json) lists it.",
                "{num} more skipped files: the JSON output (--json) lists them.",
                len(errors) - _ERRORS_SHOWN,
            ).format(num=format_number(len(errors) - _ERRORS_SHOWN)),
            err=True,
        )
