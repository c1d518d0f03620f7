"""What a walk found: the :class:`Tree`, kept column by column in compact arrays.

A million files cost about a hundred bytes each, not the kilobyte a
``os.stat_result`` and a path string would. Each walker thread fills a :class:`Part`;
:func:`merge` makes one tree of them, sorted by path, so that every later step is
deterministic whatever order the threads took.
"""

from __future__ import annotations

import stat
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from menage.errors import system_error_text
from menage.i18n import N_

#: Kinds of entries that are listed but never opened.
SPECIAL_KINDS = {
    stat.S_IFIFO: "fifo",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "char-device",
    stat.S_IFBLK: "block-device",
}


@dataclass(frozen=True)
class Issue:
    """An entry that could not be scanned, or not completely."""

    path: bytes
    kind: str
    detail: str


# Issue kinds, with the sentence shown for each; ``detail`` carries the OS message.
ISSUE_KINDS = {
    "unreadable": N_("cannot be read"),
    "vanished": N_("disappeared during the scan"),
    "changed": N_("changed during the scan; not compared"),
}


#: the largest link count kept: a file's count is only ever compared with 1
MAX_LINKS = 2**32 - 1


@dataclass
class Tree:
    """Everything the walk found, as parallel columns.

    File ``i`` is ``paths[i]``, in folder ``dirs[dir_of[i]]``; its metadata is
    ``size[i]``, ``dev[i]``, ``ino[i]``, ``mtime_ns[i]``, ``nlink[i]`` and ``uid[i]``.
    Files and folders are sorted by path (so a folder comes before its content).
    Hardlinks appear once per path; callers collapse them by (dev, ino). ``dir_of``,
    ``nlink`` (up to :data:`MAX_LINKS`) and ``uid`` take 4 bytes a file, the others 8.
    """

    roots: list[bytes]
    #: a list, or the native core's PathBuffer (all paths in one buffer)
    dirs: Sequence[bytes] = field(default_factory=list)
    dir_parent: array[int] = field(default_factory=lambda: array("q"))
    #: entries in each folder that are not folders (files, links, specials, excluded)
    dir_entries: array[int] = field(default_factory=lambda: array("q"))
    #: folders whose listing failed: they are neither empty nor complete
    dir_unlisted: set[int] = field(default_factory=set)
    paths: Sequence[bytes] = field(default_factory=list)
    dir_of: array[int] = field(default_factory=lambda: array("I"))
    size: array[int] = field(default_factory=lambda: array("q"))
    dev: array[int] = field(default_factory=lambda: array("Q"))
    ino: array[int] = field(default_factory=lambda: array("Q"))
    mtime_ns: array[int] = field(default_factory=lambda: array("q"))
    nlink: array[int] = field(default_factory=lambda: array("I"))
    uid: array[int] = field(default_factory=lambda: array("I"))
    symlinks: list[bytes] = field(default_factory=list)
    broken_links: list[bytes] = field(default_factory=list)
    specials: list[tuple[bytes, str]] = field(default_factory=list)
    other_devices: list[bytes] = field(default_factory=list)
    excluded: int = 0
    issues: list[Issue] = field(default_factory=list)
    #: Ménage's own folders and files met and left out (see :mod:`menage.home`)
    own: list[bytes] = field(default_factory=list)
    #: the digests of the small files the native walk read as it listed them
    #: (``WalkOptions.read_small``): 20 bytes a file, its number then its digest, taken
    #: (and dropped) by the content stage
    walk_digests: bytes = b""

    def __len__(self) -> int:
        return len(self.paths)

    def path(self, i: int) -> bytes:
        """The full path of file ``i``."""
        return self.paths[i]


class Part:
    """What one worker thread collects; merged into a :class:`Tree` at the end."""

    def __init__(self) -> None:
        self.dir_records: list[tuple[int, bytes, int]] = []
        self.dir_entries: dict[int, int] = {}
        self.unlisted: list[int] = []
        self.paths: list[bytes] = []
        self.dir_of = array("I")
        self.size = array("q")
        self.dev = array("Q")
        self.ino = array("Q")
        self.mtime_ns = array("q")
        self.nlink = array("I")
        self.uid = array("I")
        self.symlinks: list[bytes] = []
        self.broken_links: list[bytes] = []
        self.specials: list[tuple[bytes, str]] = []
        self.other_devices: list[bytes] = []
        self.excluded = 0
        self.issues: list[Issue] = []
        self.own: list[bytes] = []


def merge(roots: list[bytes], parts: list[Part]) -> Tree:
    """One tree from the threads' parts, folders and files sorted by path.

    Sorting makes every later step deterministic whatever order the threads took,
    and puts a folder before everything inside it. Parts are freed as they are
    merged, so that the peak memory is not twice the tree.
    """
    records = sorted(
        (path, old, parent) for part in parts for old, path, parent in part.dir_records
    )
    remap = {old: new for new, (_path, old, _parent) in enumerate(records)}
    tree = Tree(roots=roots)
    dirs = [path for path, _old, _parent in records]
    tree.dirs = dirs
    tree.dir_parent = array("q", (remap[p] if p >= 0 else -1 for _path, _old, p in records))
    del records
    entries = array("q", bytes(8 * len(dirs)))
    paths: list[bytes] = []
    columns = ("size", "dev", "ino", "mtime_ns", "nlink", "uid")
    for part in parts:
        for old, count in part.dir_entries.items():
            entries[remap[old]] = count
        tree.dir_unlisted.update(remap[d] for d in part.unlisted)
        paths.extend(part.paths)
        part.paths = []
        tree.dir_of.extend(remap[d] for d in part.dir_of)
        part.dir_of = array("I")
        for name in columns:
            column = getattr(part, name)
            getattr(tree, name).extend(column)
            setattr(part, name, array(column.typecode))
        tree.symlinks.extend(part.symlinks)
        tree.broken_links.extend(part.broken_links)
        tree.specials.extend(part.specials)
        tree.other_devices.extend(part.other_devices)
        tree.excluded += part.excluded
        tree.issues.extend(part.issues)
        tree.own.extend(part.own)
    tree.dir_entries = entries
    order = sorted(range(len(paths)), key=paths.__getitem__)
    tree.paths = list(map(paths.__getitem__, order))
    for name in ("dir_of", *columns):
        column = getattr(tree, name)
        setattr(tree, name, array(column.typecode, map(column.__getitem__, order)))
    for listing in (tree.symlinks, tree.broken_links, tree.specials, tree.other_devices, tree.own):
        listing.sort()
    tree.issues.sort(key=lambda issue: issue.path)
    return tree


def _column(typecode: str, data: bytes) -> array[int]:
    column = array(typecode)
    column.frombytes(data)
    return column


def from_columns(roots: list[bytes], found: dict[str, Any]) -> Tree:
    """The tree of the native core's walk (:func:`menage.files.native.walk`): every path
    in one buffer (a sequence of ``bytes``), the numbers in ``array`` columns."""
    tree = Tree(roots=roots)
    tree.dirs = found["dirs"]
    tree.paths = found["paths"]
    for name, typecode in (
        ("dir_parent", "q"),
        ("dir_entries", "q"),
        ("dir_of", "I"),
        ("size", "q"),
        ("dev", "Q"),
        ("ino", "Q"),
        ("mtime_ns", "q"),
        ("nlink", "I"),
        ("uid", "I"),
    ):
        # each column freed once copied: the walk's columns never exist twice
        setattr(tree, name, _column(typecode, found.pop(name)))
    tree.dir_unlisted = set(found["dir_unlisted"])
    for name in ("symlinks", "broken_links", "specials", "other_devices", "excluded", "own"):
        setattr(tree, name, found[name])
    tree.issues = [
        Issue(path, kind, system_error_text(detail)) for path, kind, detail in found["issues"]
    ]
    tree.walk_digests = found.pop("walk_digests", b"")
    return tree
