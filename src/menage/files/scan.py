"""``scan``: walk, compare contents, run the file analysers, keep it in the index.

The file source yields the tree (the walk) and the groups of same content (the
hashing); the analysers registered for the ``file`` source make the findings
(:mod:`menage.files.analysers`, and any other module that registers one: import it
below). The index keeps the scan's JSON document, findings included.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, overload

from menage.files import analysers as _file_analysers
from menage.files import native
from menage.files.columns import ContentGroup
from menage.files.digests import DuplicateResult
from menage.files.disks import read_order
from menage.files.document import StoredDocument, compressed_document, document_facts
from menage.files.duplicates import collapse_hardlinks, find_duplicates
from menage.files.index import Index, ScanRecord
from menage.files.report_store import CLOCK_LISTS, ReusedScan, StoredLists, reuse_key
from menage.files.result import YEAR_S, DeferredScanResult, ScanOptions, ScanResult
from menage.files.tree import Issue
from menage.files.walk import WalkOptions, resolve_roots, walk
from menage.findings import Findings, run_analysers
from menage.findings.analysers import analysers
from menage.findings.jsonform import section

if TYPE_CHECKING:
    from menage.photos.cache import PhotoCache

__all__ = ["YEAR_S", "ScanOptions", "ScanProgress", "ScanResult", "scan"]

#: progress callback: (stage, done, total or None)
ScanProgress = Callable[[str, int, int | None], None]


def scan(
    paths: Sequence[str | bytes | os.PathLike[str]],
    options: ScanOptions | None = None,
    index: Index | None = None,
    progress: ScanProgress | None = None,
    now: float | None = None,
    photo_cache: PhotoCache | None = None,
    keep_json: bool = False,
) -> ScanResult:
    """Scan folders for duplicate, big, old, temporary and empty files.

    Args:
        paths: folders to scan.
        options: what to look at (see :class:`ScanOptions`).
        index: where the hash cache and the scan history live; without one, nothing
            is kept and every file is read.
        progress: called with (stage, done, total) as the scan goes.
        now: the current time (seconds since the epoch), for "old" files.
        photo_cache: with ``options.photos``, where the photos' measures are kept
            (None: an in-memory cache, every photo decoded).
        keep_json: encode the full JSON document while the index stores its copy,
            and keep it for :func:`menage.report.json.write_scan_json` (the long
            lists are then encoded once, not twice).

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
    order = read_order(roots, options.disk)
    # a tree the index knows nothing of: the content stage will read every small file
    # that shares its size, so the walk reads them as it lists them (on a disk read in
    # parallel: a rotational one is read in inode order, after the walk)
    read_small = order == "parallel" and (index is None or not index.lists_under(roots))

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
            # reading too, the walk takes as many threads as the readers
            threads=max(options.walker_threads(), options.reader_threads())
            if read_small
            else options.walker_threads(),
            read_small=read_small,
        ),
        walk_progress,
    )

    def hash_progress(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(f"hash:{stage}", done, total)

    cached, listing = index.cached(tree) if index is not None else (None, None)
    reused, key = None, None
    walk_issues = sorted(tree.issues, key=_issue_path)
    if index is not None and listing is not None and listing.snapshot is not None:
        # every file as the index listed it: the last scan's findings may still be these
        key = reuse_key(tree, walk_issues, options, now)
        reused = index.reused_scan(tree.roots, key) if key is not None else None

    def content() -> DuplicateResult:
        try:
            return find_duplicates(
                tree,
                cached=cached,
                threads=options.reader_threads(),
                progress=hash_progress,
                order=order,
            )
        except KeyboardInterrupt:
            if index is not None and cached is not None and listing is not None:
                # keep the digests computed so far: the next scan resumes from them
                index.save_progress(tree, cached, listing, collapse_hardlinks(tree))
            raise

    def analyse(duplicates: DuplicateResult, extra_links: set[int]) -> Findings:
        scanned = _file_analysers.FileScan(
            tree=tree,
            groups=duplicates.groups,
            extra_links=extra_links,
            older_than_s=options.older_than_s,
            top=options.top,
            now=now,
        )
        findings = run_analysers("file", scanned, {"older_than_s": options.older_than_s})
        # what the analysers freed, before the document and the index's writes
        native.release_memory()
        return findings

    result: ScanResult
    #: the sections this scan makes in the last scan's document (after a crossing)
    sections: dict[str, dict[str, Any]] | None = None
    if reused is not None and cached is not None:
        # the content stage would read nothing and find what the last scan found
        links = collapse_hardlinks(tree)
        digests = cached
        deferred = DeferredScanResult(
            content,
            lambda duplicates: analyse(duplicates, links_of(duplicates.links)),
            (reused.redundant_files, reused.redundant_bytes),
            tree=tree,
            options=options,
            started=started,
            duration_s=0.0,
            issues=walk_issues,
            extra_links=links_of(links),
        )
        if not reused.timely:
            # a file crossed the age limit: only the old files are this scan's to make
            sections = _clock_sections(deferred, now)
        result = deferred
    else:
        reused = None
        duplicates = content()
        links, digests = duplicates.links, duplicates.digests
        extra_links = links_of(links)
        findings = analyse(duplicates, extra_links)
        photos: dict[str, Any] | None = None
        if options.photos:
            findings, photos = _photos(tree, duplicates.groups, extra_links, findings,
                                       photo_cache, progress)  # fmt: skip
        result = ScanResult(
            tree=tree,
            duplicates=duplicates,
            findings=findings,
            photos=photos,
            options=options,
            started=started,
            duration_s=0.0,
            issues=sorted(tree.issues + duplicates.issues, key=_issue_path),
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
            groups=reused.groups if reused is not None else len(result.duplicates.groups),
            redundant_files=result.redundant_files,
            redundant_bytes=result.redundant_bytes,
        )
        made: list[StoredDocument] = []

        def document(scan_id: int, previous: StoredLists | None) -> StoredDocument:
            made.append(compressed_document(
                result, scan_id, None, previous,
                _reused_summary(reused, result, scan_id, previous, sections),
                keep_text=keep_json,
            ))  # fmt: skip
            return made[-1]

        try:
            result.scan_id = index.record_scan(
                record, tree, digests, links, listing, document,
                key if reused is not None else reuse_key(tree, result.issues, options, now),
            )  # fmt: skip
        except BaseException:
            text = made[-1].text if made else None
            if text is not None:
                text.close()
            raise
        if made:
            result.json_text = made[-1].text
    return result


def _issue_path(issue: Issue) -> bytes:
    return issue.path


def links_of(links: Mapping[int, list[int]]) -> set[int]:
    """The paths that are extra hardlinks of an inode counted once (``links``: the other
    paths of each hardlinked inode)."""
    return {i for others in links.values() for i in others}


def _reused_summary(
    reused: ReusedScan | None,
    result: ScanResult,
    scan_id: int,
    previous: StoredLists | None,
    sections: dict[str, dict[str, Any]] | None,
) -> dict[str, Any] | None:
    """The last scan's document for this one (with this scan's ``sections`` after a
    crossing), when the index gave its lists as :func:`scan` found them."""
    if (
        reused is None
        or previous is None
        or previous.id != reused.lists_id
        or previous.timely != reused.timely
        or not reused.has_sections(sections or {})
    ):
        return None
    return reused.summary(scan_id, result.started.isoformat(), result.duration_s, sections)


class _Groups(Sequence[ContentGroup]):
    """A deferred scan's duplicate groups, made when an analyser first reads them."""

    def __init__(self, result: DeferredScanResult) -> None:
        self._result = result

    def __len__(self) -> int:
        return len(self._result.duplicates.groups)

    @overload
    def __getitem__(self, index: int) -> ContentGroup: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ContentGroup]: ...
    def __getitem__(self, index: int | slice) -> ContentGroup | Sequence[ContentGroup]:
        return self._result.duplicates.groups[index]


def _clock_sections(result: DeferredScanResult, now: float) -> dict[str, dict[str, Any]]:
    """The JSON sections of the kinds whose lists depend on the clock
    (:data:`~menage.files.report_store.CLOCK_LISTS`), made by the analysers that find
    them, asked for those kinds only: the names-and-dates analyser then leaves the
    temporary and big files out, and reads no group, so the content stage is not run (it
    would be, from the cached digests, for an analyser that does)."""
    options = result.options
    scanned = _file_analysers.FileScan(
        tree=result.tree,
        groups=_Groups(result),
        extra_links=result.extra_links,
        older_than_s=options.older_than_s,
        top=options.top,
        now=now,
        kinds=CLOCK_LISTS,
    )
    facts = document_facts(result)
    found: dict[str, dict[str, Any]] = {}
    for analyser in analysers("file"):
        if CLOCK_LISTS.isdisjoint(analyser.kinds):
            continue
        for made in analyser.run(scanned):
            if made.kind.key in CLOCK_LISTS:
                found[made.kind.key] = section(made, facts)
    return found


def _photos(
    tree: Any,
    groups: Any,
    extra_links: set[int],
    findings: Findings,
    cache: PhotoCache | None,
    progress: ScanProgress | None,
) -> tuple[Findings, dict[str, Any]]:
    """Run the photo analyser over the same listing; its findings join the files'."""
    # Pillow and numpy are imported only when photos are asked for
    from menage.photos.analyse import PhotoOptions
    from menage.photos.analyser import PhotoScan, run_photo_analysers
    from menage.photos.cache import PhotoCache

    def photo_progress(stage: str, done: int, total: int | None) -> None:
        if progress is not None:
            progress(f"photos:{stage}", done, total)

    own = cache is None
    cache = cache or PhotoCache(None)
    try:
        scanned = PhotoScan(
            roots=list(tree.roots),
            tree=tree,
            groups=groups,
            extra_links=extra_links,
            options=PhotoOptions(),
            cache=cache,
            progress=photo_progress,
        )
        photo_findings, summary = run_photo_analysers(scanned)
    finally:
        if own:
            cache.__exit__(None, None, None)
    return Findings([*findings, *photo_findings], findings.settings), summary
