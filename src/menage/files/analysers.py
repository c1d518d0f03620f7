"""The file analysers: duplicates, duplicate and empty folders, temporary, old and big
files, each registered for the ``file`` source.

They read what the file engine yielded (:class:`FileScan`: the tree's columns and
the groups of same content, see :mod:`menage.files.columns`) and hand back their
findings as :class:`TreeFindings`: lists that keep file numbers and make each
finding only when it is asked for, so that a million old files cost a million
integers, not a million objects. Their JSON is written straight from the columns.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from itertools import chain, compress, count
from operator import attrgetter, itemgetter, mul, not_
from typing import Any, Generic, TypeVar

from menage._jsonstream import Raw, string
from menage.files.columnar import (
    json_file_items,
    json_group_items,
    mask,
    old_cutoff_ns,
    single_file_findings,
)
from menage.files.columns import Columns, ContentGroup
from menage.files.folders import DuplicateFolder, duplicate_folders, empty_folders
from menage.files.lint import TempRule
from menage.findings import (
    BigFile,
    Covered,
    DuplicateFolders,
    Duplicates,
    EmptyFile,
    EmptyFolder,
    FileItem,
    Finding,
    FindingList,
    FolderItem,
    OldFile,
    TempFile,
    Totals,
    register_analyser,
)

Row = TypeVar("Row")


@dataclass
class FileScan:
    """What the file source yielded, as the analysers read it."""

    tree: Columns
    #: files with the same content, largest redundant bytes first
    groups: Sequence[ContentGroup]
    #: file numbers that are extra paths of an inode counted once (hardlinks)
    extra_links: Set[int]
    #: files not modified for this many seconds before ``now`` are old
    older_than_s: float
    #: how many of the biggest files to list
    top: int
    #: the time of the scan, seconds since 1970
    now: float
    #: the kinds of findings asked for (None: all); an analyser may leave the others
    #: empty (a rescan after a crossing asks only for the old files)
    kinds: frozenset[str] | None = None

    def wants(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


class TreeFindings(FindingList, Generic[Row]):
    """Findings kept as rows of a tree (file numbers, groups), made when asked for.

    Args:
        key: the kind.
        rows: one per finding.
        make: the finding of a row, given its number (from 1).
        totals: those of the list, counted once by the analyser.
        sizes: (item key, size) of every item (:meth:`FindingList.sizes`).
        raw: the JSON text of a row's finding, made from the columns (faster than
            ``make(...).to_json()``, and the same).
        keys: the keys of :meth:`sizes` without their sizes, and ``size_of`` the size of
            a key: the reclaimable bytes then count each item once through sets of keys,
            without a Python step per file (same total as through :meth:`sizes`).
    """

    def __init__(
        self,
        key: str,
        rows: Sequence[Row],
        make: Callable[[int, Row], Finding],
        totals: Totals,
        sizes: Callable[[], Iterator[tuple[Hashable, int]]],
        raw: Callable[[Row], str] | None = None,
        joined: Callable[[str], Iterator[str] | None] | None = None,
        keys: Callable[[], Iterable[Hashable]] | None = None,
        size_of: Callable[[Any], int] | None = None,
    ) -> None:
        super().__init__(key)
        self.rows = rows
        self._keys = keys
        self._size_of = size_of
        self._make = make
        self._totals = totals
        self._sizes = sizes
        self._raw = raw
        self._joined = joined

    def __len__(self) -> int:
        return len(self.rows)

    def finding(self, position: int) -> Finding:
        return self._make(position + 1, self.rows[position])

    def totals(self) -> Totals:
        return self._totals

    def sizes(self) -> Iterator[tuple[Hashable, int]]:
        return self._sizes()

    def keys(self) -> Iterable[Hashable]:
        return super().keys() if self._keys is None else self._keys()

    def new_bytes(self, covered: Covered) -> int:
        if self._keys is None or self._size_of is None:
            return super().new_bytes(covered)
        return sum(map(self._size_of, covered.new(self._keys())))

    def json_items(self) -> Iterator[Any]:
        if self._raw is None:
            yield from super().json_items()
            return
        raw = self._raw
        for row in self.rows:
            yield Raw(raw(row))

    def json_joined(self, separator: str) -> Iterator[str] | None:
        # the native core's encoder pays off on long lists only
        if self._joined is None or len(self.rows) <= 20:
            return None
        return self._joined(separator)


class _Files:
    """The columns of one tree, ready to make file items and their JSON."""

    def __init__(self, tree: Columns) -> None:
        self.tree = tree
        self.paths, self.sizes, self.mtimes = tree.paths, tree.size, tree.mtime_ns
        self.devs, self.inos, self.uids = tree.dev, tree.ino, tree.uid

    def item(self, i: int, links: Sequence[int] = (), with_uid: bool = False) -> FileItem:
        return FileItem(
            path=self.paths[i],
            size=self.sizes[i],
            mtime_ns=self.mtimes[i],
            device=self.devs[i],
            inode=self.inos[i],
            uid=self.uids[i] if with_uid else None,
            links=tuple(self.paths[j] for j in links),
        )

    def json(self, i: int) -> str:
        """The JSON of file ``i`` without its closing brace (callers may add keys)."""
        return (
            f'{{"path":{string(self.paths[i])},"size":{self.sizes[i]},'
            f'"mtime_ns":{self.mtimes[i]},"device":{self.devs[i]},"inode":{self.inos[i]}'
        )

    def totals(self, rows: Sequence[int], size: int | None = None) -> Totals:
        """The totals of files ``rows`` (``size``: their bytes, when counted already)."""
        if size is None:
            size = sum(map(self.sizes.__getitem__, rows))
        return Totals(len(rows), len(rows), size, size)

    def sizes_of(self, rows: Sequence[int]) -> Callable[[], Iterator[tuple[Hashable, int]]]:
        sizes = self.sizes
        return lambda: ((i, sizes[i]) for i in rows)

    def single(
        self, key: str, cls: type[Finding], rows: Sequence[int], size: int | None = None
    ) -> TreeFindings[int]:
        return TreeFindings(
            key,
            rows,
            lambda n, i: cls(n, (self.item(i),)),
            self.totals(rows, size),
            self.sizes_of(rows),
            lambda i: self.json(i) + "}",
            lambda separator: json_file_items(self.tree, rows, separator),
            keys=lambda: rows,
            size_of=self.sizes.__getitem__,
        )


@register_analyser("duplicates", source="file", kinds=("duplicates", "duplicate_folders"))
def find_duplicates_and_folders(scanned: FileScan) -> list[FindingList]:
    """Groups of files with the same content, and folders made only of such files."""
    files = _Files(scanned.tree)
    groups = scanned.groups
    paths = files.paths

    def make(n: int, g: ContentGroup) -> Finding:
        items = tuple(files.item(i, g.links.get(i, ()), with_uid=True) for i in g.files)
        return Duplicates(n, items, size=g.size, hash=g.digest.hex())

    def member(i: int, links: Sequence[int]) -> str:
        linked = ",".join(string(paths[j]) for j in links)
        return (
            f'{{"path":{string(paths[i])},"device":{files.devs[i]},"inode":{files.inos[i]},'
            f'"mtime_ns":{files.mtimes[i]},"uid":{files.uids[i]},"links":[{linked}]}}'
        )

    def raw(g: ContentGroup) -> str:
        members = ",".join(string(paths[i]) for i in g.files)
        listed = ",".join(member(i, g.links.get(i, ())) for i in g.files)
        return (
            f'{{"size":{g.size},"hash":"{g.digest.hex()}",'
            f'"redundant_bytes":{g.redundant_bytes},"paths":[{members}],"files":[{listed}]}}'
        )

    sizes = files.sizes
    # map over the groups rather than a generator: no Python step per group
    counts = list(map(len, map(attrgetter("files"), groups)))
    totals = Totals(
        count=len(groups),
        items=sum(counts),
        bytes=sum(map(mul, map(attrgetter("size"), groups), counts)),
        reclaimable_bytes=sum(map(attrgetter("redundant_bytes"), groups)),
    )
    duplicates = TreeFindings(
        "duplicates",
        groups,
        make,
        totals,
        lambda: ((i, sizes[i]) for g in groups for i in g.files),
        raw,
        lambda separator: json_group_items(scanned.tree, groups, separator),
        keys=lambda: chain.from_iterable(g.files for g in groups),
        size_of=sizes.__getitem__,
    )
    folders = duplicate_folders(scanned.tree, groups)
    dirs = scanned.tree.dirs

    def make_folders(n: int, f: DuplicateFolder) -> Finding:
        items = tuple(FolderItem(dirs[d]) for d in f.dirs)
        return DuplicateFolders(
            n, items, files=f.files, size=f.size, redundant_bytes=f.redundant_bytes
        )

    folder_totals = Totals(
        count=len(folders),
        items=sum(len(f.dirs) for f in folders),
        bytes=sum(f.size * len(f.dirs) for f in folders),
        reclaimable_bytes=sum(f.redundant_bytes for f in folders),
    )
    duplicate_dirs = TreeFindings(
        "duplicate_folders",
        folders,
        make_folders,
        folder_totals,
        lambda: ((dirs[d], 0) for f in folders for d in f.dirs),
    )
    return [duplicates, duplicate_dirs]


@register_analyser("empty", source="file", kinds=("empty_files", "empty_dirs"))
def find_empty(scanned: FileScan) -> list[FindingList]:
    """Files of zero bytes (one per inode), and folders holding nothing but folders."""
    files = _Files(scanned.tree)
    extra = scanned.extra_links
    # the tree is sorted by path, and so are these
    zero = compress(count(), map(not_, files.sizes))  # no Python step per file
    empty = [i for i in zero if i not in extra] if extra else list(zero)
    dirs = scanned.tree.dirs
    folders = empty_folders(scanned.tree)
    empty_dirs = TreeFindings(
        "empty_dirs",
        folders,
        lambda n, d: EmptyFolder(n, (FolderItem(dirs[d]),)),
        Totals(len(folders), len(folders), 0, 0),
        lambda: ((dirs[d], 0) for d in folders),
        lambda d: string(dirs[d]),
    )
    return [files.single("empty_files", EmptyFile, empty), empty_dirs]


@register_analyser("names-and-dates", source="file", kinds=("temp_files", "old_files", "big_files"))
def find_temp_old_big(scanned: FileScan) -> list[FindingList]:
    """Temporary and cache files (by name and folder), old files, the biggest files."""
    tree, files = scanned.tree, _Files(scanned.tree)
    cutoff_ns = old_cutoff_ns(scanned.now, scanned.older_than_s)
    # in the native core when it is built (one pass over the columns), else in Python
    found = single_file_findings(
        tree,
        mask(len(tree), scanned.extra_links),
        cutoff_ns,
        scanned.top if scanned.wants("big_files") else 0,
        temp=scanned.wants("temp_files"),
    )
    temp, old, big = found.temp, found.old, found.big

    def make_temp(n: int, row: tuple[int, TempRule]) -> Finding:
        i, rule = row
        return TempFile(n, (files.item(i),), temp_kind=rule.kind, rule=rule.pattern)

    def raw_temp(row: tuple[int, TempRule]) -> str:
        i, rule = row
        return (
            files.json(i) + f',"kind":{string(rule.kind.encode())},'
            f'"rule":{string(rule.pattern.encode())}}}'
        )

    temp_files = list(map(itemgetter(0), temp))

    def joined_temp(separator: str) -> Iterator[str] | None:
        # a few rules, many files: each rule's text once, a number per file (by the
        # rule's identity, mapped without a Python step per file)
        rules = list(map(itemgetter(1), temp))
        ids = list(map(id, rules))
        rule_of = dict(zip(ids, rules, strict=True))
        number = {key: n for n, key in enumerate(rule_of)}
        texts = [
            f',"kind":{string(rule.kind.encode())},"rule":{string(rule.pattern.encode())}'
            for rule in rule_of.values()
        ]
        which = list(map(number.__getitem__, ids))
        return json_file_items(scanned.tree, temp_files, separator, (texts, which))

    temp_list = TreeFindings(
        "temp_files",
        temp,
        make_temp,
        files.totals(temp_files),
        files.sizes_of(temp_files),
        raw_temp,
        joined_temp,
        keys=lambda: temp_files,
        size_of=files.sizes.__getitem__,
    )
    return [
        temp_list,
        files.single("old_files", OldFile, old, found.old_bytes),
        files.single("big_files", BigFile, big),
    ]
