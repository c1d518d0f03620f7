"""What the HTML report of a scan shows, every value formatted for the current language.

:func:`scan_context` turns a :class:`~menage.files.scan.ScanResult` into plain data for
``templates/scan.html``: what to do now (:mod:`menage.report.next_steps`), summary
figures, the two charts with the tables that repeat their numbers, the lists made short
(:mod:`menage.report.collapse`: paths relative to the scanned folder, cut at
:data:`SHOWN` rows) and the history of the same folders, identical scans merged.
File names are given in their escaped display form (:func:`menage.files.names.escape`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from menage._version import __version__
from menage.files.document import scan_summary
from menage.files.index import ScanRecord
from menage.files.lint import CATEGORY_LABELS
from menage.files.names import escape, from_json, to_json
from menage.files.result import ScanResult
from menage.files.walk import ISSUE_KINDS
from menage.i18n import (
    _,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_size,
    language,
)
from menage.report import collapse, finding_view
from menage.report.collapse import shown_path
from menage.report.finding_view import SHOWN
from menage.report.next_steps import next_steps
from menage.report.sources import named_sources
from menage.report.svg import Bar, bar_chart

__all__ = ["SHOWN", "ChartTable", "scan_context"]

#: bars in each chart (and rows in the table that repeats its numbers)
CHART_BARS = 8
#: biggest files and largest temporary files listed (the other lists: SHOWN)
SHORT_LIST = 5
#: earlier scans shown in the history table
HISTORY_ROWS = 10


@dataclass(frozen=True)
class ChartTable:
    """A chart and the table that gives its numbers (the chart's text alternative)."""

    chart: Markup
    caption: str
    columns: list[str]
    #: per row: the row header, then the cells; cell ``value_column`` is the bar's value
    rows: list[tuple[str, list[str]]]
    value_column: int
    more: int = 0
    #: row headers are file paths (shown in a monospace font)
    path_rows: bool = True


def _age(seconds: float) -> str:
    """``3 years``, ``6 months``, ``45 days``: the threshold of "old" files, in words."""
    from menage.units import format_age

    return format_age(seconds)


def _signed_size(n: int) -> str:
    return ("+" if n > 0 else "−" if n < 0 else "") + format_size(abs(n))


def _chart_table(
    chart_id: str,
    caption: str,
    columns: list[str],
    items: Sequence[tuple[str, str, float, list[str]]],
    value_column: int,
    more: int = 0,
    path_rows: bool = True,
) -> ChartTable:
    """``items``: (short label for the chart, full label for the table, value, cells)."""
    bars = [Bar(short, value, cells[value_column]) for short, _full, value, cells in items]
    return ChartTable(
        chart=bar_chart(chart_id, caption, bars),
        caption=caption,
        columns=columns,
        rows=[(full, cells) for _short, full, _value, cells in items],
        value_column=value_column,
        more=more,
        path_rows=path_rows,
    )


def _category_chart(totals: dict[str, Any], total_bytes: int) -> ChartTable:
    items = [
        (
            _(CATEGORY_LABELS[key]),
            _(CATEGORY_LABELS[key]),
            counts["bytes"],
            [
                format_number(counts["files"]),
                format_size(counts["bytes"]),
                format_percent(counts["bytes"] / total_bytes if total_bytes else 0),
            ],
        )
        for key, counts in sorted(totals["categories"].items(), key=lambda kv: -kv[1]["bytes"])
        if counts["files"]
    ]
    return _chart_table(
        "chart-categories",
        _("Bytes by category"),
        [_("Category"), _("Files"), _("Size"), _("Share")],
        items,
        value_column=1,
        path_rows=False,
    )


def _folder_chart(totals: dict[str, Any], roots: Sequence[bytes], total_bytes: int) -> ChartTable:
    folders = totals["by_folder"]

    def labels(item: dict[str, Any]) -> tuple[str, str]:
        path = from_json(item["path"])
        label = shown_path(path, roots)
        return label, label

    biggest = _chart_table(
        "chart-folders",
        _("Biggest folders"),
        [_("Folder"), _("Files"), _("Size"), _("In duplicates")],
        [
            (
                *labels(item),
                item["bytes"],
                [
                    format_number(item["files"]),
                    format_size(item["bytes"]),
                    format_size(item["duplicate_bytes"]),
                ],
            )
            for item in folders[:CHART_BARS]
        ],
        value_column=1,
        more=max(0, len(folders) - CHART_BARS),
    )
    return biggest


def _history(result: ScanResult, history: Sequence[ScanRecord]) -> dict[str, Any] | None:
    """Earlier scans of the same folders, oldest first, and the change since the first."""
    roots = [to_json(root) for root in result.tree.roots]
    earlier = [
        record
        for record in history
        if record.roots == roots
        and record.id != result.scan_id
        and (result.scan_id is None or record.id < result.scan_id)
    ]
    if not earlier:
        return None
    earlier.sort(key=lambda record: record.id)
    first = earlier[0]
    return {
        "first": {
            "id": first.id,
            "date": format_date(first.started.astimezone()),
            "rate": format_percent(first.rate),
        },
        "rate_now": format_percent(result.duplicate_rate),
        "redundant_change": _signed_size(result.redundant_bytes - first.redundant_bytes),
        "bytes_change": _signed_size(result.total_bytes - first.bytes),
        "rows": _merged(earlier[-HISTORY_ROWS:]),
        "more": max(0, len(earlier) - HISTORY_ROWS),
    }


def _merged(records: Sequence[ScanRecord]) -> list[dict[str, Any]]:
    """One row per run of consecutive scans with the same figures (« 3 × … »)."""
    rows: list[dict[str, Any]] = []
    last: tuple[Any, ...] | None = None
    for record in records:
        figures = (record.files, record.bytes, record.redundant_bytes, record.complete)
        when = record.started.astimezone()
        if rows and figures == last:
            row = rows[-1]
            row["count"] += 1
            row["ids"] = f"{row['first_id']}–{record.id}"
            row["last_date"] = format_datetime(when, "short")
            row["last_iso"] = record.started.isoformat()
            continue
        last = figures
        rows.append(
            {
                "first_id": record.id,
                "ids": str(record.id),
                "count": 1,
                "date": format_datetime(when, "short"),
                "iso": record.started.isoformat(),
                "last_date": "",
                "last_iso": "",
                "files": format_number(record.files),
                "size": format_size(record.bytes),
                "redundant": format_size(record.redundant_bytes),
                "rate": format_percent(record.rate),
                "complete": record.complete,
            }
        )
    return rows


def _impact(reclaimable: int, region: str) -> dict[str, Any]:
    from menage.impact import storage_summary

    summary = storage_summary(reclaimable, region)
    return {
        "headline": summary.headline(),
        "local": summary.synced_line(),
        "message": summary.message(),
        "sources": named_sources(summary.sources()),
    }


def _photos(photos: dict[str, Any] | None) -> dict[str, Any] | None:
    if photos is None:
        return None
    return {
        "count": photos["photos"],
        "videos": photos["videos_seen"],
        "cached": photos["from_cache"],
        "where": [w["message"] for w in photos["where"]],
        "errors": photos["errors"][:SHOWN],
        "error_count": len(photos["errors"]),
    }


def scan_context(result: ScanResult, history: Sequence[ScanRecord] = ()) -> dict[str, Any]:
    """What the template shows, every value already formatted for the current language."""
    tree = result.tree
    totals = scan_summary(result)
    total_bytes = result.total_bytes
    biggest = _folder_chart(totals, tree.roots, total_bytes)
    findings = result.findings
    folders, big, old = findings["duplicate_folders"], findings["big_files"], findings["old_files"]
    empty_files, empty_dirs = findings["empty_files"], findings["empty_dirs"]
    old_totals = old.totals()
    return {
        "lang": language(),
        "version": __version__,
        "roots": [escape(root) for root in tree.roots],
        "scan_id": result.scan_id,
        "started": format_datetime(result.started.astimezone(), "medium"),
        "started_iso": result.started.isoformat(timespec="seconds"),
        "duration": format_number(result.duration_s, 1),
        "complete": result.complete,
        "total": {
            "files": result.total_files,
            "bytes": total_bytes,
            "folders": len(tree.dirs),
            "hardlinks": len(result.extra_links),
        },
        "duplicates": {
            "groups": len(findings["duplicates"]),
            "redundant_files": result.redundant_files,
            "redundant_bytes": result.redundant_bytes,
            "rate": result.duplicate_rate,
        },
        "reclaimable": totals["reclaimable"],
        "reclaimable_kinds": ", ".join(
            _(found.kind.label) for found in findings if found.kind.reclaimable
        ),
        "categories": _category_chart(totals, total_bytes),
        "folders": biggest,
        "dup": collapse.duplicates(findings["duplicates"], folders, tree.roots),
        "big_files": finding_view.file_rows(big[:SHORT_LIST], tree.roots),
        "big_file_count": len(big),
        "old": {
            "count": old_totals.count,
            "bytes": old_totals.bytes,
            "age": _age(result.options.older_than_s),
            "by_folder": collapse.old_by_folder(old, tree.roots),
        },
        "temp": finding_view.temporary(findings["temp_files"], tree.roots),
        "empty_files": {
            "count": len(empty_files),
            "paths": finding_view.paths(empty_files[:SHOWN], tree.roots),
        },
        "empty_dirs": {
            "count": len(empty_dirs),
            "paths": finding_view.paths(empty_dirs[:SHOWN], tree.roots),
        },
        "other_findings": finding_view.other_sections(findings, tree.roots),
        "photos": _photos(result.photos),
        "errors": {
            "count": len(result.issues),
            "rows": [
                {
                    "path": shown_path(issue.path, tree.roots),
                    "kind": _(ISSUE_KINDS.get(issue.kind, issue.kind)),
                    "detail": issue.detail,
                }
                for issue in result.issues[:SHOWN]
            ],
        },
        "skipped": {
            "specials": len(tree.specials),
            "broken_links": len(tree.broken_links),
            "other_devices": len(tree.other_devices),
            "excluded": tree.excluded,
        },
        "history": _history(result, history),
        "next_steps": next_steps(result),
        "impact": _impact(totals["reclaimable"]["total"], result.options.region),
        "shown": SHOWN,
        "short_list": SHORT_LIST,
    }
