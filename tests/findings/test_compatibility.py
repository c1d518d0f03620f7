"""What earlier releases wrote still reads, and today's JSON keeps every key they had.

The fixtures in ``data/`` were made by main at b266cc1 (see ``data/README.md``).
"""

from __future__ import annotations

import io
import json
import os
import zlib
from pathlib import Path
from typing import Any

import pytest

from menage._jsonstream import materialise
from menage.clean import PlanOptions, build_plan
from menage.errors import IndexCorrupted, ReportTooNew
from menage.files.index import Index
from menage.files.scan import ScanOptions, scan
from menage.findings import Duplicates, EmptyFolder, FileItem, TempFile, read_scan, section
from menage.report.json import write_scan_json
from tests.findings.fixture_tree import build

DATA = Path(__file__).parent / "data"
FIXTURE_ROOT = "/tmp/menage-fixture/tree"


def old_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "scan-json-b266cc1.json").read_text())
    return data


def key_paths(value: Any, prefix: str = "") -> set[str]:
    """Every key of a JSON value, as paths (``duplicates.items[].files[].links``)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(prefix + key)
            found |= key_paths(item, prefix + key + ".")
    elif isinstance(value, list):
        for item in value:
            found |= key_paths(item, prefix.rstrip(".") + "[].")
    return found


def relative(value: Any, root: str) -> Any:
    """``value`` with the paths under ``root`` made relative, devices and inodes gone."""
    if isinstance(value, dict):
        return {
            k: relative(v, root)
            for k, v in value.items()
            if k not in ("device", "inode", "uid", "hash", "started")
        }
    if isinstance(value, list):
        return [relative(v, root) for v in value]
    if isinstance(value, str) and value.startswith(root):
        return value[len(root) :]
    return value


@pytest.fixture
def scanned_today(tmp_path: Path) -> dict[str, Any]:
    root = build(tmp_path / "tree")
    with Index(tmp_path / "index.sqlite") as index:
        result = scan([root], ScanOptions(top=5), index=index, now=1_700_000_000)
    out = io.StringIO()
    write_scan_json(result, out)
    data: dict[str, Any] = json.loads(out.getvalue())
    data["_root"] = os.fspath(root)
    return data


def test_todays_json_has_every_key_of_schema_1(scanned_today):
    old = old_json()
    assert scanned_today["schema"] == old["schema"] == 1
    missing = key_paths(old) - key_paths(scanned_today)
    assert not missing, f"keys of schema 1 gone: {sorted(missing)}"


def test_todays_json_finds_the_same_on_the_same_tree(scanned_today):
    old = relative(old_json(), FIXTURE_ROOT)
    new = relative(scanned_today, scanned_today["_root"])
    for key in (
        "total",
        "categories",
        "duplicates",
        "duplicate_folders",
        "empty_files",
        "empty_dirs",
        "big_files",
        "old_files",
        "temp_files",
        "reclaimable",
        "by_folder",
    ):
        # every value earlier releases wrote is the same today (new keys may be added)
        if isinstance(old[key], dict):
            assert {k: new[key][k] for k in old[key]} == old[key], key
        else:
            assert new[key] == old[key], key


def test_findings_of_an_old_json_are_read_back():
    old = old_json()
    scanned = read_scan(old)
    assert scanned.scan_id == 1
    assert scanned.roots == [FIXTURE_ROOT.encode()]
    findings = scanned.findings
    assert [found.kind.key for found in findings] == [
        "duplicates",
        "duplicate_folders",
        "temp_files",
        "empty_files",
        "empty_dirs",
        "old_files",
        "big_files",
    ]
    first = findings.finding("duplicates/1")
    assert isinstance(first, Duplicates)
    assert first.size == 10240 and len(first.items) == 3
    linked = [
        item.links
        for item in first.items
        if isinstance(item, FileItem) and item.path.endswith(b"(1).pdf")
    ]
    assert linked == [(FIXTURE_ROOT.encode() + b"/downloads/report-link.pdf",)]
    assert sorted(f.temp_kind for f in findings["temp_files"] if isinstance(f, TempFile)) == [
        "cache",
        "editor-backup",
        "office-lock",
    ]
    (empty_dir,) = findings["empty_dirs"]
    assert isinstance(empty_dir, EmptyFolder)
    assert empty_dir.folder.path == FIXTURE_ROOT.encode() + b"/empty folder"
    assert findings.reclaimable().to_json() == old["reclaimable"]
    # written back, each section says what it said
    facts = {"scanned_bytes": old["total"]["bytes"], "older_than_s": old["options"]["older_than_s"]}
    for found in findings:
        again = materialise(section(found, facts))
        assert {k: again[k] for k in old[found.kind.key]} == old[found.kind.key]


def _index_with(path: Path, report: bytes) -> None:
    """An index holding one stored scan, as a release wrote it (the format is unchanged)."""
    with Index(path) as index:
        index.db.execute(
            "INSERT INTO scans (id, started, duration_s, roots, complete, files, bytes, groups, "
            "redundant_files, redundant_bytes, report) VALUES (1, ?, 0.1, ?, 1, 14, 118189, 3, "
            "4, 23980, ?)",
            ("2026-12-01T15:14:26+00:00", json.dumps([FIXTURE_ROOT]), zlib.compress(report)),
        )


def test_a_scan_stored_by_an_earlier_release_still_plans(tmp_path):
    stored = (DATA / "stored-report-b266cc1.json").read_bytes()
    _index_with(tmp_path / "index.sqlite", stored)
    with Index(tmp_path / "index.sqlite") as index:
        scanned = index.scan_findings(1)
    plan = build_plan(scanned, PlanOptions(duplicates=True, temp=True, empty=True))
    removed = sorted(
        (a.finding, a.path.removeprefix(FIXTURE_ROOT.encode()).decode()) for a in plan.actions
    )
    assert removed == [
        ("duplicates", "/Sauvegarde/Photos 2019 (copie)/a.jpg"),
        ("duplicates", "/Sauvegarde/Photos 2019 (copie)/sub/b.jpg"),
        ("duplicates", "/backup/report.pdf"),
        ("duplicates", "/downloads/report (1).pdf"),
        ("duplicates", "/downloads/report-link.pdf"),
        ("empty_dirs", "/empty folder"),
        ("empty_files", "/docs/empty.txt"),
        ("temp_files", "/.cache/thumbs/x.bin"),
        ("temp_files", "/docs/notes.txt~"),
        ("temp_files", "/docs/~$letter.docx"),
    ]
    kept = {a.keep for a in plan.actions if a.finding == "duplicates"}
    assert FIXTURE_ROOT.encode() + b"/docs/report.pdf" in kept


def test_a_report_from_a_newer_release_is_refused(tmp_path):
    newer = json.dumps({**old_json(), "schema": 2}).encode()
    _index_with(tmp_path / "index.sqlite", newer)
    with Index(tmp_path / "index.sqlite") as index, pytest.raises(ReportTooNew) as caught:
        index.scan_findings(1)
    assert "newer Ménage" in caught.value.message


def test_a_damaged_stored_report_says_so(tmp_path):
    _index_with(tmp_path / "index.sqlite", b"not json at all")
    with Index(tmp_path / "index.sqlite") as index, pytest.raises(IndexCorrupted):
        index.scan_findings(1)
