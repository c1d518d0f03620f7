"""What the duplicate search keeps: the digests of every file, in flat columns, and the
groups it found (:func:`menage.files.duplicates.find_duplicates` fills them, in Python
or in the native core)."""

from __future__ import annotations

from dataclasses import dataclass, field

from menage.files.tree import Issue


class DigestColumn:
    """One kind of digest for every file of a tree, in one flat buffer.

    Behaves like a ``dict[int, bytes]`` keyed by file number, but costs 17 bytes a
    file instead of about 120 for a dict entry, a digest object and a key.
    """

    WIDTH = 16

    def __init__(self, n: int) -> None:
        self._data = bytearray(self.WIDTH * n)
        self._known = bytearray(n)

    def __contains__(self, i: int) -> bool:
        return bool(self._known[i])

    def __getitem__(self, i: int) -> bytes:
        if not self._known[i]:
            raise KeyError(i)
        return bytes(self._data[self.WIDTH * i : self.WIDTH * (i + 1)])

    def __setitem__(self, i: int, digest: bytes) -> None:
        self._data[self.WIDTH * i : self.WIDTH * (i + 1)] = digest
        self._known[i] = 1

    def get(self, i: int) -> bytes | None:
        if not self._known[i]:
            return None
        return bytes(self._data[self.WIDTH * i : self.WIDTH * (i + 1)])

    def count(self) -> int:
        return len(self._known) - self._known.count(0)

    @classmethod
    def from_buffers(cls, data: bytes, known: bytes) -> DigestColumn:
        """A column over the digests and flags the native core returned."""
        column = cls(0)
        column._data = bytearray(data)
        column._known = bytearray(known)
        return column

    def buffers(self) -> tuple[bytearray, bytearray]:
        """The digests end to end and the known flags, for the native core."""
        return self._data, self._known


class Digests:
    """Content hashes by file number: of the first block, the last block, the whole."""

    def __init__(self, n: int) -> None:
        self.head = DigestColumn(n)
        self.tail = DigestColumn(n)
        self.full = DigestColumn(n)

    def of(self, kind: str) -> DigestColumn:
        if kind in ("whole", "full"):
            return self.full
        return self.head if kind == "head" else self.tail


@dataclass(slots=True)
class DuplicateGroup:
    """Files with identical content: one index per inode, hardlinks apart.

    Slotted: a million files make tens of thousands of groups, and their instance
    dictionaries (about 100 bytes each) were 6 MB of a million-file scan's peak.
    """

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
    #: every digest known at the end, cached or computed (for the index)
    digests: Digests
    #: how many digests were computed in this scan (not taken from the cache)
    computed: int = 0
    files_read: int = 0
    bytes_read: int = 0
