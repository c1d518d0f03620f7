"""Per-file findings, totals and long JSON lists over a tree's columns, without a
Python loop per file.

The file analysers (:mod:`menage.files.analysers`) and the scan's document call these
on what the engine yielded (:class:`~menage.files.columns.Columns`: one sequence of
paths, columns of numbers, file ``i`` everywhere): each function takes the tree (and
masks over its files, one byte a file) and returns file numbers or totals. The native
core computes them when it is built; the Python code below is the reference the tests
compare it with (``MENAGE_ENGINE=python`` uses it).
"""

from __future__ import annotations

import heapq
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from menage.files import native
from menage.files.columns import Columns, ContentGroup
from menage.files.lint import (
    _CATEGORY_OF,
    CATEGORIES,
    TEMP_DIR_RULES,
    TEMP_NAME_RULES,
    TempRule,
    category,
    folder_temp_kind,
    name_temp_kind,
)


def mask(n: int, indices: Iterable[int]) -> bytearray:
    """One byte per file, 1 for ``indices``."""
    flags = bytearray(n)
    for i in indices:
        flags[i] = 1
    return flags


@dataclass
class SingleFileFindings:
    #: (file, rule) of temporary and cache files, by path
    temp: list[tuple[int, TempRule]]
    #: files not modified since the cutoff, biggest first (then by path)
    old: Sequence[int]
    #: the ``top`` biggest non-empty files, biggest first (then by path)
    big: list[int]
    #: the old files' bytes
    old_bytes: int


def old_cutoff_ns(now: float, older_than_s: float) -> int:
    """Files modified before this moment (ns since the epoch) are old."""
    return int((now - older_than_s) * 1e9)


def single_file_findings(
    tree: Columns, extra: bytearray, cutoff_ns: int, top: int, temp: bool = True
) -> SingleFileFindings:
    """Temporary, old and big files among the files not in ``extra`` (hardlinks);
    without ``temp``, no temporary file (the rules are not tried: a rescan after a
    crossing asks only for the old files, with ``top`` 0)."""
    dir_rules = [folder_temp_kind(folder) if temp else None for folder in tree.dirs]
    core = native.load() if native.use_native() else None
    if core is not None:
        found = core.single_file_findings(
            tree.paths,
            tree.dir_of,
            tree.size,
            tree.mtime_ns,
            extra,
            [-1 if r is None else TEMP_DIR_RULES.index(r) for r in dir_rules],
            [r.pattern.encode() for r in TEMP_NAME_RULES] if temp else [],
            cutoff_ns,
            top,
        )
        rules = (*TEMP_NAME_RULES, *TEMP_DIR_RULES)
        old = array("I")
        old.frombytes(found["old"])
        return SingleFileFindings(
            temp=[(i, rules[r]) for i, r in found["temp"]],
            old=old,
            big=found["big"],
            old_bytes=found["old_bytes"],
        )
    sizes, mtimes, paths, dir_of = tree.size, tree.mtime_ns, tree.paths, tree.dir_of
    temp_list: list[tuple[int, TempRule]] = []
    old_list: list[int] = []
    for i, path in enumerate(paths):
        if extra[i]:
            continue
        rule = (name_temp_kind(path) if temp else None) or dir_rules[dir_of[i]]
        if rule is not None:
            temp_list.append((i, rule))
        if mtimes[i] < cutoff_ns:
            old_list.append(i)
    # files come sorted by path, and a sort keeps the order of equal keys
    old_list.sort(key=sizes.__getitem__, reverse=True)
    big = heapq.nsmallest(
        top,
        (i for i in range(len(tree)) if sizes[i] > 0 and not extra[i]),
        key=lambda i: (-sizes[i], i),
    )
    old_bytes = sum(map(sizes.__getitem__, old_list))
    return SingleFileFindings(temp=temp_list, old=old_list, big=big, old_bytes=old_bytes)


@dataclass
class Totals:
    #: category -> [files, bytes]
    categories: dict[str, list[int]]
    #: folder (at the breakdown depth) -> [files, bytes, bytes in duplicate groups]
    by_folder: dict[int, list[int]]
    #: owner uid -> [files, bytes, bytes in duplicate groups]
    by_owner: dict[int, list[int]]


def totals(tree: Columns, extra: bytearray, in_group: bytearray, depth_of: list[int]) -> Totals:
    """Files and bytes by category, folder and owner, hardlinks (``extra``) counted once."""
    core = native.load() if native.use_native() else None
    if core is not None:
        index = {c: n for n, c in enumerate(CATEGORIES)}
        found = core.totals(
            tree.paths,
            tree.dir_of,
            tree.size,
            tree.uid,
            extra,
            in_group,
            depth_of,
            [(ext, index[c]) for ext, c in _CATEGORY_OF.items()],
            len(CATEGORIES),
        )
        return Totals(
            categories={
                c: [n, b] for c, (n, b) in zip(CATEGORIES, found["categories"], strict=True)
            },
            by_folder={d: [n, b, dup] for d, n, b, dup in found["by_folder"]},
            by_owner={u: [n, b, dup] for u, n, b, dup in found["by_owner"]},
        )
    by_category: dict[str, list[int]] = {c: [0, 0] for c in CATEGORIES}
    by_folder: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_owner: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    sizes, dir_of, uids = tree.size, tree.dir_of, tree.uid
    for i, path in enumerate(tree.paths):
        if extra[i]:
            continue
        size = sizes[i]
        counts = by_category[category(path[path.rfind(b"/") + 1 :])]
        counts[0] += 1
        counts[1] += size
        dup = size if in_group[i] else 0
        for bucket in (by_folder[depth_of[dir_of[i]]], by_owner[uids[i]]):
            bucket[0] += 1
            bucket[1] += size
            bucket[2] += dup
    return Totals(by_category, dict(by_folder), dict(by_owner))


#: items the core encodes at a time: the report is written as it is made
JSON_CHUNK = 4096
#: duplicate groups per chunk at most: a group is several files, and a chunk is held
#: whole about four times (the core's text, with its separator, encoded, compressed)
#: while it is written; a chunk also ends once it holds JSON_CHUNK files (the tiny files
#: of a big tree make groups of thousands: 512 such groups were 12 MB of text at a
#: million files)
JSON_GROUP_CHUNK = 512


def json_file_items(
    tree: Columns,
    indices: Sequence[int],
    separator: str,
    suffixes: tuple[list[str], Sequence[int]] | None = None,
) -> Iterator[str] | None:
    """The JSON text of a list of files, chunk by chunk (items joined by ``separator``
    within a chunk); None without the native core (the report then encodes item by item).

    ``suffixes``: JSON texts, and for each file the number of the one that ends its
    item (``,"kind":...`` before the closing brace).
    """
    core = native.load() if native.use_native() else None
    if core is None:
        return None
    column = indices if isinstance(indices, array) else array("q", indices)
    ends = None if suffixes is None else (suffixes[0], array("q", suffixes[1]))

    def chunks() -> Iterator[str]:
        for start in range(0, len(column), JSON_CHUNK):
            yield core.json_file_items(
                tree.paths,
                tree.size,
                tree.mtime_ns,
                tree.dev,
                tree.ino,
                column,
                start,
                start + JSON_CHUNK,
                separator,
                ends,
            )

    return chunks()


def json_group_items(
    tree: Columns, groups: Sequence[ContentGroup], separator: str
) -> Iterator[str] | None:
    """The JSON text of the duplicate groups' items (see :func:`json_file_items`)."""
    core = native.load() if native.use_native() else None
    if core is None:
        return None

    def encoded(chunk: Sequence[ContentGroup]) -> str:
        text: str = core.json_group_items(
            tree.paths,
            tree.dev,
            tree.ino,
            tree.mtime_ns,
            tree.uid,
            [
                (
                    g.size,
                    g.digest,
                    g.redundant_bytes,
                    g.files,
                    [list(g.links.get(i, ())) for i in g.files] if g.links else [],
                )
                for g in chunk
            ],
            separator,
        )
        return text

    def chunks() -> Iterator[str]:
        start, files = 0, 0
        for end, group in enumerate(groups, 1):
            files += len(group.files)
            if files >= JSON_CHUNK or end - start >= JSON_GROUP_CHUNK:
                yield encoded(groups[start:end])
                start, files = end, 0
        if start < len(groups):
            yield encoded(groups[start:])

    return chunks()
