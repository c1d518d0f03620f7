"""``menage scan``: find duplicate, big, old, temporary and empty files."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from menage.cli._common import progress_bar, stdout_console
from menage.cli._options import exclude_option, index_option, json_option, snapshots_option
from menage.cli._types import AGE, SIZE, age_default, age_help
from menage.cli.impact import REGIONS
from menage.errors import EXIT_INCOMPLETE
from menage.i18n import _


@click.command(
    help=_(
        "Scan folders for duplicate, big, old, temporary and empty files.\n\n"
        "Nothing is changed: the scan only reads. Hidden files are scanned, symbolic "
        "links are never followed unless asked (and never counted as copies), hardlinks "
        "count once. Results go to the index, so that `menage plan` can act on them and "
        "a later scan reads only what changed.\n\n"
        "Example:\n\n"
        "    menage scan ~/Documents --html report.html"
    ),
    short_help=_("Find duplicate, big, old, temporary and empty files."),
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@json_option(_("Print the full result as JSON."))
@click.option(
    "--print0",
    is_flag=True,
    help=_("Print duplicate groups as NUL-separated paths (an empty entry ends a group)."),
)
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("Write a self-contained HTML report to this file."),
)
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help=_("Write CSV files (one per finding) into this folder."),
)
@exclude_option()
@snapshots_option()
@click.option(
    "--min-size", type=SIZE, default=0, help=_("Ignore files smaller than this (e.g. 1MB).")
)
@click.option(
    "--older-than",
    type=AGE,
    default=age_default("3y"),
    show_default=True,
    help=age_help(_("Files not modified for this long are reported as old (e.g. {syntax}).")),
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help=_("How many of the biggest files to list."),
)
@click.option(
    "--by",
    "breakdown",
    type=click.Choice(["folder", "owner"]),
    help=_("Break the totals down by folder or by owner."),
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help=_("Folder depth of the breakdown by folder."),
)
@click.option(
    "--follow-links",
    is_flag=True,
    help=_("Descend into symbolic links to folders (loops are detected)."),
)
@click.option(
    "--cross-devices",
    is_flag=True,
    help=_("Descend into other filesystems mounted below the paths."),
)
@index_option()
@click.option(
    "--rebuild-index",
    is_flag=True,
    help=_("Move a damaged or foreign index aside and start a new one."),
)
@click.option(
    "--region",
    type=click.Choice(REGIONS, case_sensitive=False),
    default="france",
    show_default=True,
    help=_("Electricity mix for the impact of what can be freed (see `menage impact`)."),
)
@click.option(
    "--disk",
    type=click.Choice(["auto", "ssd", "hdd"]),
    default="auto",
    show_default=True,
    help=_(
        "How to read: hdd reads one file at a time in disk order, ssd reads on every "
        "core; auto asks the system (virtual disks often claim to be hdd)."
    ),
)
@click.option(
    "--threads",
    type=click.IntRange(min=0),
    default=0,
    help=_("Reader threads (default: chosen from the number of CPUs)."),
)
@click.option(
    "--photos",
    is_flag=True,
    help=_(
        "Analyse the photos and videos too, in the same pass: near-duplicates, bursts, "
        "blurry photos, screenshots, big videos (as `menage photos`, with its cache)."
    ),
)
def scan(
    paths: tuple[str, ...],
    as_json: bool,
    print0: bool,
    html: Path | None,
    csv_dir: Path | None,
    exclude: tuple[str, ...],
    snapshots: bool,
    min_size: int,
    older_than: float,
    top: int,
    breakdown: str | None,
    depth: int,
    follow_links: bool,
    cross_devices: bool,
    index_path: Path | None,
    rebuild_index: bool,
    region: str,
    disk: str,
    threads: int,
    photos: bool,
) -> None:
    from menage import config
    from menage.cli.scan_summary import print_issues, print_scan_summary
    from menage.files.index import Index
    from menage.files.scan import ScanOptions
    from menage.files.scan import scan as run_scan
    from menage.home import default_index_path

    options = ScanOptions(
        follow_links=follow_links,
        cross_devices=cross_devices,
        excludes=(*config.load().exclude, *exclude),
        snapshots=snapshots,
        min_size=min_size,
        older_than_s=older_than,
        top=top,
        depth=depth,
        threads=threads,
        region=region.lower(),
        disk=disk,
        photos=photos,
    )
    machine = as_json or print0
    if html is not None:
        from menage.report.html import check_target

        check_target(html)
    with Index(index_path or default_index_path(), rebuild=rebuild_index) as index:
        if index.moved_aside is not None:
            click.echo(
                _("The previous index was kept as {path}.").format(path=index.moved_aside), err=True
            )
        with contextlib.ExitStack() as stack:
            photo_cache = stack.enter_context(_photo_cache()) if photos else None
            progress = stack.enter_context(progress_bar())
            result = run_scan(
                paths,
                options,
                index=index,
                progress=progress,
                photo_cache=photo_cache,
                keep_json=as_json,
            )
        if as_json:
            from menage.report.json import write_scan_json

            # while the index copies the scan into its file (Index._checkpoint_behind)
            write_scan_json(result, sys.stdout)
        # earlier scans of the same folders give the report its before/after
        history = index.scans() if html is not None else []

    if html is not None:
        from menage.report.html import write_scan_html

        write_scan_html(result, html, history)
        click.echo(_("HTML report: {path}").format(path=html), err=True)
    if csv_dir is not None:
        from menage.report.csv import write_scan_csv

        write_scan_csv(result, csv_dir)
    if print0 and not as_json:  # the JSON, when asked, was printed above
        from menage.findings import FileItem

        out = sys.stdout.buffer
        for group in result.findings["duplicates"]:
            for item in group.items:
                if isinstance(item, FileItem):
                    out.write(item.path + b"\0")
            out.write(b"\0")
        out.flush()
    elif not machine:
        print_scan_summary(result, stdout_console(), breakdown=breakdown)
        if result.photos is not None:
            from menage.cli.photos_summary import print_photos_where

            print_photos_where(result.photos, stdout_console())
    if result.issues:
        print_issues(result, err=True, brief=machine)
    if result.photos is not None and result.photos["errors"]:
        from menage.cli.photos_summary import print_photo_errors

        print_photo_errors(result.photos["errors"], brief=machine)
    from menage.cli._clean import remind_retention

    remind_retention()
    if not result.complete:
        click.get_current_context().exit(EXIT_INCOMPLETE)


@contextlib.contextmanager
def _photo_cache() -> Iterator[Any]:
    from menage.home import menage_home
    from menage.photos import PhotoCache

    with PhotoCache(menage_home() / "photos.sqlite") as cache:
        if cache.moved_aside is not None:
            click.echo(
                _("The damaged photo cache was kept as {path}.").format(path=cache.moved_aside),
                err=True,
            )
        yield cache
