"""CSV files of a scan, one per finding, for spreadsheets.

Paths are written in the escaped form of :mod:`menage.files.names` (valid UTF-8,
reversible). Files are written by the rules of :mod:`menage.output`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from menage.files.names import escape
from menage.files.scan import ScanResult
from menage.output import write_output


def _when(mtime_ns: int) -> str:
    return datetime.fromtimestamp(mtime_ns / 1e9, UTC).isoformat(timespec="seconds")


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    write_output(path, buffer.getvalue().encode("utf-8"))


def write_scan_csv(result: ScanResult, folder: Path) -> list[Path]:
    """Write ``duplicates.csv``, ``big_files.csv``, ``old_files.csv``, ``temp_files.csv``,
    ``empty_files.csv``, ``empty_dirs.csv``, ``duplicate_folders.csv`` and ``errors.csv``.

    Returns:
        The files written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    tree = result.tree
    paths, sizes, mtimes = tree.paths, tree.size, tree.mtime_ns
    written: list[Path] = []

    def out(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        target = folder / name
        _write(target, header, rows)
        written.append(target)

    out(
        "duplicates.csv",
        ["group", "size", "hash", "path", "modified", "hardlinks"],
        (
            [
                n,
                group.size,
                group.digest.hex(),
                escape(paths[i]),
                _when(mtimes[i]),
                len(group.links.get(i, ())),
            ]
            for n, group in enumerate(result.duplicates.groups, start=1)
            for i in group.files
        ),
    )
    out(
        "duplicate_folders.csv",
        ["group", "files", "size", "redundant_bytes", "path"],
        (
            [n, f.files, f.size, f.redundant_bytes, escape(tree.dirs[d])]
            for n, f in enumerate(result.duplicate_folders, start=1)
            for d in f.dirs
        ),
    )
    for name, indices in (("big_files.csv", result.big_files), ("old_files.csv", result.old_files)):
        out(
            name,
            ["size", "modified", "path"],
            ([sizes[i], _when(mtimes[i]), escape(paths[i])] for i in indices),
        )
    out(
        "temp_files.csv",
        ["kind", "rule", "size", "modified", "path"],
        (
            [rule.kind, rule.pattern, sizes[i], _when(mtimes[i]), escape(paths[i])]
            for i, rule in result.temp_files
        ),
    )
    out("empty_files.csv", ["path"], ([escape(paths[i])] for i in result.empty_files))
    out("empty_dirs.csv", ["path"], ([escape(tree.dirs[d])] for d in result.empty_dirs))
    out(
        "errors.csv",
        ["kind", "error", "path"],
        ([issue.kind, issue.detail, escape(issue.path)] for issue in result.issues),
    )
    return written
