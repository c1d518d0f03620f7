"""``scan``: walk, compare contents, run the file analysers, keep it in the index.

The file source yields the tree (the walk) and the groups of same content (the
hashing); the analysers registered for the ``file`` source make the findings
(:mod:`menage.files.analysers`, and any other module that registers one: import it
below). The index keeps the scan's JSON document, findings included.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from menage.files import analysers as _file_analysers
from menage.files.disks import read_order
from menage.files.document import compressed_document
from menage.files.duplicates import collapse_hardlinks, find_duplicates
from menage.files.index import Index, ScanRecord
from menage.files.result import YEAR_S, ScanOptions, ScanResult
from menage.files.walk import WalkOptions, resolve_roots, walk
from menage.findings import run_analysers

__all__ = ["YEAR_S", "ScanOptions", "ScanProgress", "ScanResult", "scan"]

#: progress callback: (stage, done, total or None)
ScanProgress = Callable[[str, int, int | None], None]


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
            excludes=options.walk_excludes(),
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
    scanned = _file_analysers.FileScan(
        tree=tree,
        groups=duplicates.groups,
        extra_links=extra_links,
        older_than_s=options.older_than_s,
        top=options.top,
        now=now,
    )
    result = ScanResult(
        tree=tree,
        duplicates=duplicates,
        findings=run_analysers("file", scanned, {"older_than_s": options.older_than_s}),
        options=options,
        started=started,
        duration_s=0.0,
        issues=sorted(tree.issues + duplicates.issues, key=lambda issue: issue.path),
        extra_links=extra_links,
    )
    result.duration_s = time.monotonic() - clock
    if index is not None and listing is not None:
        record = ScanRecord(
            id=0,
            started=result.started,
            duration_s=result.duration_s,
            roots=[r.decode("utf-8", "surrogateescape") for r in tree.roots],
            complete=result.complete,
            files=result.total_files,
            bytes=result.total_bytes,
            groups=len(duplicates.groups),
            redundant_files=result.redundant_files,
            redundant_bytes=result.redundant_bytes,
        )
        result.scan_id = index.record_scan(
            record,
            tree,
            duplicates.digests,
            duplicates.links,
            listing,
            lambda scan_id: compressed_document(result, scan_id),
        )
    return result
