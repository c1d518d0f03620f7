"""The scan summary people read in a terminal."""

from __future__ import annotations

from typing import Any

import click

from menage.files.lint import CATEGORY_LABELS
from menage.files.names import escape
from menage.files.scan import ScanResult
from menage.i18n import _, format_number, format_percent, format_size, ngettext
from menage.report.json import scan_summary

#: how many entries of each list the terminal shows (the JSON has them all)
SHOWN = 5


def _files(n: int) -> str:
    return ngettext("{n} file", "{n} files", n).format(n=format_number(n))


def print_scan_summary(result: ScanResult, console: Any, breakdown: str | None = None) -> None:
    """Print what a scan found, most useful first."""
    from rich.markup import escape as markup_escape
    from rich.table import Table

    data = scan_summary(result)
    tree = result.tree

    def path(p: bytes) -> str:
        return markup_escape(escape(p))

    roots = ", ".join(path(r) for r in tree.roots)
    console.print(
        _("[bold]Scan of {roots}[/bold] ({seconds} s)").format(
            roots=roots, seconds=format_number(result.duration_s, 1)
        )
    )
    total = data["total"]
    dup = data["duplicates"]
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        _("Scanned"),
        _("{files}, {size}").format(files=_files(total["files"]), size=format_size(total["bytes"])),
    )
    table.add_row(
        _("Duplicates"),
        _("{groups}, {copies}: {size} ({rate} of the bytes)").format(
            groups=ngettext("{n} group", "{n} groups", dup["groups"]).format(
                n=format_number(dup["groups"])
            ),
            copies=ngettext("{n} extra copy", "{n} extra copies", dup["redundant_files"]).format(
                n=format_number(dup["redundant_files"])
            ),
            size=format_size(dup["redundant_bytes"]),
            rate=format_percent(dup["rate"]),
        ),
    )
    folders = data["duplicate_folders"]
    if folders["count"]:
        table.add_row(
            _("Duplicate folders"),
            ngettext(
                "{n} folder with a copy elsewhere ({size})",
                "{n} folders with a copy elsewhere ({size})",
                folders["count"],
            ).format(
                n=format_number(folders["count"]), size=format_size(folders["redundant_bytes"])
            ),
        )
    temp = data["temp_files"]
    table.add_row(
        _("Temporary files"),
        _("{files}, {size}").format(files=_files(temp["count"]), size=format_size(temp["bytes"])),
    )
    old = data["old_files"]
    table.add_row(
        _("Old files"),
        _("{files}, {size}, not modified for {years} years").format(
            files=_files(old["count"]),
            size=format_size(old["bytes"]),
            years=format_number(result.options.older_than_s / (365.25 * 86400), 1),
        ),
    )
    table.add_row(_("Empty files"), format_number(data["empty_files"]["count"]))
    table.add_row(_("Empty folders"), format_number(data["empty_dirs"]["count"]))
    table.add_row(
        _("Reclaimable"),
        _("{size} (duplicates and temporary files)").format(
            size=format_size(data["reclaimable"]["total"])
        ),
    )
    _add_impact_rows(table, data["reclaimable"]["total"], result.options.region)
    console.print(table)

    if dup["items"]:
        console.print()
        console.print(_("[bold]Largest duplicate groups[/bold]"))
        for group in result.duplicates.groups[:SHOWN]:
            console.print(
                _("  {size} × {n}").format(size=format_size(group.size), n=len(group.files))
            )
            for i in group.files:
                console.print(f"    {path(tree.paths[i])}")

    if result.big_files:
        console.print()
        console.print(_("[bold]Biggest files[/bold]"))
        for i in result.big_files[:SHOWN]:
            console.print(f"  {format_size(tree.size[i]):>10}  {path(tree.paths[i])}")

    console.print()
    categories = Table(title=_("By category"), title_justify="left")
    categories.add_column(_("Category"))
    categories.add_column(_("Files"), justify="right")
    categories.add_column(_("Size"), justify="right")
    for key, counts in sorted(data["categories"].items(), key=lambda kv: -kv[1]["bytes"]):
        if counts["files"]:
            categories.add_row(
                _(CATEGORY_LABELS[key]),
                format_number(counts["files"]),
                format_size(counts["bytes"]),
            )
    console.print(categories)

    if breakdown == "owner":
        rows = [(item["owner"], item) for item in data["by_owner"]]
        title = _("By owner")
    else:
        rows = [
            (escape(item["path"].encode("utf-8", "surrogateescape")), item)
            for item in data["by_folder"]
        ]
        title = _("Biggest folders")
    if breakdown or rows:
        table = Table(title=title, title_justify="left")
        table.add_column(_("Owner") if breakdown == "owner" else _("Folder"))
        table.add_column(_("Files"), justify="right")
        table.add_column(_("Size"), justify="right")
        table.add_column(_("In duplicates"), justify="right")
        limit = None if breakdown else SHOWN * 2
        for label, item in rows[:limit]:
            table.add_row(
                markup_escape(label),
                format_number(item["files"]),
                format_size(item["bytes"]),
                format_size(item["duplicate_bytes"]),
            )
        console.print(table)


def _add_impact_rows(table: Any, reclaimable: int, region: str) -> None:
    """The yearly footprint of the reclaimable bytes, its sources, and its proportion."""
    from menage.impact.summary import storage_summary

    summary = storage_summary(reclaimable, region)
    table.add_row(_("Impact"), summary.headline())
    table.add_row("", summary.synced_line())
    table.add_row("", _("sources: {keys}").format(keys=", ".join(summary.sources())))
    table.add_row("", summary.message())


def print_issues(result: ScanResult, err: bool = True, brief: bool = False) -> None:
    """Say that the scan is incomplete and list what was skipped."""
    issues = result.issues
    click.echo(
        ngettext(
            "Incomplete scan: {n} entry could not be read or changed during the scan.",
            "Incomplete scan: {n} entries could not be read or changed during the scan.",
            len(issues),
        ).format(n=format_number(len(issues))),
        err=err,
    )
    if brief:
        return
    from menage.files.walk import ISSUE_KINDS

    for issue in issues[:20]:
        kind = _(ISSUE_KINDS.get(issue.kind, issue.kind))
        click.echo(f"  {escape(issue.path)}: {kind} ({issue.detail})", err=err)
    if len(issues) > 20:
        click.echo(_("  … and {n} more (see --json).").format(n=len(issues) - 20), err=err)
