"""``menage photos``: near-duplicate photos, bursts, blurry shots, screenshots, big videos."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from menage.cli._common import print_json, stderr_console, stdout_console
from menage.cli._types import SIZE
from menage.errors import EXIT_INCOMPLETE
from menage.i18n import _, format_number, ngettext


@contextlib.contextmanager
def _progress() -> Iterator[Any]:
    console = stderr_console()
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn

    from menage.cli._progress import CountColumn

    labels = {"walk": _("Listing photos"), "decode": _("Reading photos")}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        CountColumn(),
        console=console,
        transient=True,
        # no refresh thread: photo workers are forked, which copies threads
        auto_refresh=False,
    ) as progress:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(labels.get(stage, stage), total=total)
            progress.update(tasks[stage], completed=done, total=total)
            progress.refresh()

        yield update


@click.command(
    help=_(
        "Find near-duplicate photos, bursts, blurry photos, screenshots and big videos.\n\n"
        "Give a phone's DCIM folder (copied or mounted) or a cloud export (Google "
        "Takeout, iCloud). JPEG, PNG, WebP and HEIC are read at reduced size; each group "
        "of similar photos proposes a best shot to keep (highest resolution, then "
        "sharpest, then largest). Nothing is changed: the analysis only reads. A second "
        "run reads only new photos (the cache is in the Ménage data folder).\n\n"
        "Cleaning a copy frees nothing on the phone: the report says what to delete there."
        "\n\nExample:\n\n"
        "    menage photos ~/Images/DCIM --html photos.html"
    ),
    short_help=_("Find near-duplicate photos, bursts, blurry shots, screenshots, big videos."),
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help=_("Print every finding as JSON."))
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("Write a self-contained HTML report with thumbnails to this file."),
)
@click.option(
    "--burst-seconds",
    type=click.FloatRange(min=0),
    default=3.0,
    show_default=True,
    help=_("Photos taken this close together (in seconds) can form a burst."),
)
@click.option(
    "--blur-threshold",
    type=click.FloatRange(min=0),
    default=None,
    help=_("Sharpness below which a photo is blurry (default: 25, see the README)."),
)
@click.option(
    "--video-min-size",
    type=SIZE,
    default="100MB",
    show_default=True,
    help=_("List videos of this size or more."),
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    help=_("Processes that decode photos (default: one per CPU)."),
)
def photos(
    paths: tuple[str, ...],
    as_json: bool,
    html: Path | None,
    burst_seconds: float,
    blur_threshold: float | None,
    video_min_size: int,
    workers: int,
) -> None:
    from menage.cli.photos_summary import print_photos_summary
    from menage.home import menage_home
    from menage.photos import BLUR_THRESHOLD, PhotoCache, PhotoOptions, analyse

    if html is not None:
        from menage.report.html import check_target

        check_target(html)
    home = menage_home()
    options = PhotoOptions(
        burst_seconds=burst_seconds,
        blur_threshold=BLUR_THRESHOLD if blur_threshold is None else blur_threshold,
        video_min_size=video_min_size,
        workers=workers,
        skip=str(home),
    )
    with PhotoCache(home / "photos.sqlite") as cache:
        if cache.moved_aside is not None:
            click.echo(
                _("The damaged photo cache was kept as {path}.").format(path=cache.moved_aside),
                err=True,
            )
        with _progress() as progress:
            found = analyse(paths, options, cache=cache, progress=progress)
        if html is not None:
            from menage.report.photos_html import write_photos_html

            write_photos_html(found, cache, html)
    if as_json:
        print_json(found.to_json())
    else:
        print_photos_summary(found, stdout_console())
    if not found.complete:
        if as_json:
            click.echo(
                ngettext(
                    '{num} file skipped: see "errors".',
                    '{num} files skipped: see "errors".',
                    len(found.errors),
                ).format(num=format_number(len(found.errors))),
                err=True,
            )
        click.get_current_context().exit(EXIT_INCOMPLETE)
