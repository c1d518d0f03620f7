"""CSV files of a scan, one per kind of finding, for spreadsheets.

Each kind's file is named after its key (``duplicates.csv``, ``temp_files.csv``) and
has the columns its finding declares (``Finding.csv_header``), one row per item;
``errors.csv`` lists what could not be scanned. Paths are written in the escaped
form of :mod:`menage.files.names` (valid UTF-8, reversible). Files are written
by the rules of :mod:`menage.output`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from menage.files.names import escape
from menage.files.result import ScanResult
from menage.output import make_output_folder, write_output


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(
        [escape(value) if isinstance(value, bytes) else value for value in row] for row in rows
    )
    write_output(path, buffer.getvalue().encode("utf-8"))


def write_scan_csv(result: ScanResult, folder: Path) -> list[Path]:
    """Write one CSV file per kind of finding of the scan, and ``errors.csv``.

    Returns:
        The files written.
    """
    make_output_folder(folder)
    written: list[Path] = []

    def out(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        target = folder / name
        _write(target, header, rows)
        written.append(target)

    for found in result.findings:
        out(
            f"{found.kind.key}.csv",
            found.kind.cls.csv_header(),
            (row for finding in found for row in finding.csv_rows()),
        )
    out(
        "errors.csv",
        ["kind", "error", "path"],
        ([issue.kind, issue.detail, issue.path] for issue in result.issues),
    )
    return written
