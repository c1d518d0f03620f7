"""What a files scan is asked (:class:`ScanOptions`) and what it found (:class:`ScanResult`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from menage.files.digests import DuplicateResult
from menage.files.tree import Issue, Tree
from menage.findings import Findings

YEAR_S = 365.25 * 24 * 3600


class KeptText(Protocol):
    """A scan's whole JSON document, made while the index kept its copy, to print once
    (:class:`menage.files.document.ListedText`)."""

    def blocks(self) -> Iterator[bytes]: ...

    def close(self) -> None: ...


#: folders that hold snapshots of other files (NAS and ZFS snapshots, snapper) or what
#: was deleted (Windows recycle bin, freedesktop trash of removable drives): their copies
#: are not duplicates anybody made, and a plan must not quarantine them
SNAPSHOT_FOLDERS = (
    ".snapshot",
    ".snapshots",
    ".zfs",
    "$RECYCLE.BIN",
    "System Volume Information",
    ".Trash-*",
    ".Trashes",
)


@dataclass
class ScanOptions:
    """What ``menage scan`` looks at and reports."""

    follow_links: bool = False
    cross_devices: bool = False
    excludes: Sequence[str] = ()
    min_size: int = 0
    #: files not modified for this many seconds are "old"
    older_than_s: float = 3 * YEAR_S
    #: how many of the biggest files to list
    top: int = 20
    #: folder depth of the "by folder" breakdown
    depth: int = 1
    #: reader threads (0: chosen from the CPU count)
    threads: int = 0
    #: electricity mix for the impact of what can be freed (see menage.impact)
    region: str = "france"
    #: ``auto``, ``ssd`` or ``hdd``: how to read (see menage.files.disks)
    disk: str = "auto"
    #: also walk snapshot and recycle folders (:data:`SNAPSHOT_FOLDERS`), left out by default
    snapshots: bool = False
    #: run the photo analyser too (``menage scan --photos``)
    photos: bool = False

    def walk_excludes(self) -> tuple[str, ...]:
        """The patterns the walk skips: the user's, then snapshot and recycle folders."""
        return (*self.excludes, *(() if self.snapshots else SNAPSHOT_FOLDERS))

    def reader_threads(self) -> int:
        return self.threads or min(4, 1 + (os.cpu_count() or 1))

    def walker_threads(self) -> int:
        return self.threads or 2


@dataclass
class ScanResult:
    """Everything one scan found.

    ``tree`` and ``duplicates`` are what the file engine yielded (file numbers index
    into ``tree``); ``findings`` is what the analysers made of it, by kind.
    """

    tree: Tree
    #: the content stage: groups of same content, digests, what was read
    duplicates: DuplicateResult
    findings: Findings
    options: ScanOptions
    started: datetime
    duration_s: float
    issues: list[Issue]
    #: paths that are extra hardlinks of an inode counted once
    extra_links: set[int] = field(default_factory=set)
    scan_id: int | None = None
    #: the ``photos`` section (counts, skipped photos, what a cleanup frees where)
    #: when the photo analyser ran (see menage.photos.analyser)
    photos: dict[str, Any] | None = None
    #: the JSON summary, made once (see menage.files.document.scan_summary)
    summary_cache: dict[str, Any] | None = field(default=None, repr=False)
    #: the full JSON document, made while the index kept its copy
    #: (``scan(keep_json=True)``), to print once; see menage.report.json
    json_text: KeptText | None = field(default=None, repr=False)

    @property
    def complete(self) -> bool:
        """True when every entry (and every photo, with ``--photos``) could be read."""
        return not self.issues and not (self.photos and self.photos["errors"])

    @property
    def total_files(self) -> int:
        return len(self.tree) - len(self.extra_links)

    @property
    def total_bytes(self) -> int:
        sizes = self.tree.size
        return sum(sizes) - sum(map(sizes.__getitem__, self.extra_links))

    @property
    def redundant_files(self) -> int:
        totals = self.findings["duplicates"].totals()
        return totals.items - totals.count

    @property
    def redundant_bytes(self) -> int:
        return self.findings["duplicates"].totals().reclaimable_bytes

    @property
    def duplicate_rate(self) -> float:
        """Redundant bytes over scanned bytes: the share of storage a cleanup frees."""
        total = self.total_bytes
        return self.redundant_bytes / total if total else 0.0


class DeferredScanResult(ScanResult):
    """The result of a rescan of an unchanged tree, reported from the last scan's stored
    document: its content stage and findings are made the first time something asks for
    them (the HTML, CSV and terminal reports), from the same tree and cached digests, so
    they are those a full scan makes; ``menage scan --json`` never asks."""

    def __init__(
        self,
        make_duplicates: Callable[[], DuplicateResult],
        make_findings: Callable[[DuplicateResult], Findings],
        redundant: tuple[int, int],
        **fields: Any,
    ) -> None:
        self._make_duplicates = make_duplicates
        self._make_findings = make_findings
        self._duplicates: DuplicateResult | None = None
        self._findings: Findings | None = None
        #: the stored scan's redundant files and bytes (those of the findings)
        self._redundant = redundant
        super().__init__(duplicates=None, findings=None, **fields)  # type: ignore[arg-type]

    @property
    def duplicates(self) -> DuplicateResult:
        if self._duplicates is None:
            self._duplicates = self._make_duplicates()
        return self._duplicates

    @duplicates.setter
    def duplicates(self, value: DuplicateResult | None) -> None:
        self._duplicates = value

    @property
    def findings(self) -> Findings:
        if self._findings is None:
            self._findings = self._make_findings(self.duplicates)
        return self._findings

    @findings.setter
    def findings(self, value: Findings | None) -> None:
        self._findings = value

    @property
    def redundant_files(self) -> int:
        return super().redundant_files if self._findings is not None else self._redundant[0]

    @property
    def redundant_bytes(self) -> int:
        return super().redundant_bytes if self._findings is not None else self._redundant[1]
