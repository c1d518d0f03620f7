"""A rescan of an unchanged tree takes the last scan's findings and document from the
index: its content stage and findings are made only when an output asks for them, and
every output is then what a full scan gives."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from menage.cli.scan_summary import print_scan_summary
from menage.files.index import Index
from menage.files.result import DeferredScanResult, ScanResult
from menage.files.scan import scan
from menage.report.csv import write_scan_csv
from menage.report.html import write_scan_html
from tests.files.test_report_store import NOW, encoded, printed
from tests.files.test_report_store import tree as tree  # noqa: F401 (the fixture)


def _same_times(fresh: ScanResult, reused: ScanResult) -> None:
    """The fresh scan told the reused one's number and times (all the rest is made)."""
    fresh.scan_id, fresh.started, fresh.duration_s = (
        reused.scan_id,
        reused.started,
        reused.duration_s,
    )
    fresh.summary_cache = None  # made while the index kept it, with its own times


def _rescan(tmp_path: Path, tree: Path) -> tuple[ScanResult, ScanResult]:
    """(an unchanged rescan, the same scan made whole in another index)."""
    with Index(tmp_path / "index.sqlite") as index:
        scan([tree], index=index, now=NOW)
        reused = scan([tree], index=index, keep_json=True, now=NOW + 60)
    with Index(tmp_path / "other.sqlite") as other:
        other.db.execute("INSERT INTO scans (id, started, duration_s, roots, complete, files, "
                         "bytes, groups, redundant_files, redundant_bytes, report) "
                         "VALUES (1, '', 0, '[]', 1, 0, 0, 0, 0, 0, x'')")  # fmt: skip
        fresh = scan([tree], index=other, now=NOW + 60)
    assert not isinstance(fresh, DeferredScanResult)
    _same_times(fresh, reused)
    return reused, fresh


def test_the_json_of_an_unchanged_rescan_asks_for_no_finding(tmp_path, tree):
    reused, fresh = _rescan(tmp_path, tree)
    assert isinstance(reused, DeferredScanResult)
    assert reused.redundant_files == fresh.redundant_files
    assert reused.redundant_bytes == fresh.redundant_bytes
    assert reused.complete and reused.total_files == fresh.total_files
    text = printed(reused)
    assert reused._findings is None and reused._duplicates is None  # nothing was made
    assert text == encoded(fresh)
    assert json.loads(text)["scan_id"] == reused.scan_id == 2
    # asked for, the findings are a full scan's
    assert [(f.kind.key, len(f)) for f in reused.findings] == [
        (f.kind.key, len(f)) for f in fresh.findings
    ]
    assert reused.duplicates.groups == fresh.duplicates.groups
    assert reused.issues == fresh.issues and reused.extra_links == fresh.extra_links


def test_the_html_csv_and_summary_of_an_unchanged_rescan_are_a_full_scans(tmp_path, tree):
    reused, fresh = _rescan(tmp_path, tree)
    assert isinstance(reused, DeferredScanResult)
    assert reused.json_text is not None
    reused.json_text.close()
    pages = []
    for name, result in (("reused", reused), ("fresh", fresh)):
        write_scan_html(result, tmp_path / f"{name}.html")
        pages.append((tmp_path / f"{name}.html").read_bytes())
    assert pages[0] == pages[1]
    written = [write_scan_csv(r, tmp_path / f"{n}-csv") for n, r in (("a", reused), ("b", fresh))]
    assert [p.name for p in written[0]] == [p.name for p in written[1]]
    for a, b in zip(*written, strict=True):
        assert a.read_bytes() == b.read_bytes()
    shown = []
    for result in (reused, fresh):
        console = Console(file=io.StringIO(), width=100, color_system=None, force_terminal=False)
        print_scan_summary(result, console, breakdown="folder")
        shown.append(console.file.getvalue())  # type: ignore[attr-defined]
    assert shown[0] == shown[1]
    assert encoded(reused) == encoded(fresh)


def test_a_rescan_after_a_changed_file_makes_its_findings(tmp_path, tree):
    with Index(tmp_path / "index.sqlite") as index:
        scan([tree], index=index, now=NOW)
        (tree / "added.txt").write_bytes(b"new")
        again = scan([tree], index=index, keep_json=True, now=NOW + 60)
        assert not isinstance(again, DeferredScanResult)
        assert printed(again) == encoded(again)
        third = scan([tree], index=index, keep_json=True, now=NOW + 120)
        assert isinstance(third, DeferredScanResult)
        assert printed(third) == encoded(third)


def test_other_owners_names_or_factors_make_the_document_again(tmp_path, tree, monkeypatch):
    from menage.impact.factors import FACTORS_PATH

    with Index(tmp_path / "index.sqlite") as index:
        scan([tree], index=index, now=NOW)
        assert isinstance(scan([tree], index=index, now=NOW), DeferredScanResult)
        # an organisation's factors file: the impact sentences may differ
        ours = tmp_path / "factors.csv"
        ours.write_bytes(FACTORS_PATH.read_bytes())
        monkeypatch.setenv("MENAGE_FACTORS", str(ours))
        assert not isinstance(scan([tree], index=index, now=NOW), DeferredScanResult)
        assert isinstance(scan([tree], index=index, now=NOW), DeferredScanResult)
        ours.write_bytes(FACTORS_PATH.read_bytes() + b"\n")
        assert not isinstance(scan([tree], index=index, now=NOW), DeferredScanResult)
        # the owners' names as the system gives them now
        import menage.files.report_store as report_store

        monkeypatch.setattr(report_store, "owner_name", lambda uid: f"renamed{uid}")
        assert not isinstance(scan([tree], index=index, now=NOW), DeferredScanResult)
