"""What the review page shows of a scan's findings, one panel per source.

A panel turns the findings of one source into sections the page lists with a
checkbox each: groups (duplicates: one copy kept, marked, with the rule that chose it)
or single items (big, old, temporary files). Each checkbox names a finding
(``duplicates/3``) or an item, which is what :meth:`menage.Workspace.plan` takes as
picks: the page never names a path for the cleanup. The files panel is registered
here; the photos and mail analysers register theirs with :func:`register_panel`.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from menage.clean.plan import PlanOptions
from menage.clean.rules import Member, choose, is_under
from menage.files.names import escape
from menage.findings import Duplicates, FileItem, Finding, ScanFindings, SingleFile, TempFile
from menage.i18n import N_, _, format_date, format_size
from menage.report.finding_view import TEMP_KIND_LABELS

#: groups or files listed in each section (the page stays light)
SHOWN = 100

RULE_REASONS = {
    "oldest": N_("the oldest copy is kept"),
    "newest": N_("the newest copy is kept"),
    "shortest-path": N_("the copy with the shortest path is kept"),
    "path": N_("the copies have the same date: the first by name is kept"),
    "in": N_("the copies in the reference folder are kept"),
}


@dataclass
class File:
    """One file as a line of the page."""

    path: str
    size: str
    modified: str
    iso: str
    kept: bool = False
    #: the pick of this file alone (files outside groups)
    pick: str = ""
    detail: str = ""


@dataclass
class Group:
    """A group of copies: one stays (``kept``), the others go when it is ticked."""

    pick: str
    number: int
    each: str
    freed: str
    rule: str
    files: list[File]


@dataclass
class Section:
    """One kind of finding on the page."""

    key: str
    title: str
    intro: str
    count: int
    freed: str
    groups: list[Group] = field(default_factory=list)
    files: list[File] = field(default_factory=list)
    #: groups of photos, shown as thumbnails (:mod:`menage.review.photo_panel`)
    photos: list[Any] = field(default_factory=list)
    more: int = 0


Panel = Callable[[ScanFindings], Iterator[Section]]
_PANELS: dict[str, Panel] = {}


def register_panel(source: str, panel: Panel) -> None:
    """Show the findings of ``source`` (``file``, ``photo``, ``mail``) with ``panel``."""
    _PANELS[source] = panel


def sections(scanned: ScanFindings) -> list[Section]:
    """Every panel's sections for a scan: the groups first, in the order the panels
    were registered."""
    found = [section for panel in _PANELS.values() for section in panel(scanned)]
    # groups first (duplicates, similar photos, bursts: one copy stays), then single files
    return sorted(found, key=lambda s: not (s.groups or s.photos))


def shown_path(path: bytes, roots: Sequence[bytes]) -> str:
    """A path as the page shows it: from the scanned folder's name down."""
    for root in sorted(roots, key=len, reverse=True):
        if is_under(path, root) and path != root:
            parent = os.path.dirname(root.rstrip(b"/")) or b"/"
            return escape(os.path.relpath(path, parent))
    return escape(path)


def _file(
    item: FileItem, roots: Sequence[bytes], pick: str = "", kept: bool = False, detail: str = ""
) -> File:
    when = datetime.fromtimestamp(item.mtime_ns / 1e9)
    return File(
        path=shown_path(item.path, roots),
        size=format_size(item.size),
        modified=format_date(when),
        iso=when.date().isoformat(),
        kept=kept,
        pick=pick,
        detail=detail,
    )


def _group(finding: Duplicates, roots: Sequence[bytes]) -> Group:
    files = [item for item in finding.items if isinstance(item, FileItem)]
    choice = choose([Member(f.path, f.mtime_ns) for f in files], PlanOptions().rules())
    kept = {m.path for m in choice.keep}
    ordered = sorted(files, key=lambda f: (f.path not in kept, f.path))
    return Group(
        pick=finding.id,
        number=finding.number,
        each=format_size(finding.size),
        freed=format_size(finding.reclaimable_bytes),
        rule=_(RULE_REASONS.get(choice.reason, RULE_REASONS["path"])),
        files=[_file(f, roots, kept=f.path in kept) for f in ordered],
    )


def _biggest(found: Iterable[Finding], n: int) -> list[Finding]:
    return heapq.nlargest(n, found, key=lambda f: f.bytes)


def file_panel(scanned: ScanFindings) -> Iterator[Section]:
    """Duplicates, big files, old files and temporary files of a scan of folders."""
    findings = scanned.findings
    reclaimable = findings.reclaimable().by_kind
    dupes = findings["duplicates"]
    if len(dupes):
        shown = _biggest(dupes, SHOWN)
        yield Section(
            key="duplicates",
            title=_("Duplicates"),
            intro=_(
                "Files with exactly the same content. Tick a group to put its extra copies "
                "in Ménage's bin: the copy marked “kept” stays where it is."
            ),
            count=len(dupes),
            freed=format_size(reclaimable.get("duplicates", 0)),
            groups=[_group(f, scanned.roots) for f in shown if isinstance(f, Duplicates)],
            more=len(dupes) - len(shown),
        )
    singles = (
        ("big_files", N_("Biggest files"), N_("The biggest files of these folders.")),
        (
            "old_files",
            N_("Old files"),
            N_("Files nobody has changed for years (the biggest first)."),
        ),
        (
            "temp_files",
            N_("Temporary and cache files"),
            N_("Files their programs make again or never need again."),
        ),
    )
    for key, title, intro in singles:
        found = findings[key]
        if not len(found):
            continue
        shown = _biggest(found, SHOWN)
        files = []
        for finding in shown:
            assert isinstance(finding, SingleFile)
            detail = ""
            if isinstance(finding, TempFile):
                detail = _(TEMP_KIND_LABELS.get(finding.temp_kind, finding.temp_kind))
            files.append(_file(finding.file, scanned.roots, pick=finding.id, detail=detail))
        yield Section(
            key=key,
            title=_(title),
            intro=_(intro),
            count=len(found),
            freed=format_size(sum(f.bytes for f in found)),
            files=files,
            more=len(found) - len(shown),
        )


register_panel("file", file_panel)
