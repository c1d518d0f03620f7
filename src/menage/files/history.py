"""Past scans and what changed between two of them."""

from __future__ import annotations

from dataclasses import dataclass

from menage.errors import NoScanToCompare, NoScanYet, NoSuchScan, ScansNotComparable
from menage.files.index import Index, ScanRecord


@dataclass(frozen=True)
class Comparison:
    """Scan ``before`` against scan ``after``; positive deltas mean growth."""

    before: ScanRecord
    after: ScanRecord

    @property
    def files(self) -> int:
        return self.after.files - self.before.files

    @property
    def bytes(self) -> int:
        return self.after.bytes - self.before.bytes

    @property
    def redundant_bytes(self) -> int:
        return self.after.redundant_bytes - self.before.redundant_bytes

    @property
    def redundant_files(self) -> int:
        return self.after.redundant_files - self.before.redundant_files

    @property
    def rate(self) -> float:
        """The change of duplicate rate as a fraction (0.032 is 3.2 percentage points)."""
        return self.after.rate - self.before.rate

    @property
    def rate_points(self) -> float:
        """The change of duplicate rate in percentage points."""
        return self.rate * 100

    def as_dict(self) -> dict[str, object]:
        return {
            "before": self.before.id,
            "after": self.after.id,
            "files": self.files,
            "bytes": self.bytes,
            "redundant_files": self.redundant_files,
            "redundant_bytes": self.redundant_bytes,
            "rate_before": round(self.before.rate, 6),
            "rate_after": round(self.after.rate, 6),
            "rate_change_points": round(self.rate_points, 4),
            "roots": self.after.roots,
        }


def same_folders(a: ScanRecord, b: ScanRecord) -> bool:
    """Whether two scans looked at the same folders (in any order)."""
    return sorted(a.roots) == sorted(b.roots)


def _roots(record: ScanRecord) -> str:
    return ", ".join(record.roots)


def compare(index: Index, before: int | None = None, after: int | None = None) -> Comparison:
    """Compare two scans of the same folders.

    With no numbers, the latest scan against the scan of the same folders before it;
    with ``after`` only, that scan against the scan of the same folders before it.
    A duplicate rate only means something against the same folders, so two scans of
    different folders are refused rather than compared.

    Raises:
        NoSuchScan: a number is not in the index.
        NoScanYet: the index has no scan.
        NoScanToCompare: no earlier scan of the same folders.
        ScansNotComparable: the two scans are of different folders.
    """
    records = index.scans()
    by_id = {record.id: record for record in records}
    for number in (before, after):
        if number is not None and number not in by_id:
            raise NoSuchScan(scan=number)
    if after is None:
        if not records:
            raise NoScanYet()
        newest = records[-1]
    else:
        newest = by_id[after]
    if before is None:
        earlier = [r for r in records if r.id < newest.id and same_folders(r, newest)]
        if not earlier:
            raise NoScanToCompare(roots=_roots(newest))
        oldest = earlier[-1]
    else:
        oldest = by_id[before]
    if not same_folders(oldest, newest):
        raise ScansNotComparable(
            before=oldest.id,
            after=newest.id,
            before_roots=_roots(oldest),
            after_roots=_roots(newest),
        )
    return Comparison(oldest, newest)
