"""``menage plan``: write a readable, editable cleanup plan from a scan."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from menage.cli._clean import (
    caution_archives,
    plan_options,
    print_plan_summary,
    selection_options,
)
from menage.cli._options import index_option
from menage.i18n import _

if TYPE_CHECKING:
    from menage.clean import Plan
    from menage.findings.jsonform import ScanFindings


@click.command(
    help=_(
        "Write a cleanup plan from a scan (the latest, or scan number SCAN): one action "
        "per line, to read and edit before `menage apply`.\n\n"
        "Choose what to clean (--duplicates, --empty, --temp, --older-than, --larger) and "
        "which copy of duplicates stays (--keep, repeatable, applied in order), or pick "
        "findings and files one by one by their ids (--pick). Nothing is selected by "
        "default, and no duplicate group ever loses every copy.\n\n"
        "Examples:\n\n"
        "\b\n"
        "    menage plan --duplicates --keep 'in ~/Photos' --keep oldest -o plan.json\n"
        "    menage plan --pick duplicates/3/2 --pick temp_files/1 -o plan.json\n"
        "    menage plan --similar-photos -o photos-plan.json"
    ),
    short_help=_("Write an editable cleanup plan from a scan."),
)
@click.argument("scan_id", metavar="[SCAN]", required=False, type=int)
@selection_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help=_(
        "Write the plan to this file (default, or -: print it). A device or FIFO is "
        "written in place, a symbolic link is written through."
    ),
)
@click.option(
    "--pick",
    "picks",
    multiple=True,
    metavar="ID",
    help=_(
        "Clean only this finding or file, by its id in the scan's JSON: duplicates/3 (a "
        "whole group: --keep chooses the copy that stays), duplicates/3/2 (its second "
        "file; the others stay), temp_files/5. Repeatable; not with the options above."
    ),
)
@click.option(
    "--similar-photos",
    is_flag=True,
    help=_(
        "Propose the near-duplicate photos and bursts of a `menage scan --photos` (the best "
        "shot of each group stays). Proposals only: each line is applied once you confirm "
        'it in the plan file ("confirmed": true), or pick photos with --pick.'
    ),
)
@index_option()
def plan(
    scan_id: int | None,
    duplicates: bool,
    empty: bool,
    temp: bool,
    older_than: float | None,
    larger: int | None,
    keep: tuple[str, ...],
    action: str,
    picks: tuple[str, ...],
    similar_photos: bool,
    output: Path | None,
    index_path: Path | None,
) -> None:
    from menage.clean import build_plan, plan_selection, write_plan
    from menage.files.index import Index
    from menage.home import default_index_path

    options = plan_options(duplicates, empty, temp, older_than, larger, keep, action)
    if similar_photos:
        options.kinds = ("similar_photos", "bursts")
    options.rules()  # a bad rule fails before the index is opened
    if options.older_than_s is not None:
        caution_archives()
    if picks and options.selected_kinds():
        raise click.UsageError(
            _("--pick chooses findings one by one: give it without --duplicates, --empty, ...")
        )
    with Index(index_path or default_index_path()) as index:
        scanned = index.scan_findings(scan_id)
        listing = None
        if options.older_than_s is not None or options.larger is not None:
            listing = list(index.listing(scanned.roots))
    if picks:
        result = plan_selection(scanned, picks, options)
    else:
        result = build_plan(scanned, options, listing)
    _warn_unused_rules(result)
    if output is None or str(output) == "-":
        write_plan(result, sys.stdout)
        return
    write_plan(result, output)
    click.echo(_("Plan written to {path}.").format(path=output), err=True)
    _say_which_scan(scanned)
    print_plan_summary(result)
    if result.actions:
        click.echo(_("Read or edit it, then: menage apply {path}").format(path=output), err=True)


def _say_which_scan(scanned: ScanFindings) -> None:
    """Which scan the plan comes from: the latest one is not always the folder meant."""
    from menage.files.names import escape

    if scanned.scan_id is None:
        return
    click.echo(
        _("From scan {id} of {folders}.").format(
            id=scanned.scan_id, folders=", ".join(escape(root) for root in scanned.roots)
        ),
        err=True,
    )


def _warn_unused_rules(plan: Plan) -> None:
    """A folder rule that decided nothing is most often a mistyped folder: say so."""
    from menage.clean.planfile import note_text

    for note in plan.notes:
        if note.startswith("rule-decided-nothing:"):
            click.echo(_("Warning: {text}").format(text=note_text(note)), err=True)
        elif note.startswith("archives-left:"):
            click.echo(note_text(note), err=True)
