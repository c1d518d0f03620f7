"""The scan summary people read in a terminal (``menage scan`` without --json)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from menage.files.document import scan_summary
from menage.files.lint import CATEGORY_LABELS
from menage.files.names import escape
from menage.files.result import ScanResult
from menage.findings import Duplicates, FileItem, FindingList, SingleFile
from menage.i18n import _, format_number, format_percent, format_size, ngettext

#: how many entries of each list the terminal shows (the JSON has them all)
SHOWN = 5


def _files(n: int) -> str:
    return ngettext("{n} file", "{n} files", n).format(n=format_number(n))


def _duplicates(found: FindingList, data: dict[str, Any], result: ScanResult) -> str:
    dup = data["duplicates"]
    return _("{groups}, {copies}: {size} ({rate} of the bytes)").format(
        groups=ngettext("{n} group", "{n} groups", dup["groups"]).format(
            n=format_number(dup["groups"])
        ),
        copies=ngettext("{n} extra copy", "{n} extra copies", dup["redundant_files"]).format(
            n=format_number(dup["redundant_files"])
        ),
        size=format_size(dup["redundant_bytes"]),
        rate=format_percent(dup["rate"]),
    )


def _duplicate_folders(found: FindingList, data: dict[str, Any], result: ScanResult) -> str:
    totals = found.totals()
    return ngettext(
        "{n} folder with a copy elsewhere ({size})",
        "{n} folders with a copy elsewhere ({size})",
        totals.count,
    ).format(n=format_number(totals.count), size=format_size(totals.reclaimable_bytes))


def _old(found: FindingList, data: dict[str, Any], result: ScanResult) -> str:
    totals = found.totals()
    from menage.units import format_age

    return _("{files}, {size}, not modified for {years}").format(
        files=_files(totals.count),
        size=format_size(totals.bytes),
        years=format_age(result.options.older_than_s),
    )


def _count(found: FindingList, data: dict[str, Any], result: ScanResult) -> str:
    return format_number(len(found))


def _generic(found: FindingList, data: dict[str, Any], result: ScanResult) -> str:
    totals = found.totals()
    if found.kind.grouped:
        counted = ngettext("{n} group", "{n} groups", totals.count)
    else:
        counted = ngettext("{n} file", "{n} files", totals.count)
    return _("{files}, {size}").format(
        files=counted.format(n=format_number(totals.count)), size=format_size(totals.bytes)
    )


def _photo_groups(found: FindingList, data: dict[str, Any], result: ScanResult) -> str:
    totals = found.totals()
    counted = ngettext("{n} group", "{n} groups", totals.count).format(
        n=format_number(totals.count)
    )
    return _(
        "{groups}, {size}: {free} to free once you confirm (menage plan --similar-photos)"
    ).format(
        groups=counted, size=format_size(totals.bytes), free=format_size(totals.reclaimable_bytes)
    )


#: how a kind's row reads, when it says more than its count and size
_ROWS: dict[str, Callable[[FindingList, dict[str, Any], ScanResult], str]] = {
    "duplicates": _duplicates,
    "duplicate_folders": _duplicate_folders,
    "old_files": _old,
    "empty_files": _count,
    "empty_dirs": _count,
    "similar_photos": _photo_groups,
    "bursts": _photo_groups,
}
#: kinds shown as a list below the table rather than as a row
_LISTED = ("big_files",)


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
    _print_left_out(console, result)
    total = data["total"]
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        _("Scanned"),
        _("{files}, {size}").format(files=_files(total["files"]), size=format_size(total["bytes"])),
    )
    for found in result.findings:
        key = found.kind.key
        if key in _LISTED or (key == "duplicate_folders" and not found):
            continue
        table.add_row(_(found.kind.title), _ROWS.get(key, _generic)(found, data, result))
    counted = [_(found.kind.label) for found in result.findings if found.kind.reclaimable]
    table.add_row(
        _("Reclaimable"),
        _("{size} ({what})").format(
            size=format_size(data["reclaimable"]["total"]), what=", ".join(counted)
        ),
    )
    _add_impact_rows(table, data["reclaimable"]["total"], result.options.region)
    console.print(table)

    groups = result.findings["duplicates"][:SHOWN]
    if groups:
        console.print()
        console.print(_("[bold]Largest duplicate groups[/bold]"))
        for group in groups:
            assert isinstance(group, Duplicates)
            console.print(
                _("  {size} × {n}").format(size=format_size(group.size), n=len(group.items))
            )
            for item in group.items:
                if isinstance(item, FileItem):
                    console.print(f"    {path(item.path)}")

    biggest = result.findings["big_files"][:SHOWN]
    if biggest:
        console.print()
        console.print(_("[bold]Biggest files[/bold]"))
        for big in biggest:
            assert isinstance(big, SingleFile)
            console.print(f"  {format_size(big.file.size):>10}  {path(big.file.path)}")

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
    _print_breakdown(console, data, breakdown)


def _print_left_out(console: Any, result: ScanResult) -> None:
    """Say what the walk left out by its own choice: snapshot and recycle folders."""
    left_out = result.tree.excluded
    if result.options.snapshots or not left_out:
        return
    n = format_number(left_out)
    if result.options.excludes:
        text = ngettext(
            "{n} entry left out by --exclude or as a snapshot or recycle folder "
            "(--snapshots scans those).",
            "{n} entries left out by --exclude or as snapshot and recycle folders "
            "(--snapshots scans those).",
            left_out,
        )
    else:
        text = ngettext(
            "{n} snapshot or recycle folder left out (--snapshots scans it).",
            "{n} snapshot and recycle folders left out (--snapshots scans them).",
            left_out,
        )
    console.print(text.format(n=n))


def _print_breakdown(console: Any, data: dict[str, Any], breakdown: str | None) -> None:
    from rich.markup import escape as markup_escape
    from rich.table import Table

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
        click.echo(
            ngettext(
                "  … and {n} more (see --json).", "  … and {n} more (see --json).", len(issues) - 20
            ).format(n=len(issues) - 20),
            err=err,
        )
