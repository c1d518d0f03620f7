"""What the duplicate search keeps: the digests of every file, in flat columns, and the
groups it found (:func:`menage.files.duplicates.find_duplicates` fills them, in Python
or in the native core)."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from types import MappingProxyType

from menage.files import native
from menage.files.hashing import TAIL_MIN, WHOLE_LIMIT
from menage.files.tree import Issue


class DigestColumn:
    """One kind of digest for the files of a tree, in one flat buffer.

    Behaves like a ``dict[int, bytes]`` keyed by file number, but costs 17 bytes a
    file instead of about 120 for a dict entry, a digest object and a key. A column
    with ``members`` (sorted file numbers) has a place for those files only: the head
    and tail digests are only ever taken of files above 16 KiB, and on a tree of small
    files their dense columns were 32 bytes a file of zeros (320 MB at ten million
    files). A digest given for a file without a place is never needed, and dropped.
    """

    WIDTH = 16

    def __init__(self, n: int, members: array[int] | None = None) -> None:
        self.n = n
        self.members = members
        places = n if members is None else len(members)
        self._data = bytearray(self.WIDTH * places)
        self._known = bytearray(places)

    def _place(self, i: int) -> int | None:
        members = self.members
        if members is None:
            return i
        at = bisect_left(members, i)
        return at if at < len(members) and members[at] == i else None

    def __contains__(self, i: int) -> bool:
        at = self._place(i)
        return at is not None and bool(self._known[at])

    def __getitem__(self, i: int) -> bytes:
        found = self.get(i)
        if found is None:
            raise KeyError(i)
        return found

    def __setitem__(self, i: int, digest: bytes) -> None:
        at = self._place(i)
        if at is not None:
            self._data[self.WIDTH * at : self.WIDTH * (at + 1)] = digest
            self._known[at] = 1

    def get(self, i: int) -> bytes | None:
        at = self._place(i)
        if at is None or not self._known[at]:
            return None
        return bytes(self._data[self.WIDTH * at : self.WIDTH * (at + 1)])

    def count(self) -> int:
        return len(self._known) - self._known.count(0)

    def _span(self, start: int, stop: int) -> tuple[int, int]:
        """The places of files ``start`` to ``stop`` (sparse columns only)."""
        assert self.members is not None
        return bisect_left(self.members, start), bisect_left(self.members, stop)

    def flags(self, start: int = 0, stop: int | None = None) -> bytearray:
        """Files ``start`` to ``stop``: 1 for each whose digest is known, 0 otherwise."""
        stop = self.n if stop is None else stop
        if self.members is None:
            return self._known[start:stop]
        flags = bytearray(stop - start)
        first, last = self._span(start, stop)
        for at in range(first, last):
            flags[self.members[at] - start] = self._known[at]
        return flags

    def dense(self, start: int, stop: int) -> bytearray:
        """The digests of files ``start`` to ``stop`` end to end, zeros where unknown."""
        width = self.WIDTH
        if self.members is None:
            return self._data[width * start : width * stop]
        data = bytearray(width * (stop - start))
        first, last = self._span(start, stop)
        for at in range(first, last):
            to = width * (self.members[at] - start)
            data[to : to + width] = self._data[width * at : width * (at + 1)]
        return data

    def assign(self, start: int, data: bytes | memoryview, flags: bytes) -> None:
        """Take the digests of files ``start`` to ``start + len(flags)``, given as
        :meth:`dense` and :meth:`flags` give them (the index's chunks)."""
        width, stop = self.WIDTH, start + len(flags)
        if self.members is None:
            self._data[width * start : width * stop] = data
            self._known[start:stop] = flags
            return
        first, last = self._span(start, stop)
        for at in range(first, last):
            off = self.members[at] - start
            self._data[width * at : width * (at + 1)] = data[width * off : width * (off + 1)]
            self._known[at] = flags[off]

    def buffers(self) -> tuple[bytearray, bytearray, array[int] | None]:
        """The digests end to end, the known flags and the members (None: every file),
        for the native core, which fills the first two in place."""
        return self._data, self._known, self.members


def members_above(sizes: Sequence[int], limit: int) -> array[int]:
    """The numbers of the files larger than ``limit`` bytes, in order."""
    core = native.load()
    members = array("I")
    if core is not None and isinstance(sizes, array) and sizes.typecode == "q":
        members.frombytes(core.members_above(sizes, limit))
    else:
        members.extend(compress(range(len(sizes)), map(limit.__lt__, sizes)))
    return members


class Digests:
    """Content hashes by file number: of the first block, the last block, the whole.

    Only files above :data:`~menage.files.hashing.WHOLE_LIMIT` have a place for a head
    digest, and from :data:`~menage.files.hashing.TAIL_MIN` for a tail: the others
    are read whole.
    """

    def __init__(self, sizes: Sequence[int]) -> None:
        n = len(sizes)
        self.head = DigestColumn(n, members_above(sizes, WHOLE_LIMIT))
        self.tail = DigestColumn(n, members_above(sizes, TAIL_MIN - 1))
        self.full = DigestColumn(n)

    def columns(self) -> tuple[DigestColumn, DigestColumn, DigestColumn]:
        """Head, tail and full, the order the index stores them in."""
        return self.head, self.tail, self.full

    def of(self, kind: str) -> DigestColumn:
        if kind in ("whole", "full"):
            return self.full
        return self.head if kind == "head" else self.tail


#: the links of every group without hardlinks (read-only: it is shared)
NO_LINKS: Mapping[int, list[int]] = MappingProxyType({})


def group_links(files: Iterable[int], links: Mapping[int, list[int]]) -> Mapping[int, list[int]]:
    """The other paths of the members of a group that have some (:data:`NO_LINKS` when
    none has)."""
    if not links:
        return NO_LINKS
    found = {i: links[i] for i in files if i in links}
    return found or NO_LINKS


@dataclass(slots=True)
class DuplicateGroup:
    """Files with identical content: one index per inode, hardlinks apart.

    Slotted: a million files make tens of thousands of groups, and their instance
    dictionaries (about 100 bytes each) were 6 MB of a million-file scan's peak. For
    the same reason the groups without hardlinks share one empty, read-only ``links``
    (:data:`NO_LINKS`; an empty dict is 64 bytes: 40 MB at ten million files).
    """

    size: int
    digest: bytes
    files: list[int]
    #: other paths of the same inode, by member index
    links: Mapping[int, list[int]] = field(default_factory=lambda: NO_LINKS)

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
    #: every digest known at the end, cached or computed (for the index)
    digests: Digests
    #: how many digests were computed in this scan (not taken from the cache)
    computed: int = 0
    files_read: int = 0
    bytes_read: int = 0
