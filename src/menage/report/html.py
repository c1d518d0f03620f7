"""The HTML report of a scan (see ``templates/scan.html``)."""

from __future__ import annotations

from pathlib import Path

from menage.files.scan import ScanResult


def write_scan_html(result: ScanResult, target: Path) -> None:
    """Write a self-contained HTML report of ``result`` to ``target``."""
    raise NotImplementedError("the HTML report is being written")
