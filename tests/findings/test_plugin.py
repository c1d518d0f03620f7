"""A new analyser plugs in by registering itself: nothing else is edited.

The analyser here finds log files over 1 kB, a kind no part of Ménage names. Once it
and its kind are registered, the scan runs it, the JSON, the terminal summary, the
HTML report and the CSV files show its findings, and a plan acts on them through the
journal like on any other finding.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from menage.files.analysers import FileScan
from menage.findings import (
    Field,
    FileItem,
    FindingKind,
    FindingList,
    SingleFile,
    StoredFindings,
    register_analyser,
    register_kind,
    unregister_analyser,
    unregister_kind,
)
from tests.clean.conftest import plan_lines, write


@dataclass(frozen=True)
class BigLog(SingleFile):
    """A log file over 1 kB (a kind made up for this test)."""


def find_big_logs(scanned: FileScan) -> list[FindingList]:
    tree = scanned.tree
    rows = [
        i
        for i, path in enumerate(tree.paths)
        if path.endswith(b".log") and tree.size[i] > 1000 and i not in scanned.extra_links
    ]
    found = [
        BigLog(
            n,
            (FileItem(tree.paths[i], tree.size[i], tree.mtime_ns[i], tree.dev[i], tree.ino[i]),),
        )
        for n, i in enumerate(rows, start=1)
    ]
    return [StoredFindings("big_logs", found)]


@pytest.fixture
def big_logs() -> Iterator[None]:
    register_kind(
        FindingKind(
            key="big_logs",
            source="file",
            label="big logs",
            title="Big logs",
            plan_title="Big log files.",
            cls=BigLog,
            fields=(Field("path", "path", "the log"),),
            order=70,
            reclaimable=True,
        )
    )
    register_analyser("test-big-logs", source="file", kinds=("big_logs",))(find_big_logs)
    yield
    unregister_analyser("test-big-logs")
    unregister_kind("big_logs")


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    write(root / "app" / "server.log", b"L" * 5000)
    write(root / "app" / "small.log", b"s" * 10)
    write(root / "docs" / "a.txt", b"same" * 10)
    write(root / "docs" / "b.txt", b"same" * 10)
    return root


def test_the_scan_shows_the_new_findings_everywhere(menage, big_logs, logs, tmp_path):
    result = menage("scan", logs, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    section = data["big_logs"]
    assert section["count"] == 1 and section["bytes"] == 5000
    assert [item["path"] for item in section["items"]] == [str(logs / "app" / "server.log")]
    # reclaimable: the duplicates and the new kind, each file once
    assert data["reclaimable"]["big_logs"] == 5000
    assert data["reclaimable"]["total"] == 40 + 5000

    summary = menage("scan", logs)
    assert "Big logs" in summary.stdout and "1 file, 5 kB" in summary.stdout
    assert "(duplicates, temporary files, big logs)" in summary.stdout

    page = tmp_path / "report.html"
    menage("scan", logs, "--html", page, "--csv", tmp_path / "csv")
    soup = BeautifulSoup(page.read_text(), "html.parser")
    heading = soup.find("h2", id="big-logs")
    assert heading is not None and heading.get_text() == "Big logs"
    assert soup.find("a", href="#big-logs") is not None
    section_tag = heading.find_parent("section")
    assert section_tag is not None
    listed = [li.get_text() for li in section_tag.find_all("li")]
    assert listed == ["app/server.log"]  # relative to the scanned folder
    with open(tmp_path / "csv" / "big_logs.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["size", "modified", "path"]
    assert rows[1][0] == "5000" and rows[1][2] == str(logs / "app" / "server.log")


def test_a_plan_acts_on_the_new_findings(menage, big_logs, logs, tmp_path):
    from menage.clean import PlanOptions, build_plan, write_plan
    from menage.files.index import Index
    from menage.home import default_index_path

    assert menage("scan", logs).exit_code == 0
    with Index(default_index_path()) as index:
        scanned = index.scan_findings()
    plan = build_plan(scanned, PlanOptions(kinds=("big_logs",)))
    target = tmp_path / "plan.json"
    write_plan(plan, target)
    assert [(x["finding"], Path(x["path"]).name) for x in plan_lines(target)] == [
        ("big_logs", "server.log")
    ]
    assert "# Big log files." in target.read_text()
    applied = menage("apply", target, "--yes")
    assert applied.exit_code == 0, applied.stderr
    assert not (logs / "app" / "server.log").exists()
    history = menage("history", "1")
    assert "big logs" in history.stdout
    assert menage("undo", "--yes").exit_code == 0
    assert (logs / "app" / "server.log").read_bytes() == b"L" * 5000
