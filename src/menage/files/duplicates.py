"""Exact duplicates: group by size, then by hashes of more and more of the content.

Stages, each run only on the files still tied after the previous one:

1. size (from the walk; no read). Hardlinks to one inode are one file, and empty
   files are reported apart, never as duplicates;
2. small files (up to :data:`~menage.files.hashing.WHOLE_LIMIT`) are hashed whole in
   one read; larger ones by their first block;
3. large files (from :data:`~menage.files.hashing.TAIL_MIN`) by their last block;
4. the whole content.

Reads run on a thread pool (``read`` and xxh3 release the GIL). A hash cache keyed
by (device, inode, size, mtime) answers for files that did not change, so that a
rescan of an unchanged tree reads no content at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from menage.files.hashing import BLOCK, TAIL_MIN, WHOLE_LIMIT, Changed, hash_batch
from menage.files.walk import Issue, Tree

#: a batch of reads handed to one thread: enough to amortise the hand-over
_BATCH_FILES = 256
_BATCH_BYTES = 8 * 1024 * 1024


@dataclass(slots=True)
class CachedHashes:
    """What is known of one file version's content."""

    size: int
    mtime_ns: int
    head: bytes | None = None
    tail: bytes | None = None
    full: bytes | None = None


class HashCache(Protocol):
    """Where hashes survive between scans (see :class:`menage.files.index.Index`).

    ``known`` maps (device, inode) to what was hashed of that inode, valid while its
    size and modification time stay the same; ``update`` receives new hashes.
    """

    @property
    def known(self) -> dict[tuple[int, int], CachedHashes]:
        """Hashes by (device, inode)."""

    def update(self, entries: dict[tuple[int, int], CachedHashes]) -> None:
        """Remember these hashes."""


class MemoryCache:
    """A hash cache that lives as long as the process."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, int], CachedHashes] = {}

    @property
    def known(self) -> dict[tuple[int, int], CachedHashes]:
        return self._known

    def update(self, entries: dict[tuple[int, int], CachedHashes]) -> None:
        self._known.update(entries)


@dataclass
class DuplicateGroup:
    """Files with identical content: one index per inode, hardlinks apart."""

    size: int
    digest: bytes
    files: list[int]
    #: other paths of the same inode, by member index
    links: dict[int, list[int]] = field(default_factory=dict)

    @property
    def redundant_bytes(self) -> int:
        return self.size * (len(self.files) - 1)


@dataclass
class DuplicateResult:
    groups: list[DuplicateGroup]
    #: empty regular files, one index per inode
    empty: list[int]
    #: files whose content could not be compared (unreadable, changed, vanished)
    issues: list[Issue]
    #: other paths of each hardlinked inode, by the index standing for it
    links: dict[int, list[int]]
    files_read: int = 0
    bytes_read: int = 0


#: progress callback: (stage name, bytes done, bytes to do)
HashProgress = Callable[[str, int, int], None]


class _Hasher:
    """Runs one stage's reads on the pool, answering from the cache where it can."""

    def __init__(
        self,
        tree: Tree,
        cache: HashCache,
        pool: ThreadPoolExecutor,
        progress: HashProgress | None,
    ) -> None:
        self.tree = tree
        self.cache = cache
        self.pool = pool
        self.progress = progress
        self.digests: dict[str, dict[int, bytes]] = {"head": {}, "tail": {}, "full": {}}
        self.issues: list[Issue] = []
        self.files_read = 0
        self.bytes_read = 0

    def _from_cache(self, attribute: str, indices: list[int]) -> tuple[dict[int, bytes], list[int]]:
        known = self.cache.known
        if not known:
            return {}, indices
        tree = self.tree
        devs, inos, sizes, mtimes = tree.dev, tree.ino, tree.size, tree.mtime_ns
        found: dict[int, bytes] = {}
        todo: list[int] = []
        for i in indices:
            entry = known.get((devs[i], inos[i]))
            value = None
            if entry is not None and entry.size == sizes[i] and entry.mtime_ns == mtimes[i]:
                value = getattr(entry, attribute)
            if value is None:
                todo.append(i)
            else:
                found[i] = value
        return found, todo

    def run(self, kind: str, indices: list[int]) -> dict[int, bytes]:
        """Digests of ``kind`` for ``indices``; files that failed are left out."""
        tree = self.tree
        attribute = "full" if kind in ("whole", "full") else kind
        digests, todo = self._from_cache(attribute, indices)
        self.digests[attribute].update(digests)
        if not todo:
            return digests
        sizes, mtimes, path = tree.size, tree.mtime_ns, tree.path
        per_file = (lambda i: min(BLOCK, sizes[i])) if kind in ("head", "tail") else None
        if kind == "full":
            # big files first, so that the pool is not left waiting on one at the end
            todo.sort(key=lambda i: sizes[i], reverse=True)
        batches: list[list[int]] = []
        start = 0
        while start < len(todo):
            end, batch_bytes = start, 0
            while end < len(todo) and end - start < _BATCH_FILES and batch_bytes < _BATCH_BYTES:
                batch_bytes += sizes[todo[end]]
                end += 1
            batches.append(todo[start:end])
            start = end
        total = sum(per_file(i) for i in todo) if per_file else sum(sizes[i] for i in todo)
        done = 0
        outcomes = self.pool.map(
            hash_batch,
            [kind] * len(batches),
            [[path(i) for i in chunk] for chunk in batches],
            [[sizes[i] for i in chunk] for chunk in batches],
            [[mtimes[i] for i in chunk] for chunk in batches],
        )
        new: dict[int, bytes] = {}
        for chunk, results in zip(batches, outcomes, strict=True):
            self.files_read += len(chunk)
            new.update(zip(chunk, results, strict=True))  # type: ignore[arg-type]
            done += sum(per_file(i) for i in chunk) if per_file else sum(sizes[i] for i in chunk)
            if self.progress is not None:
                self.progress(kind, done, total)
        failed = [i for i, outcome in new.items() if isinstance(outcome, Changed)]
        for i in failed:
            outcome: Changed = new.pop(i)  # type: ignore[assignment]
            self.issues.append(Issue(path(i), outcome.kind, outcome.detail))
        self.bytes_read += done
        self.digests[attribute].update(new)
        digests.update(new)
        return digests

    def save(self) -> None:
        """Hand every hash computed or confirmed in this scan to the cache."""
        tree = self.tree
        devs, inos, sizes, mtimes = tree.dev, tree.ino, tree.size, tree.mtime_ns
        entries: dict[tuple[int, int], CachedHashes] = {}
        for attribute, digests in self.digests.items():
            for i, digest in digests.items():
                key = (devs[i], inos[i])
                entry = entries.get(key)
                if entry is None:
                    entry = entries[key] = CachedHashes(sizes[i], mtimes[i])
                setattr(entry, attribute, digest)
        self.cache.update(entries)


def _split(groups: Iterable[list[int]], digests: dict[int, bytes]) -> list[list[int]]:
    """Split each group by digest, keeping subgroups of two or more."""
    result: list[list[int]] = []
    for group in groups:
        by_digest: dict[bytes, list[int]] = {}
        for i in group:
            digest = digests.get(i)
            if digest is not None:
                by_digest.setdefault(digest, []).append(i)
        result.extend(sub for sub in by_digest.values() if len(sub) > 1)
    return result


def _stages(
    hasher: _Hasher, small: list[list[int]], large: list[list[int]]
) -> tuple[list[list[int]], dict[int, bytes]]:
    sizes = hasher.tree.size
    first = hasher.run("whole", [i for g in small for i in g])
    first.update(hasher.run("head", [i for g in large for i in g]))
    final = _split(small, first)
    large = _split(large, first)
    with_tail = [g for g in large if sizes[g[0]] >= TAIL_MIN]
    large = [g for g in large if sizes[g[0]] < TAIL_MIN]
    large += _split(with_tail, hasher.run("tail", [i for g in with_tail for i in g]))
    full = hasher.run("full", [i for g in large for i in g])
    final += _split(large, full)
    first.update(full)
    return final, first


def _recheck(
    tree: Tree, groups: list[list[int]], links: dict[int, list[int]], issues: list[Issue]
) -> list[list[int]]:
    """Drop members that changed since the walk (the fast reads do not check mtime)."""
    checked: list[list[int]] = []
    for group in groups:
        kept = []
        for i in group:
            path = tree.path(i)
            try:
                st = os.lstat(path)
            except OSError as exc:
                issues.append(Issue(path, "vanished", exc.strerror or str(exc)))
                continue
            if st.st_size != tree.size[i] or st.st_mtime_ns != tree.mtime_ns[i]:
                issues.append(Issue(path, "changed", "modified during the scan; not compared"))
                continue
            kept.append(i)
        if len(kept) > 1:
            checked.append(kept)
    return checked


def find_duplicates(
    tree: Tree,
    cache: HashCache | None = None,
    threads: int = 4,
    progress: HashProgress | None = None,
) -> DuplicateResult:
    """Find the groups of files with identical content in ``tree``.

    Args:
        tree: what the walk found.
        cache: hashes kept from earlier scans; updated with the new ones.
        threads: reader threads.
        progress: called with (stage, bytes done, bytes to do).

    Returns:
        Duplicate groups sorted by redundant bytes (largest first), empty files,
        and the files that could not be compared with the reason.
    """
    cache = cache if cache is not None else MemoryCache()
    sizes, devs, inos, nlinks = tree.size, tree.dev, tree.ino, tree.nlink
    standing_for: dict[tuple[int, int], int] = {}
    links: dict[int, list[int]] = {}
    empty: list[int] = []
    by_size: dict[int, list[int]] = {}
    paths = tree.paths
    for i in range(len(tree)):
        if nlinks[i] > 1:
            # the inode is represented by its smallest path, whatever order the walk took
            key = (devs[i], inos[i])
            current = standing_for.setdefault(key, i)
            if current != i:
                if paths[i] < paths[current]:
                    standing_for[key] = i
                    links[i] = [current, *links.pop(current, [])]
                else:
                    links.setdefault(current, []).append(i)
                continue
    for i in range(len(tree)):
        if nlinks[i] > 1 and standing_for[(devs[i], inos[i])] != i:
            continue
        size = sizes[i]
        if size == 0:
            empty.append(i)
        else:
            by_size.setdefault(size, []).append(i)

    small = [g for s, g in by_size.items() if len(g) > 1 and s <= WHOLE_LIMIT]
    large = [g for s, g in by_size.items() if len(g) > 1 and s > WHOLE_LIMIT]
    del by_size

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        hasher = _Hasher(tree, cache, pool, progress)
        try:
            final, first = _stages(hasher, small, large)
        finally:
            # even when interrupted: what was hashed is kept, so the next scan resumes
            hasher.save()

    final = _recheck(tree, final, links, hasher.issues)
    groups = [
        DuplicateGroup(
            size=sizes[g[0]],
            digest=first[g[0]],
            files=sorted(g, key=tree.path),
            links={i: links[i] for i in g if i in links},
        )
        for g in final
    ]
    groups.sort(key=lambda g: (-g.redundant_bytes, tree.path(g.files[0])))
    return DuplicateResult(
        groups=groups,
        empty=empty,
        issues=hasher.issues,
        links=links,
        files_read=hasher.files_read,
        bytes_read=hasher.bytes_read,
    )
