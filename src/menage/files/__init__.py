"""The file engine: walk folders, find duplicates and other findings, keep an index."""

from menage.files.index import Index, ScanRecord
from menage.files.scan import ScanOptions, ScanResult, scan

__all__ = [
    "Index",
    "ScanOptions",
    "ScanRecord",
    "ScanResult",
    "scan",
]
