"""Exact duplicates: group by size, then by hashes of more and more of the content.

Stages, each run only on the files still tied after the previous one:

1. size (from the walk; no read). Hardlinks to one inode are one file, and empty
   files are reported apart, never as duplicates;
2. small files (up to :data:`~menage.files.hashing.WHOLE_LIMIT`) are hashed whole in
   one read; larger ones by their first block;
3. large files (from :data:`~menage.files.hashing.TAIL_MIN`) by their last block;
4. the whole content.

Reads run on a thread pool (``read`` and xxh3 release the GIL). Digests known from
an earlier scan of the same file version (see :meth:`menage.files.index.Index.cached`)
are used instead of reading, so a rescan of an unchanged tree reads no content.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from menage.errors import os_error_text, system_error_text
from menage.files import native
from menage.files.digests import (
    DigestColumn,
    Digests,
    DuplicateGroup,
    DuplicateResult,
    group_links,
)
from menage.files.hashing import (
    BLOCK,
    TAIL_MIN,
    WHOLE_LIMIT,
    Changed,
    hash_batch,
)
from menage.files.readers import ReaderProcesses
from menage.files.tree import Issue, Tree

#: a batch of reads handed to one thread: enough to amortise the hand-over
_BATCH_FILES = 256
_BATCH_BYTES = 8 * 1024 * 1024
#: from this many small reads, reader processes do them (see menage.files.readers)
PROCESS_MIN = 20_000
_PROCESS_BATCH = 2048

__all__ = [
    "PROCESS_MIN",
    "DigestColumn",
    "Digests",
    "DuplicateGroup",
    "DuplicateResult",
    "HashProgress",
    "collapse_hardlinks",
    "find_duplicates",
]


#: progress callback: (stage name, bytes done, bytes to do)
HashProgress = Callable[[str, int, int], None]


class _Hasher:
    """Runs one stage's reads on the pool, skipping what the digests already know."""

    def __init__(
        self,
        tree: Tree,
        digests: Digests,
        pool: ThreadPoolExecutor,
        progress: HashProgress | None,
    ) -> None:
        self.tree = tree
        self.digests = digests
        self.pool = pool
        self.processes: ReaderProcesses | None = None
        self.process_min = PROCESS_MIN
        self.progress = progress
        self.issues: list[Issue] = []
        self.files_read = 0
        self.bytes_read = 0
        self.computed = 0
        #: files read whole in one go in this scan: their mtime is checked afterwards
        self.read_whole = bytearray(len(tree))
        #: rotational disk: one reader, in inode order (see menage.files.disks)
        self.inode_order = False

    def run(self, kind: str, indices: list[int]) -> DigestColumn:
        """Digests of ``kind`` for ``indices``; files that failed are left out."""
        known = self.digests.of(kind)
        todo = [i for i in indices if i not in known]
        if todo:
            self._read(kind, todo, known)
        return known

    def _read(self, kind: str, todo: list[int], known: DigestColumn) -> None:
        tree = self.tree
        sizes, mtimes, paths = tree.size, tree.mtime_ns, tree.paths
        partial = kind in ("head", "tail")
        if self.inode_order:
            devs, inos = tree.dev, tree.ino
            todo.sort(key=lambda i: (devs[i], inos[i]))
            self.process_min = len(todo) + 1
        elif kind == "full":
            # big files first, so that the pool is not left waiting on one at the end
            todo.sort(key=sizes.__getitem__, reverse=True)
        in_processes = kind in ("whole", "head") and len(todo) >= self.process_min
        batch_files = _PROCESS_BATCH if in_processes else _BATCH_FILES
        batches: list[list[int]] = []
        start = 0
        while start < len(todo):
            end, batch_bytes = start, 0
            while end < len(todo) and end - start < batch_files and batch_bytes < _BATCH_BYTES:
                batch_bytes += sizes[todo[end]]
                end += 1
            batches.append(todo[start:end])
            start = end

        def cost(chunk: list[int]) -> int:
            if partial:
                return sum(min(BLOCK, sizes[i]) for i in chunk)
            return sum(sizes[i] for i in chunk)

        total = sum(cost(chunk) for chunk in batches)
        done = 0

        def work(chunk: list[int]) -> list[bytes | Changed]:
            # the file lists are made by the thread that reads them, batch by batch,
            # rather than all at once up front
            return hash_batch(
                kind,
                [paths[i] for i in chunk],
                [sizes[i] for i in chunk],
                [mtimes[i] for i in chunk] if kind == "full" else [0] * len(chunk),
            )

        if in_processes:
            if self.processes is None:
                self.processes = ReaderProcesses(min(4, os.cpu_count() or 1))
            processes = self.processes

            def work_elsewhere(chunk: list[int]) -> list[bytes | Changed]:
                return processes.hash(kind, [paths[i] for i in chunk], [sizes[i] for i in chunk])

            outcomes = self.pool.map(work_elsewhere, batches)
        else:
            outcomes = self.pool.map(work, batches)
        failed: list[tuple[int, Changed]] = []
        for chunk, results in zip(batches, outcomes, strict=True):
            self.files_read += len(chunk)
            for i, outcome in zip(chunk, results, strict=True):
                if type(outcome) is bytes:
                    known[i] = outcome
                else:
                    failed.append((i, outcome))  # type: ignore[arg-type]
            done += cost(chunk)
            if self.progress is not None:
                self.progress(kind, done, total)
        self.computed += len(todo) - len(failed)
        if kind == "whole":
            for i in todo:
                self.read_whole[i] = 1
        for i, change in failed:
            self.issues.append(Issue(paths[i], change.kind, change.detail))
        self.bytes_read += done


def _split(groups: Iterable[list[int]], digests: DigestColumn) -> list[list[int]]:
    """Split each group by digest, keeping subgroups of two or more."""
    result: list[list[int]] = []
    get = digests.get  # dense or sparse (heads, tails): the column finds each file's place
    for group in groups:
        by_digest: dict[bytes, list[int]] = {}
        for i in group:
            digest = get(i)
            if digest is not None:
                by_digest.setdefault(digest, []).append(i)
        result.extend(sub for sub in by_digest.values() if len(sub) > 1)
    return result


def _stages(hasher: _Hasher, small: list[list[int]], large: list[list[int]]) -> list[list[int]]:
    sizes = hasher.tree.size
    whole = hasher.run("whole", [i for g in small for i in g])
    final = _split(small, whole)
    heads = hasher.run("head", [i for g in large for i in g])
    large = _split(large, heads)
    with_tail = [g for g in large if sizes[g[0]] >= TAIL_MIN]
    large = [g for g in large if sizes[g[0]] < TAIL_MIN]
    large += _split(with_tail, hasher.run("tail", [i for g in with_tail for i in g]))
    final += _split(large, hasher.run("full", [i for g in large for i in g]))
    return final


def _recheck(
    tree: Tree, groups: list[list[int]], issues: list[Issue], read_whole: bytearray
) -> list[list[int]]:
    """Drop members that changed since the walk.

    Only files read whole by the fast path need it: full reads check size and mtime
    before and after reading, and digests from the index belong to the version the
    walk saw.
    """
    checked: list[list[int]] = []
    for group in groups:
        kept = []
        for i in group:
            if not read_whole[i]:
                kept.append(i)
                continue
            path = tree.paths[i]
            try:
                st = os.lstat(path)
            except OSError as exc:
                issues.append(Issue(path, "vanished", os_error_text(exc)))
                continue
            if st.st_size != tree.size[i] or st.st_mtime_ns != tree.mtime_ns[i]:
                issues.append(Issue(path, "changed", "modified during the scan; not compared"))
                continue
            kept.append(i)
        if len(kept) > 1:
            checked.append(kept)
    return checked


def collapse_hardlinks(tree: Tree) -> dict[int, list[int]]:
    """Other paths of each inode seen more than once, by the path standing for it.

    The inode is represented by its smallest path, whatever order the walk took.
    """
    devs, inos, nlinks, paths = tree.dev, tree.ino, tree.nlink, tree.paths
    by_inode: dict[tuple[int, int], list[int]] = {}
    for i in range(len(tree)):
        if nlinks[i] > 1:
            by_inode.setdefault((devs[i], inos[i]), []).append(i)
    links: dict[int, list[int]] = {}
    for same in by_inode.values():
        if len(same) > 1:
            same.sort(key=paths.__getitem__)
            links[same[0]] = same[1:]
    return links


def find_duplicates(
    tree: Tree,
    cached: Digests | None = None,
    threads: int = 4,
    progress: HashProgress | None = None,
    process_min: int | None = None,
    order: str = "parallel",
    engine: str | None = None,
) -> DuplicateResult:
    """Find the groups of files with identical content in ``tree``.

    Args:
        tree: what the walk found.
        cached: digests still valid from an earlier scan (same device, inode, size
            and mtime), by file number; the new ones are added to it.
        threads: reader threads.
        progress: called with (stage, bytes done, bytes to do).
        process_min: from how many small reads processes read them (default
            :data:`PROCESS_MIN`).
        order: ``parallel`` (solid-state disks: every thread reads, big files first)
            or ``inode`` (rotational disks: one reader, in inode order; see
            :mod:`menage.files.disks`).
        engine: ``native``, ``python`` or None (see :func:`menage.files.native.use_native`).

    Returns:
        Duplicate groups sorted by redundant bytes (largest first), empty files,
        the files that could not be compared with the reason, and every digest.
    """
    if native.use_native(engine):
        return _native_find_duplicates(tree, cached, threads, progress, order)
    digests = cached if cached is not None else Digests(tree.size)
    sizes = tree.size
    links = collapse_hardlinks(tree)
    extra = {i for others in links.values() for i in others}
    empty: list[int] = []
    by_size: dict[int, list[int]] = {}
    for i, size in enumerate(sizes):
        if size == 0:
            if i not in extra:
                empty.append(i)
        elif i not in extra:
            by_size.setdefault(size, []).append(i)

    small = [g for s, g in by_size.items() if len(g) > 1 and s <= WHOLE_LIMIT]
    large = [g for s, g in by_size.items() if len(g) > 1 and s > WHOLE_LIMIT]
    del by_size

    if order == "inode":
        threads = 1
    pool = ThreadPoolExecutor(max_workers=max(1, threads))
    hasher = _Hasher(tree, digests, pool, progress)
    hasher.inode_order = order == "inode"
    if process_min is not None:
        hasher.process_min = process_min
    try:
        final = _stages(hasher, small, large)
    except BaseException:
        # Ctrl-C: drop the queued reads instead of waiting for them; what was hashed
        # so far stays in `digests` for the caller to keep
        pool.shutdown(wait=True, cancel_futures=True)
        if hasher.processes is not None:
            hasher.processes.close()
        raise
    pool.shutdown(wait=True)
    if hasher.processes is not None:
        hasher.processes.close()

    final = _recheck(tree, final, hasher.issues, hasher.read_whole)
    path = tree.paths.__getitem__
    groups = [
        DuplicateGroup(
            size=sizes[g[0]],
            digest=digests.full[g[0]],
            files=sorted(g, key=path),
            links=group_links(g, links),
        )
        for g in final
    ]
    groups.sort(key=lambda g: (-g.redundant_bytes, path(g.files[0])))
    return DuplicateResult(
        groups=groups,
        empty=empty,
        issues=hasher.issues,
        links=links,
        digests=digests,
        computed=hasher.computed,
        files_read=hasher.files_read,
        bytes_read=hasher.bytes_read,
    )


def _native_find_duplicates(
    tree: Tree,
    cached: Digests | None,
    threads: int,
    progress: HashProgress | None,
    order: str,
) -> DuplicateResult:
    """:func:`find_duplicates` in the native core.

    Raises:
        KeyboardInterrupt: Ctrl-C; the digests computed so far are in ``cached``.
    """
    core = native.load()
    assert core is not None
    digests = cached if cached is not None else Digests(tree.size)
    # read once: a second search of the tree reads again what the walk read
    walk_digests, tree.walk_digests = tree.walk_digests, b""
    # the core reads the columns and fills the digests' buffers in place (no copy of
    # either): interrupted, it leaves what it computed there
    found: dict[str, Any] = core.find_duplicates(
        tree.paths,
        tree.size,
        tree.dev,
        tree.ino,
        tree.mtime_ns,
        tree.nlink,
        digests.head.buffers(),
        digests.tail.buffers(),
        digests.full.buffers(),
        threads=max(1, threads),
        order=order,
        walk_digests=walk_digests or None,
        progress=progress,
    )
    del walk_digests
    paths, sizes = tree.paths, tree.size
    links: dict[int, list[int]] = dict(found["links"])
    full = digests.full
    groups = [
        DuplicateGroup(
            size=sizes[g[0]],
            digest=full[g[0]],
            files=g,
            links=group_links(g, links),
        )
        for g in found["groups"]
    ]
    return DuplicateResult(
        groups=groups,
        empty=found["empty"],
        issues=[
            Issue(paths[i], kind, system_error_text(detail)) for i, kind, detail in found["issues"]
        ],
        links=links,
        digests=digests,
        computed=found["computed"],
        files_read=found["files_read"],
        bytes_read=found["bytes_read"],
    )
