"""``scan``: walk, find duplicates and the other findings, and keep it in the index."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from menage.files.columns import mask, single_file_findings
from menage.files.disks import read_order
from menage.files.duplicates import DuplicateResult, collapse_hardlinks, find_duplicates
from menage.files.folders import DuplicateFolder, duplicate_folders, empty_folders
from menage.files.index import Index
from menage.files.lint import TempRule
from menage.files.walk import Issue, Tree, WalkOptions, resolve_roots, walk

YEAR_S = 365.25 * 24 * 3600


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

    def reader_threads(self) -> int:
        return self.threads or min(4, 1 + (os.cpu_count() or 1))

    def walker_threads(self) -> int:
        return self.threads or 2


#: progress callback: (stage, done, total or None)
ScanProgress = Callable[[str, int, int | None], None]


@dataclass
class ScanResult:
    """Everything one scan found; file numbers index into ``tree``."""

    tree: Tree
    duplicates: DuplicateResult
    options: ScanOptions
    started: datetime
    duration_s: float
    issues: list[Issue]
    temp_files: list[tuple[int, TempRule]]
    #: an ``array`` from the native core: a million old files are not a million ints
    old_files: Sequence[int]
    big_files: list[int]
    empty_files: list[int]
    empty_dirs: list[int]
    duplicate_folders: list[DuplicateFolder]
    #: paths that are extra hardlinks of an inode counted once
    extra_links: set[int] = field(default_factory=set)
    scan_id: int | None = None
    #: the JSON summary, made once (see menage.report.json.scan_summary)
    summary_cache: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def complete(self) -> bool:
        """True when every entry could be read."""
        return not self.issues

    @property
    def total_files(self) -> int:
        return len(self.tree) - len(self.extra_links)

    @property
    def total_bytes(self) -> int:
        sizes = self.tree.size
        return sum(sizes) - sum(sizes[i] for i in self.extra_links)

    @property
    def redundant_files(self) -> int:
        return sum(len(g.files) - 1 for g in self.duplicates.groups)

    @property
    def redundant_bytes(self) -> int:
        return sum(g.redundant_bytes for g in self.duplicates.groups)

    @property
    def duplicate_rate(self) -> float:
        """Redundant bytes over scanned bytes: the share of storage a cleanup frees."""
        total = self.total_bytes
        return self.redundant_bytes / total if total else 0.0


def scan(
    paths: Sequence[str | bytes | os.PathLike[str]],
    options: ScanOptions | None = None,
    index: Index | None = None,
    progress: ScanProgress | None = None,
    now: float | None = None,
) -> ScanResult:
    """Scan folders for duplicate, big, old, temporary and empty files.

    Args:
        paths: folders to scan.
        options: what to look at (see :class:`ScanOptions`).
        index: where the hash cache and the scan history live; without one, nothing
            is kept and every file is read.
        progress: called with (stage, done, total) as the scan goes.
        now: the current time (seconds since the epoch), for "old" files.

    Returns:
        The :class:`ScanResult`; unreadable or changing entries are in ``issues``.

    Raises:
        PathNotFound, NotADirectory: a path is not a folder.
        IndexError_: the index cannot be used (damaged, foreign, too new).
        StorageFull: the index could not be written for lack of space.
    """
    options = options or ScanOptions()
    started = datetime.now(UTC)
    clock = time.monotonic()
    now = time.time() if now is None else now
    roots = resolve_roots(paths)

    def walk_progress(dirs: int, files: int) -> None:
        if progress is not None:
            progress("walk", files, None)

    tree = walk(
        roots,
        WalkOptions(
            follow_links=options.follow_links,
            cross_devices=options.cross_devices,
            excludes=options.excludes,
            min_size=options.min_size,
            threads=options.walker_threads(),
        ),
        walk_progress,
    )

    def hash_progress(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(f"hash:{stage}", done, total)

    cached, listing = index.cached(tree) if index is not None else (None, None)
    try:
        duplicates = find_duplicates(
            tree,
            cached=cached,
            threads=options.reader_threads(),
            progress=hash_progress,
            order=read_order(roots, options.disk),
        )
    except KeyboardInterrupt:
        if index is not None and cached is not None and listing is not None:
            # keep the digests computed so far: the next scan resumes from them
            index.save_progress(tree, cached, listing, collapse_hardlinks(tree))
        raise
    extra_links = {i for links in duplicates.links.values() for i in links}
    result = ScanResult(
        tree=tree,
        duplicates=duplicates,
        options=options,
        started=started,
        duration_s=0.0,
        issues=sorted(tree.issues + duplicates.issues, key=lambda issue: issue.path),
        temp_files=[],
        old_files=[],
        big_files=[],
        empty_files=sorted(duplicates.empty, key=tree.path),
        empty_dirs=empty_folders(tree),
        duplicate_folders=duplicate_folders(tree, duplicates.groups),
        extra_links=extra_links,
    )
    _single_file_findings(result, now)
    result.duration_s = time.monotonic() - clock
    if index is not None and listing is not None:
        from menage.report.json import compressed_report

        result.scan_id = index.record_scan(
            result, listing, lambda scan_id: compressed_report(result, scan_id)
        )
    return result


def _single_file_findings(result: ScanResult, now: float) -> None:
    tree, options = result.tree, result.options
    cutoff_ns = int((now - options.older_than_s) * 1e9)
    found = single_file_findings(tree, mask(len(tree), result.extra_links), cutoff_ns, options.top)
    result.temp_files = found.temp
    result.old_files = found.old
    result.big_files = found.big
