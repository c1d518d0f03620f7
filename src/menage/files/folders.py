"""Findings about folders: empty ones, duplicated ones, and sizes by folder."""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import xxhash

from menage.files import native
from menage.files.columns import Columns, ContentGroup


class _FilesIn:
    """The files of each folder, as two arrays (4 bytes a file) rather than a list of
    Python ints per folder (about 40 bytes a file)."""

    def __init__(self, tree: Columns) -> None:
        dirs = len(tree.dirs)
        core = native.load() if native.use_native() else None
        self.order, self.starts = array("I"), array("q")
        if core is not None:
            order, starts = core.files_by_dir(tree.dir_of, dirs)
            self.order.frombytes(order)
            self.starts.frombytes(starts)
            return
        starts = array("q", bytes(8 * (dirs + 1)))
        for d in tree.dir_of:
            starts[d + 1] += 1
        for d in range(dirs):
            starts[d + 1] += starts[d]
        following = array("q", starts)
        order = array("I", bytes(4 * len(tree)))
        for i, d in enumerate(tree.dir_of):
            order[following[d]] = i
            following[d] += 1
        self.order, self.starts = order, starts

    def get(self, d: int, default: object = ()) -> Sequence[int]:
        return self.order[self.starts[d] : self.starts[d + 1]]


def _children(tree: Columns) -> list[list[int]]:
    children: list[list[int]] = [[] for _ in tree.dirs]
    for d, parent in enumerate(tree.dir_parent):
        if parent >= 0:
            children[parent].append(d)
    return children


def _bottom_up(tree: Columns, children: list[list[int]]) -> list[int]:
    """Folder indices, children before their parents."""
    order: list[int] = []
    stack = [d for d, parent in enumerate(tree.dir_parent) if parent < 0]
    while stack:
        d = stack.pop()
        order.append(d)
        stack.extend(children[d])
    order.reverse()
    return order


def empty_folders(tree: Columns) -> list[int]:
    """Folders holding nothing but empty folders, outermost only, roots excluded."""
    children = _children(tree)
    empty = [False] * len(tree.dirs)
    for d in _bottom_up(tree, children):
        empty[d] = (
            tree.dir_entries[d] == 0
            and d not in tree.dir_unlisted
            and all(empty[c] for c in children[d])
        )
    result = []
    for d, is_empty in enumerate(empty):
        parent = tree.dir_parent[d]
        if is_empty and parent >= 0 and not empty[parent]:
            result.append(d)
    result.sort(key=lambda d: tree.dirs[d])
    return result


@dataclass
class DuplicateFolder:
    """Folders with the same files (same relative names, same contents)."""

    dirs: list[int]
    files: int
    size: int
    #: bytes freed by keeping one copy (files that are hardlinks between copies free nothing)
    redundant_bytes: int


def duplicate_folders(tree: Columns, groups: Sequence[ContentGroup]) -> list[DuplicateFolder]:
    """Find folders whose whole content is identical to another folder's.

    Two folders match when they hold the same names with the same content, all the
    way down. Only the outermost matching folders are reported, and folders with no
    file at all are left to :func:`empty_folders`.
    """
    children = _children(tree)
    files_in = _FilesIn(tree)
    core = native.load() if native.use_native() else None
    if core is not None:
        # in the core, without a Python loop per file (_signatures is the reference)
        content = _group_numbers(groups, len(tree), first=0, none=-1)
        unlisted = [d for d in range(len(tree.dirs)) if d in tree.dir_unlisted]
        found, n_files, n_bytes = core.folder_signatures(
            tree.paths, tree.dir_of, tree.size, content, tree.dirs, tree.dir_parent, unlisted
        )
        by_signature: dict[int, list[int]] = defaultdict(list)
        counts: dict[int, tuple[int, int]] = {}
        for d, sig in enumerate(found):
            if sig >= 0:
                by_signature[sig].append(d)
                counts[d] = (n_files[d], n_bytes[d])
    else:
        content_id = _group_numbers(groups, len(tree), first=1, none=0)
        by_signature, counts = _signatures(tree, content_id, children, files_in)

    matching = {sig: ds for sig, ds in by_signature.items() if len(ds) > 1}
    in_match = {d: sig for sig, ds in matching.items() for d in ds}
    result: list[DuplicateFolder] = []
    for ds in matching.values():
        outer = [d for d in ds if tree.dir_parent[d] not in in_match]
        if len(outer) < 2:
            continue
        outer.sort(key=lambda d: tree.dirs[d])
        n_files, n_bytes = counts[outer[0]]
        kept_inodes = _inodes_under(tree, outer[0], children, files_in)
        redundant = 0
        for d in outer[1:]:
            for i in _files_under(d, children, files_in):
                if (tree.dev[i], tree.ino[i]) not in kept_inodes:
                    redundant += tree.size[i]
        result.append(DuplicateFolder(outer, n_files, n_bytes, redundant))
    result.sort(key=lambda f: (-f.redundant_bytes, tree.dirs[f.dirs[0]]))
    return result


def _group_numbers(groups: Sequence[ContentGroup], files: int, first: int, none: int) -> array[int]:
    """Each file's group number (counted from ``first``; ``none`` for a file in no
    group), 4 bytes a file."""
    numbers = array("i", [none]) * files
    for number, group in enumerate(groups, first):
        for i in group.files:
            numbers[i] = number
        for linked in group.links.values():
            for link in linked:
                numbers[link] = number
    return numbers


def _signatures(
    tree: Columns,
    content_id: array[int],
    children: list[list[int]],
    files_in: _FilesIn,
) -> tuple[dict[int, list[int]], dict[int, tuple[int, int]]]:
    """The folders by signature, and each signed folder's files and bytes (the pure
    Python reference of the core's ``folder_signatures``)."""
    signature: dict[int, int] = {}
    counts: dict[int, tuple[int, int]] = {}
    by_signature: dict[int, list[int]] = defaultdict(list)
    names_of = {d: tree.dirs[d].rsplit(b"/", 1)[-1] for d in range(len(tree.dirs))}
    for d in _bottom_up(tree, children):
        if d in tree.dir_unlisted or any(c not in signature for c in children[d]):
            continue  # incomplete listing, or a child with unique content
        parts: list[object] = []
        n_files = 0
        n_bytes = 0
        unique = False
        for i in files_in.get(d, ()):
            size = tree.size[i]
            if size == 0:
                key: object = ("empty",)
            elif content_id[i]:
                key = content_id[i] - 1
            else:
                unique = True
                break
            parts.append((tree.paths[i].rsplit(b"/", 1)[-1], key))
            n_files += 1
            n_bytes += size
        if unique:
            continue
        for c in children[d]:
            parts.append((names_of[c], signature[c]))
            n_files += counts[c][0]
            n_bytes += counts[c][1]
        if n_files == 0:
            continue
        parts.sort(key=repr)
        # 128 bits: two different folders never share a signature in practice, and
        # nothing is ever removed on a signature alone (apply compares bytes again)
        signature[d] = xxhash.xxh3_128_intdigest(repr(parts).encode())
        counts[d] = (n_files, n_bytes)
        by_signature[signature[d]].append(d)
    return by_signature, counts


def _files_under(d: int, children: list[list[int]], files_in: _FilesIn) -> list[int]:
    found: list[int] = []
    stack = [d]
    while stack:
        current = stack.pop()
        found.extend(files_in.get(current, ()))
        stack.extend(children[current])
    return found


def _inodes_under(
    tree: Columns, d: int, children: list[list[int]], files_in: _FilesIn
) -> set[tuple[int, int]]:
    return {(tree.dev[i], tree.ino[i]) for i in _files_under(d, children, files_in)}


def folder_of_depth(tree: Columns, depth: int) -> list[int]:
    """For each folder, its ancestor at ``depth`` below its root (itself if shallower)."""
    result = [0] * len(tree.dirs)
    level = [0] * len(tree.dirs)
    for d in range(len(tree.dirs)):
        parent = tree.dir_parent[d]
        # parents are always registered before their children, so they come first
        level[d] = 0 if parent < 0 else level[parent] + 1
        result[d] = d if level[d] <= depth else result[parent]
    return result
