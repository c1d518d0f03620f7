"""Past scans and what changed between two of them."""

from __future__ import annotations

from dataclasses import dataclass

from menage.errors import NoSuchScan
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
        return self.after.rate - self.before.rate

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
        }


def compare(index: Index, before: int, after: int) -> Comparison:
    """Compare two scans by their numbers.

    Raises:
        NoSuchScan: one of the numbers is not in the index.
    """
    records = {record.id: record for record in index.scans()}
    for number in (before, after):
        if number not in records:
            raise NoSuchScan(scan=number)
    return Comparison(records[before], records[after])
