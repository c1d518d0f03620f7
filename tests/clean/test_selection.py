"""Plans of the findings and items a person chose one by one (what the review page sends)."""

from __future__ import annotations

from pathlib import Path

import pytest

from menage.clean import NothingSelected, PlanOptions, build_plan, parse_plan, plan_selection
from menage.clean.plan import BadSelection
from menage.clean.planfile import format_plan
from menage.files.index import Index
from menage.findings import Duplicates, FileItem, ScanFindings, UnknownFinding
from menage.home import default_index_path
from tests.clean.conftest import plan_lines, scan


@pytest.fixture
def scanned(menage, tree) -> ScanFindings:
    scan(menage, tree)
    with Index(default_index_path()) as index:
        return index.scan_findings()


def names(plan) -> list[tuple[str, str]]:
    return sorted((a.finding, "/".join(a.path.decode().split("/")[-2:])) for a in plan.actions)


def group_of(scanned: ScanFindings, name: str) -> Duplicates:
    for finding in scanned.findings["duplicates"]:
        assert isinstance(finding, Duplicates)
        if any(isinstance(i, FileItem) and i.path.endswith(name.encode()) for i in finding.items):
            return finding
    raise AssertionError(name)


def test_a_whole_group_is_planned_as_the_keep_rules_say(scanned):
    reports = group_of(scanned, "docs/report.pdf")
    chosen = plan_selection(scanned, [reports.id], PlanOptions(keep=("oldest",)))
    by_rules = build_plan(scanned, PlanOptions(duplicates=True, keep=("oldest",)))
    assert chosen.actions == [a for a in by_rules.actions if a.group == reports.number]
    assert {a.keep for a in chosen.actions} == {b"%s/docs/report.pdf" % bytes(scanned.roots[0])}


def test_chosen_copies_go_and_the_others_stay(scanned):
    reports = group_of(scanned, "docs/report.pdf")
    position = next(
        n
        for n, item in enumerate(reports.items, start=1)
        if isinstance(item, FileItem) and item.path.endswith(b"downloads/report.pdf")
    )
    plan = plan_selection(scanned, [f"{reports.id}/{position}"])
    assert names(plan) == [("duplicates", "downloads/report.pdf")]
    (action,) = plan.actions
    assert action.keep is not None and not action.keep.endswith(b"downloads/report.pdf")
    assert action.detail == "chosen"
    # the plan file is valid as it is written, and says the same
    again = parse_plan(format_plan(plan).encode())
    assert [(a.path, a.keep, a.finding) for a in again.actions] == [
        (action.path, action.keep, "duplicates")
    ]


def test_single_findings_and_their_kinds_order(scanned):
    temp = [f.id for f in scanned.findings["temp_files"]]
    empty = [f.id for f in scanned.findings["empty_dirs"]]
    plan = plan_selection(scanned, [*empty, *temp, temp[0]])
    assert [a.finding for a in plan.actions] == ["temp_files"] * len(temp) + ["empty_dirs"]
    assert {a.detail for a in plan.actions if a.finding == "temp_files"} == {
        "editor-backup",
        "office-lock",
    }
    assert plan.selection["chosen"] == [*empty, *temp, temp[0]]


def test_every_copy_of_a_group_cannot_go(scanned):
    reports = group_of(scanned, "docs/report.pdf")
    every = [f"{reports.id}/{n}" for n in range(1, len(reports.items) + 1)]
    with pytest.raises(BadSelection, match="one must stay"):
        plan_selection(scanned, every)
    # all but one: fine
    assert len(plan_selection(scanned, every[1:]).actions) == len(every) - 1


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param("nope/1", id="unknown-kind"),
        pytest.param("duplicates/99", id="no-such-finding"),
        pytest.param("duplicates/0", id="zero"),
        pytest.param("duplicates/1/9", id="no-such-item"),
        pytest.param("duplicates/1/x", id="not-a-number"),
        pytest.param("duplicates", id="no-number"),
        pytest.param("duplicates/1/2/3", id="too-deep"),
    ],
)
def test_unknown_ids_are_refused(scanned, bad):
    with pytest.raises(UnknownFinding) as caught:
        plan_selection(scanned, ["temp_files/1", bad])
    assert bad in caught.value.message


def test_nothing_chosen_and_kinds_the_cleanup_cannot_act_on(scanned, tmp_path: Path):
    with pytest.raises(NothingSelected):
        plan_selection(scanned, [])
    folders = scanned.findings["duplicate_folders"]
    if len(folders):  # the tree has none; the refusal is checked on a declared kind
        pytest.fail("the tree was not expected to have duplicate folders")
    from menage.findings import DuplicateFolders, Findings, FolderItem, StoredFindings

    with_folders = ScanFindings(
        scanned.scan_id,
        scanned.roots,
        Findings(
            [
                StoredFindings(
                    "duplicate_folders",
                    [
                        DuplicateFolders(
                            1,
                            (FolderItem(b"/a"), FolderItem(b"/b")),
                            files=1,
                            size=1,
                            redundant_bytes=1,
                        )
                    ],
                )
            ]
        ),
    )
    with pytest.raises(BadSelection, match="cannot act on this kind"):
        plan_selection(with_folders, ["duplicate_folders/1"])


def test_menage_plan_picks_by_id(menage, tree, tmp_path: Path):
    data = scan(menage, tree)
    groups = data["duplicates"]["items"]
    number, group = next(
        (n, g) for n, g in enumerate(groups, start=1) if g["paths"][0].endswith(".pdf")
    )
    second = group["paths"][1]
    result = menage(
        "plan", "--pick", f"duplicates/{number}/2", "--pick", "temp_files/1", "-o", tmp_path / "p"
    )
    assert result.exit_code == 0, result.stderr
    lines = plan_lines(tmp_path / "p")
    assert [(x["finding"], x["path"]) for x in lines] == [
        ("duplicates", second),
        ("temp_files", data["temp_files"]["items"][0]["path"]),
    ]
    both = menage("plan", "--pick", "temp_files/1", "--temp")
    assert both.exit_code == 2 and "--pick" in both.stderr
    unknown = menage("plan", "--pick", "duplicates/99")
    assert unknown.exit_code == 1
    assert "'duplicates/99' is not a finding of this scan" in unknown.stderr
    every = [f"duplicates/{number}/{m}" for m in range(1, len(group["paths"]) + 1)]
    refused = menage("plan", *[arg for pick in every for arg in ("--pick", pick)])
    assert refused.exit_code == 1 and "one must stay" in refused.stderr
    assert "Traceback" not in refused.stderr + unknown.stderr
