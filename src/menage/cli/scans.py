"""``menage scans``: the history of scans and the change between two of them."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from menage.cli._common import print_json, stdout_console
from menage.cli._options import index_option, json_option
from menage.i18n import _, format_datetime, format_number, format_percent, format_size


def _sign(n: float) -> str:
    return "+" if n > 0 else "−" if n < 0 else ""


def _signed_size(n: int) -> str:
    return _sign(n) + format_size(abs(n))


def points(change: float) -> str:
    """A change of rate in percentage points: ``+3,2 pts`` / ``+3.2 pts``."""
    value = round(change * 100, 1)
    return _("{value} pts").format(value=_sign(value) + format_number(abs(value), digits=1))


@click.command(
    help=_(
        "List past scans with their totals and duplicate rate, or compare two scans of "
        "the same folders. `--compare` alone compares the latest scan with the scan of "
        "the same folders before it; `--compare N` compares scan N with the one before it "
        "of the same folders; scans of different folders are refused, since their rates "
        "say nothing about each other. Rate changes are in percentage points.\n\n"
        "Example:\n\n"
        "    menage scans --compare 1 2"
    ),
    short_help=_("List past scans, or compare two."),
)
@click.option(
    "--compare",
    is_flag=True,
    help=_("Show what changed between two scans of the same folders (by default the last two)."),
)
@click.argument("numbers", nargs=-1, type=click.IntRange(min=1), metavar="[[BEFORE] AFTER]")
@json_option()
@index_option()
def scans(compare: bool, numbers: tuple[int, ...], as_json: bool, index_path: Path | None) -> None:
    from rich.table import Table

    from menage.files.history import compare as compare_scans
    from menage.files.index import Index
    from menage.home import default_index_path

    with Index(index_path or default_index_path()) as index:
        if numbers and not compare:
            raise click.UsageError(_("scan numbers go with --compare."))
        if len(numbers) > 2:
            raise click.UsageError(_("--compare takes at most two scan numbers."))
        if compare:
            before = numbers[0] if len(numbers) == 2 else None
            after = numbers[-1] if numbers else None
            change = compare_scans(index, before, after)
            if as_json:
                print_json(change.as_dict())
                return
            console = stdout_console()
            table = Table(
                title=_("Scan {a} → scan {b} ({folders})").format(
                    a=change.before.id, b=change.after.id, folders=", ".join(change.after.roots)
                ),
                title_justify="left",
            )
            table.add_column("")
            table.add_column(_("Before"), justify="right")
            table.add_column(_("After"), justify="right")
            table.add_column(_("Change"), justify="right")
            b, a = change.before, change.after
            table.add_row(
                _("Files"), format_number(b.files), format_number(a.files), f"{change.files:+d}"
            )
            table.add_row(
                _("Size"), format_size(b.bytes), format_size(a.bytes), _signed_size(change.bytes)
            )
            table.add_row(
                _("Duplicates"),
                format_size(b.redundant_bytes),
                format_size(a.redundant_bytes),
                _signed_size(change.redundant_bytes),
            )
            table.add_row(
                _("Duplicate rate"),
                format_percent(b.rate),
                format_percent(a.rate),
                points(change.rate),
            )
            console.print(table)
            return
        records = index.scans()
    if as_json:
        print_json(
            [
                {**asdict(r), "started": r.started.isoformat(), "rate": round(r.rate, 6)}
                for r in records
            ]
        )
        return
    console = stdout_console()
    if not records:
        console.print(_("No scan yet: run `menage scan FOLDER`."))
        return
    table = Table()
    for title, justify in (
        (_("No."), "right"),
        (_("Date"), "left"),
        (_("Folders"), "left"),
        (_("Files"), "right"),
        (_("Size"), "right"),
        (_("Duplicates"), "right"),
        (_("Rate"), "right"),
        (_("Complete"), "left"),
    ):
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    for r in records:
        table.add_row(
            str(r.id),
            format_datetime(r.started, "short"),
            ", ".join(r.roots),
            format_number(r.files),
            format_size(r.bytes),
            format_size(r.redundant_bytes),
            format_percent(r.rate),
            _("yes") if r.complete else _("no"),
        )
    console.print(table)
