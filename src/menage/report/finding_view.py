"""The findings as the HTML report shows them: rows of plain, formatted text.

The file kinds have sections of their own in ``templates/scan.html``; every other
kind (the photos and mail analysers' ones) gets a section made from its declaration
(:func:`other_sections`): its title, its totals and its findings, one row each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from menage.findings import (
    FileItem,
    Finding,
    FindingList,
    Findings,
    FolderItem,
    Item,
    SingleFile,
    TempFile,
)
from menage.i18n import N_, _, format_date, format_number, format_size
from menage.report.collapse import ROWS, shown_path

#: rows shown in each list of the page (the JSON and CSV outputs hold everything)
SHOWN = ROWS
#: paths shown for one group of duplicates
GROUP_PATHS = 20
#: the kinds that have a section of their own in the page
OWN_SECTIONS = (
    "duplicates",
    "duplicate_folders",
    "temp_files",
    "empty_files",
    "empty_dirs",
    "old_files",
    "big_files",
)

TEMP_KIND_LABELS = {
    "office-lock": N_("Office lock files"),
    "thumbnail-db": N_("Thumbnail caches"),
    "system": N_("System files"),
    "temporary": N_("Temporary files"),
    "editor-backup": N_("Backup copies"),
    "partial-download": N_("Unfinished downloads"),
    "crash-dump": N_("Crash dumps"),
    "bytecode": N_("Compiled Python"),
    "cache": N_("Application and browser caches"),
}


def _date(mtime_ns: int) -> str:
    return format_date(datetime.fromtimestamp(mtime_ns / 1e9))


def _label(item: Item, roots: Sequence[bytes]) -> str:
    if isinstance(item, FileItem | FolderItem):
        return shown_path(item.path, roots)
    return f"{item.mailbox} #{item.uid}"


def file_rows(found: Iterable[Finding], roots: Sequence[bytes]) -> list[dict[str, Any]]:
    """Size, date and path of each file finding."""
    rows = []
    for finding in found:
        assert isinstance(finding, SingleFile)
        item = finding.file
        when = datetime.fromtimestamp(item.mtime_ns / 1e9)
        rows.append(
            {
                "path": shown_path(item.path, roots),
                "size": format_size(item.size),
                "modified": _date(item.mtime_ns),
                "iso": when.date().isoformat(),
            }
        )
    return rows


def paths(found: Iterable[Finding], roots: Sequence[bytes]) -> list[str]:
    """The item of each finding, shown."""
    return [_label(finding.items[0], roots) for finding in found]


def temporary(found: FindingList, roots: Sequence[bytes]) -> dict[str, Any]:
    """Temporary files by kind of rule, and the largest ones."""
    kinds: dict[str, list[Any]] = defaultdict(lambda: [0, 0, set()])
    every: list[TempFile] = []
    for finding in found:
        assert isinstance(finding, TempFile)
        every.append(finding)
        counts = kinds[finding.temp_kind]
        counts[0] += 1
        counts[1] += finding.file.size
        counts[2].add(finding.rule)
    largest = sorted(every, key=lambda f: (-f.file.size, f.number))[:SHOWN]
    return {
        "count": len(found),
        "bytes": sum(counts[1] for counts in kinds.values()),
        "kinds": [
            {
                "label": _(TEMP_KIND_LABELS[kind]) if kind in TEMP_KIND_LABELS else kind,
                "patterns": ", ".join(sorted(patterns)),
                "files": format_number(n),
                "size": format_size(size),
            }
            for kind, (n, size, patterns) in sorted(kinds.items(), key=lambda kv: -kv[1][1])
        ],
        "largest": [
            {**row, "kind": _(TEMP_KIND_LABELS.get(f.temp_kind, f.temp_kind))}
            for row, f in zip(file_rows(largest, roots), largest, strict=True)
        ],
    }


def other_sections(findings: Findings, roots: Sequence[bytes]) -> list[dict[str, Any]]:
    """A section for each kind found that has none of its own in the page."""
    sections = []
    for found in findings:
        kind = found.kind
        if kind.key in OWN_SECTIONS:
            continue
        totals = found.totals()
        sections.append(
            {
                "id": kind.key.replace("_", "-"),
                "title": _(kind.title),
                "grouped": kind.grouped,
                "count": totals.count,
                "size": format_size(totals.bytes),
                "reclaimable": format_size(totals.reclaimable_bytes),
                "rows": [
                    {
                        "id": finding.id,
                        "paths": [_label(item, roots) for item in finding.items[:GROUP_PATHS]],
                        # a group of similar photos keeps its best shot (position from 1)
                        "best": int(getattr(finding, "best", 0)),
                        "size": format_size(finding.bytes),
                        "reclaimable": format_size(finding.reclaimable_bytes),
                    }
                    for finding in found[:SHOWN]
                ],
            }
        )
    return sections
