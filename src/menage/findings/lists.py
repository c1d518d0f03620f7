"""The findings of a scan: one list per kind, made on demand.

A scan of a million files can have a million old files: their findings are not held
as a million objects. An analyser hands over a :class:`FindingList` that makes each
finding when it is asked for (from the columns of the file tree, say) and knows its
totals; :class:`StoredFindings` holds findings read back from their JSON form.
:class:`Findings` gathers one list per kind, in the kinds' order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

from menage.errors import MenageError
from menage.findings.model import Finding, FindingKind, Totals, all_kinds, kind_of
from menage.i18n import N_


class UnknownFinding(MenageError):
    template = N_("{id!r} is not a finding of this scan")


class Covered:
    """Keys of the items counted so far: file numbers (the tree's lists' keys) one byte
    each in a bytearray, other keys in a set. A set of the duplicates and temporary
    files of ten million files took some 300 MB (its table, at the peak of the scan);
    the bytearray takes 10 MB."""

    def __init__(self) -> None:
        self._numbers = bytearray()
        self._others: set[Hashable] = set()

    def add(self, key: Hashable) -> bool:
        """Count ``key``; False when it was counted before."""
        if type(key) is int and key >= 0:
            numbers = self._numbers
            if key >= len(numbers):  # doubled at least: few copies
                numbers.extend(bytes(max(key + 1 - len(numbers), len(numbers))))
            if numbers[key]:
                return False
            numbers[key] = 1
            return True
        if key in self._others:
            return False
        self._others.add(key)
        return True

    def __contains__(self, key: object) -> bool:
        if type(key) is int and key >= 0:
            return key < len(self._numbers) and bool(self._numbers[key])
        return key in self._others

    def update(self, keys: Iterable[Hashable]) -> None:
        add = self.add
        for key in keys:
            add(key)

    def new(self, keys: Iterable[Hashable]) -> list[Hashable]:
        """The keys not counted before, each once; they are now."""
        add = self.add
        return [key for key in keys if add(key)]


class FindingList(Sequence[Finding]):
    """The findings of one kind, in order; subclasses make them on demand."""

    def __init__(self, key: str) -> None:
        self.kind: FindingKind = kind_of(key)

    def __len__(self) -> int:
        raise NotImplementedError

    def finding(self, position: int) -> Finding:
        """The finding at ``position`` (from 0)."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            return [self.finding(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.finding(index)

    def __iter__(self) -> Iterator[Finding]:
        for i in range(len(self)):
            yield self.finding(i)

    def totals(self) -> Totals:
        """Count, items, bytes and reclaimable bytes of the whole list."""
        count = items = size = reclaimable = 0
        for finding in self:
            count += 1
            items += len(finding.items)
            size += finding.bytes
            reclaimable += finding.reclaimable_bytes
        return Totals(count, items, size, reclaimable)

    def sizes(self) -> Iterator[tuple[Hashable, int]]:
        """(item key, size) of every item, to count each item once across kinds."""
        for finding in self:
            for item in finding.items:
                yield item.key, item.size

    def keys(self) -> Iterable[Hashable]:
        """The key of every item (those of :meth:`sizes`)."""
        return (key for key, _size in self.sizes())

    def new_bytes(self, covered: Covered) -> int:
        """Bytes of the items whose key is not in ``covered``, each key once; adds
        their keys to ``covered``."""
        total = 0
        for key, size in self.sizes():
            if covered.add(key):
                total += size
        return total

    def json_items(self) -> Iterator[Any]:
        """The JSON form of each finding (a subclass may give ready-made JSON text)."""
        for finding in self:
            yield finding.to_json()

    def json_joined(self, separator: str) -> Iterator[str] | None:
        """The JSON text of all the findings, chunk by chunk, items joined by
        ``separator`` within a chunk (a native encoder's); None: use :meth:`json_items`."""
        return None


class StoredFindings(FindingList):
    """Findings held as objects: read back from the JSON form, or few."""

    def __init__(self, key: str, findings: Sequence[Finding]) -> None:
        super().__init__(key)
        self._findings = list(findings)

    def __len__(self) -> int:
        return len(self._findings)

    def finding(self, position: int) -> Finding:
        return self._findings[position]


@dataclass(frozen=True)
class Reclaimable:
    """What a cleanup of the reclaimable kinds frees: by kind, and each item once."""

    by_kind: dict[str, int]
    total: int

    def to_json(self) -> dict[str, int]:
        return {**self.by_kind, "total": self.total}


class Findings:
    """What a scan found: one list per kind, in the kinds' order.

    Args:
        lists: the lists the analysers made (at most one per kind).
        settings: the scan's settings the findings depend on (``older_than_s``, ...).
    """

    def __init__(
        self, lists: Iterable[FindingList] = (), settings: Mapping[str, Any] | None = None
    ) -> None:
        self._lists: dict[str, FindingList] = {}
        for found in lists:
            if found.kind.key in self._lists:
                raise ValueError(f"two lists of {found.kind.key!r} findings")
            self._lists[found.kind.key] = found
        self.settings: dict[str, Any] = dict(settings or {})

    def __getitem__(self, key: str) -> FindingList:
        """The findings of kind ``key`` (an empty list when none was looked for).

        Raises:
            UnknownKind: no kind has this key.
        """
        found = self._lists.get(key)
        return found if found is not None else StoredFindings(key, [])

    def __contains__(self, key: object) -> bool:
        return key in self._lists

    def __iter__(self) -> Iterator[FindingList]:
        """The lists the analysers made, in the kinds' order."""
        for kind in all_kinds():
            if kind.key in self._lists:
                yield self._lists[kind.key]

    def finding(self, finding_id: str) -> Finding:
        """The finding ``KIND/N``.

        Raises:
            UnknownFinding: no such kind in this scan, or no such number.
        """
        key, _sep, number = finding_id.partition("/")
        found = self._lists.get(key)
        if found is None or not number.isdigit() or not 1 <= int(number) <= len(found):
            raise UnknownFinding(id=finding_id)
        return found[int(number) - 1]

    def reclaimable(self) -> Reclaimable:
        """Bytes the reclaimable kinds free, each item counted once.

        A group that keeps one item counts what it frees and covers all its items; a
        later kind counts only the items no earlier kind covered (a temporary file
        that is also a duplicate is counted with the duplicates).
        """
        by_kind: dict[str, int] = {}
        covered = Covered()
        total = 0
        for found in self:
            if not found.kind.reclaimable:
                continue
            reclaimable = found.totals().reclaimable_bytes
            by_kind[found.kind.key] = reclaimable
            if found.kind.keep_one:
                total += reclaimable
                covered.update(found.keys())
            else:
                total += found.new_bytes(covered)
        return Reclaimable(by_kind, total)
