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


def _fresh(tmp_path: Path, tree: Path, now: float, reused: ScanResult) -> ScanResult:
    """The scan ``reused`` stands for, made whole in another index, with its times."""
    with Index(tmp_path / "other.sqlite") as other:
        other.db.execute("INSERT INTO scans (id, started, duration_s, roots, complete, files, "
                         "bytes, groups, redundant_files, redundant_bytes, report) "
                         "VALUES (1, '', 0, '[]', 1, 0, 0, 0, 0, 0, x'')")  # fmt: skip
        fresh = scan([tree], index=other, now=now)
    assert not isinstance(fresh, DeferredScanResult)
    _same_times(fresh, reused)
    return fresh


def _rescan(tmp_path: Path, tree: Path, later: float = NOW + 60) -> tuple[ScanResult, ScanResult]:
    """(an unchanged rescan at ``later``, the same scan made whole in another index)."""
    with Index(tmp_path / "index.sqlite") as index:
        scan([tree], index=index, now=NOW)
        reused = scan([tree], index=index, keep_json=True, now=later)
    return reused, _fresh(tmp_path, tree, later, reused)


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


def test_after_a_file_crossed_the_age_limit_only_the_old_files_are_made(tmp_path, tree):
    """A file turned old an hour after the first scan: the rescan makes the old files'
    section and takes the rest of the last scan's document; no duplicate is searched,
    and what it prints and stores is what a full scan at that time gives."""
    reused, fresh = _rescan(tmp_path, tree, later=NOW + 3601)
    assert isinstance(reused, DeferredScanResult)
    text = printed(reused)
    assert reused._duplicates is None and reused._findings is None  # nothing else made
    assert text == encoded(fresh)
    document = json.loads(text)
    assert document["old_files"]["count"] == 32 == len(document["old_files"]["items"])
    with Index(tmp_path / "index.sqlite") as index:
        assert index.scan_report(reused.scan_id) == document
        # and the next rescan takes this one's old files as they are
        again = scan([tree], index=index, keep_json=True, now=NOW + 3602)
        assert isinstance(again, DeferredScanResult) and printed(again) == encoded(again)
        assert json.loads(printed_again := encoded(again))["old_files"] == document["old_files"]
        assert printed_again.count('"old_files"') == 1
    # asked for, the findings are a full scan's at that time
    assert [(f.kind.key, len(f)) for f in reused.findings] == [
        (f.kind.key, len(f)) for f in fresh.findings
    ]


def test_back_before_a_crossing_the_old_files_are_made_again(tmp_path, tree):
    with Index(tmp_path / "index.sqlite") as index:
        scan([tree], index=index, now=NOW + 3601)
        back = scan([tree], index=index, keep_json=True, now=NOW)
        assert isinstance(back, DeferredScanResult)
        text = printed(back)
        assert back._duplicates is None
    assert json.loads(text)["old_files"]["count"] == 31
    assert text == encoded(_fresh(tmp_path, tree, NOW, back))


def test_without_keeping_the_json_a_crossing_stores_the_full_scans_document(tmp_path, tree):
    with Index(tmp_path / "index.sqlite") as index:
        scan([tree], index=index, now=NOW)
        quiet = scan([tree], index=index, now=NOW + 3601)
        assert isinstance(quiet, DeferredScanResult) and quiet.json_text is None
        assert quiet._duplicates is None
        stored = index.scan_report(quiet.scan_id)
    assert stored == json.loads(encoded(_fresh(tmp_path, tree, NOW + 3601, quiet)))
    assert stored["old_files"]["count"] == 32


def test_when_old_files_counted_in_the_reclaimable_bytes_a_crossing_makes_everything(
    tmp_path, tree, monkeypatch
):
    import menage.files.report_store as report_store

    monkeypatch.setattr(report_store, "clock_lists_only", lambda: False)
    with Index(tmp_path / "index.sqlite") as index:
        scan([tree], index=index, now=NOW)
        assert isinstance(scan([tree], index=index, now=NOW + 60), DeferredScanResult)
        after = scan([tree], index=index, keep_json=True, now=NOW + 3601)
        assert not isinstance(after, DeferredScanResult)
        assert printed(after) == encoded(after)


def test_an_analyser_of_the_clock_lists_reading_the_groups_gets_them_made(tmp_path, tree):
    """The groups given to the analysers of the clock lists are the content stage's,
    made the first time one of them reads them."""
    from menage.files.scan import _Groups

    reused, fresh = _rescan(tmp_path, tree)
    assert isinstance(reused, DeferredScanResult)
    groups = _Groups(reused)
    assert reused._duplicates is None
    assert len(groups) == len(fresh.duplicates.groups) > 0
    assert list(groups) == fresh.duplicates.groups
    assert groups[0] == fresh.duplicates.groups[0] and groups[:2] == fresh.duplicates.groups[:2]


def test_a_document_without_its_old_files_list_is_made_again_after_a_crossing(tmp_path, tree):
    """The last scan's document is taken after a crossing only when it holds the old
    files' section with its one list to replace: otherwise the whole document is made."""
    import zlib

    with Index(tmp_path / "index.sqlite") as index:
        first = scan([tree], index=index, now=NOW)
        (stored,) = index.db.execute(
            "SELECT report FROM scans WHERE id = ?", (first.scan_id,)
        ).fetchone()
        skeleton = json.loads(zlib.decompress(stored))
        skeleton["old_files"]["items"] = []  # a list written out, not one stored apart
        index.db.execute(
            "UPDATE scans SET report = ? WHERE id = ?",
            (zlib.compress(json.dumps(skeleton).encode()), first.scan_id),
        )
        after = scan([tree], index=index, keep_json=True, now=NOW + 3601)
        text = printed(after)
        assert isinstance(after, DeferredScanResult)
        assert after._findings is not None  # made, for the whole document
    assert text == encoded(_fresh(tmp_path, tree, NOW + 3601, after))
    assert json.loads(text)["old_files"]["count"] == 32


def test_only_a_section_with_one_stored_list_can_be_replaced():
    from menage.files.report_store import ReusedScan

    def reused(section: object) -> ReusedScan:
        return ReusedScan(1, {"scan_id": 1, "old_files": section}, 0, 0, 0, timely=False)

    assert reused({"count": 1, "items": {"$list": 3}}).has_sections(["old_files"])
    assert reused({"count": 1, "items": {"$list": 3}}).has_sections([])
    damaged: list[object] = [{"count": 1}, {"items": []}, {"items": {"$list": 3, "x": 1}}, [], None]
    for section in damaged:
        assert not reused(section).has_sections(["old_files"])
    assert not reused({"items": {"$list": 3}}).has_sections(["old_files", "big_files"])
