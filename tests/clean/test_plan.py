"""`menage plan`: selection, keep rules, and the editable plan file."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from menage.clean.rules import BadRule, KeepFolderMissing, KeepRule, Member, choose, parse_rule
from tests.clean.conftest import OLD, plan_lines, scan, snapshot, write


def paths_of(lines, key="path"):
    return sorted(
        os.path.basename(os.path.dirname(x[key])) + "/" + os.path.basename(x[key]) for x in lines
    )


def test_plan_needs_a_selection(menage, tree):
    scan(menage, tree)
    result = menage("plan")
    assert result.exit_code == 1
    assert "choose what to clean" in result.stderr


def test_plan_without_scan_says_so(menage):
    result = menage("plan", "--duplicates")
    assert result.exit_code == 1
    assert "no scan" in result.stderr


def test_plan_says_which_scan_and_folders_it_used(menage, tree, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    first = scan(menage, tree)["scan_id"]
    scan(menage, other)
    result = menage("plan", str(first), "--duplicates", "-o", tmp_path / "p.json")
    assert result.exit_code == 0, result.stderr
    assert f"From scan {first} of {tree}." in result.stderr


def test_keep_oldest_removes_the_younger_copies(menage, tree, tmp_path):
    scan(menage, tree)
    result = menage("plan", "--duplicates", "--keep", "oldest", "-o", tmp_path / "p.json")
    assert result.exit_code == 0, result.stderr
    lines = plan_lines(tmp_path / "p.json")
    assert paths_of(lines) == [
        "backup/report-copy.pdf",
        "downloads/report.pdf",
        "reference/cat.jpg",
        "sub/dog.jpg",
    ]
    keeps = {os.path.basename(os.path.dirname(x["keep"])) for x in lines if "report" in x["path"]}
    assert keeps == {"docs"}
    assert all(x["action"] == "quarantine" and x["finding"] == "duplicates" for x in lines)
    assert "Plan written" in result.stderr and "4 actions" in result.stderr


def test_keep_newest(menage, tree, tmp_path):
    scan(menage, tree)
    menage("plan", "--duplicates", "--keep", "newest", "-o", tmp_path / "p.json")
    lines = plan_lines(tmp_path / "p.json")
    removed = paths_of(lines)
    assert "backup/report-copy.pdf" not in removed
    assert "docs/report.pdf" in removed and "photos/cat.jpg" in removed


def test_reference_folder_is_never_touched(menage, tree, tmp_path):
    scan(menage, tree)
    result = menage(
        "plan",
        "--duplicates",
        "--keep",
        f"in {tree / 'reference'}",
        "--keep",
        "oldest",
        "-o",
        tmp_path / "p.json",
    )
    assert result.exit_code == 0
    lines = plan_lines(tmp_path / "p.json")
    assert not any("/reference/" in x["path"] for x in lines)
    # the cat in the reference folder is newer, but the reference wins
    assert "photos/cat.jpg" in paths_of(lines)
    # both dogs are in the reference folder: that group gets no action
    assert not any("dog" in x["path"] for x in lines)
    assert "every copy in a reference folder" in (tmp_path / "p.json").read_text()


def test_not_in_and_shortest_path_combine_in_order(menage, tree, tmp_path):
    scan(menage, tree)
    menage(
        "plan",
        "--duplicates",
        "--keep",
        f"not-in:{tree / 'docs'}",
        "--keep",
        "shortest-path",
        "-o",
        tmp_path / "p.json",
    )
    lines = plan_lines(tmp_path / "p.json")
    report_keep = {x["keep"] for x in lines if "report" in x["path"]}
    assert report_keep == {str(tree / "downloads" / "report.pdf")}


def test_temp_empty_and_old_selection(menage, tree, tmp_path):
    write(tree / "big.iso", b"B" * 200_000, mtime=OLD - 10**8)
    scan(menage, tree)
    menage("plan", "--temp", "--empty", "-o", tmp_path / "p.json")
    lines = plan_lines(tmp_path / "p.json")
    findings = {(x["finding"], os.path.basename(x["path"])) for x in lines}
    assert ("temp_files", "notes.txt~") in findings
    assert ("temp_files", "~$letter.docx") in findings
    assert ("empty_files", "empty.txt") in findings
    assert ("empty_dirs", "old project") in findings
    menage("plan", "--older-than", "5y", "--larger", "100kB", "-o", tmp_path / "q.json")
    lines = plan_lines(tmp_path / "q.json")
    assert [os.path.basename(x["path"]) for x in lines] == ["big.iso"]
    assert lines[0]["finding"] == "old_files"


def test_kept_copy_is_not_removed_as_another_finding(menage, tmp_path):
    root = tmp_path / "t"
    write(root / "a.txt", b"same bytes", mtime=OLD)
    write(root / "b.txt", b"same bytes", mtime=OLD + 10)
    scan(menage, root)
    menage(
        "plan", "--duplicates", "--older-than", "1y", "--keep", "oldest", "-o", tmp_path / "p.json"
    )
    lines = plan_lines(tmp_path / "p.json")
    # a.txt is old, but it is the kept copy: no other finding removes it
    assert [os.path.basename(x["path"]) for x in lines] == ["b.txt"]
    assert "is the kept copy of a duplicate group" in (tmp_path / "p.json").read_text()


def test_plan_leaves_menage_home_alone(menage, tmp_path, monkeypatch):
    # a quarantine inside the scanned folder must never look like a copy
    root = tmp_path / "user"
    monkeypatch.setenv("MENAGE_HOME", str(root / ".local" / "menage"))
    write(root / ".local" / "menage" / "quarantine" / "run-1" / "x.txt", b"copy")
    write(root / "usb" / ".menage-quarantine" / "run-2" / "x.txt", b"copy")
    write(root / "zzz" / "x.txt", b"copy", mtime=OLD + 999)
    scan(menage, root)
    menage("plan", "--duplicates", "-o", tmp_path / "p.json")
    assert plan_lines(tmp_path / "p.json") == []


def test_plan_to_stdout_and_hardlink_action(menage, tree):
    scan(menage, tree)
    result = menage("plan", "--duplicates", "--action", "hardlink")
    assert result.exit_code == 0
    assert '"action": "hardlink"' in result.stdout
    assert result.stdout.startswith("# ")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("biggest", id="unknown"),
        pytest.param("in", id="in-without-folder"),
        pytest.param("not-in: ", id="not-in-without-folder"),
    ],
)
def test_bad_keep_rule(menage, tree, text):
    scan(menage, tree)
    result = menage("plan", "--duplicates", "--keep", text)
    assert result.exit_code == 2  # a usage error
    assert "not a keep rule" in result.stderr


@pytest.mark.parametrize("command", ["plan", "clean"])
@pytest.mark.parametrize("rule", ["in", "not-in"])
def test_a_missing_keep_folder_is_refused(menage, tree, tmp_path, command, rule):
    scan(menage, tree)
    before = snapshot(tree)
    mistyped = tree / "Documetns"
    where = ["--yes", tree] if command == "clean" else ["-o", tmp_path / "p.json"]
    result = menage(command, "--duplicates", "--keep", f"{rule} {mistyped}", *where)
    assert result.exit_code == 2, result.stderr
    assert f"{mistyped} is not a folder here" in result.stderr
    assert "nothing was planned" in result.stderr
    assert not (tmp_path / "p.json").exists()
    assert snapshot(tree) == before


def test_a_keep_folder_that_decides_nothing_is_warned(menage, tree, tmp_path):
    scan(menage, tree)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = menage("plan", "--duplicates", "--keep", f"in {elsewhere}", "-o", tmp_path / "p.json")
    assert result.exit_code == 0
    warning = f"--keep 'in {elsewhere}' decided nothing: no duplicate group has a copy"
    assert f"Warning: {warning}" in result.stderr
    assert warning in (tmp_path / "p.json").read_text()
    used = menage(
        "plan", "--duplicates", "--keep", f"in {tree / 'reference'}", "-o", tmp_path / "q.json"
    )
    assert "decided nothing" not in used.stderr


def test_parse_rule_forms(tmp_path):
    (tmp_path / "ref").mkdir()
    (tmp_path / "x" / "y").mkdir(parents=True)
    assert parse_rule("oldest") == KeepRule("oldest")
    assert parse_rule(f"in {tmp_path}/ref") == KeepRule("in", os.fsencode(tmp_path / "ref"))
    assert parse_rule(f"not-in={tmp_path}/x/y/") == KeepRule(
        "not-in", os.fsencode(tmp_path / "x" / "y")
    )
    with pytest.raises(BadRule):
        parse_rule("largest")
    with pytest.raises(KeepFolderMissing):
        parse_rule(f"in {tmp_path}/nope")


rule_strategy = st.sampled_from(
    [
        KeepRule("oldest"),
        KeepRule("newest"),
        KeepRule("shortest-path"),
        KeepRule("in", b"/r"),
        KeepRule("not-in", b"/r"),
        KeepRule("in", b"/a"),
    ]
)
member_strategy = st.builds(
    Member,
    path=st.sampled_from([b"/r/x", b"/r/y/z", b"/a/b", b"/a", b"/c/d/e", b"/q"]),
    mtime_ns=st.integers(0, 5),
)


@settings(max_examples=300, deadline=None)
@given(
    members=st.lists(member_strategy, min_size=2, max_size=6, unique_by=lambda m: m.path),
    rules=st.lists(rule_strategy, max_size=4),
)
def test_choose_never_removes_every_copy(members, rules):
    choice = choose(members, rules)
    assert choice.keep, "a group always keeps a copy"
    assert set(m.path for m in choice.keep) | set(m.path for m in choice.remove) == {
        m.path for m in members
    }
    assert not set(m.path for m in choice.keep) & set(m.path for m in choice.remove)
    references = [r.folder for r in rules if r.name == "in"]
    for m in choice.remove:
        assert not any(m.path == f or m.path.startswith(f + b"/") for f in references)


def test_age_and_size_are_chosen_among_every_file(menage, tmp_path):
    import time

    tree = tmp_path / "tree"
    now = time.time()
    write(tree / "two-years.bin", b"2" * 5000, mtime=now - 2 * 365 * 86400)
    write(tree / "recent.bin", b"r" * 5000, mtime=now - 86400)
    write(tree / "medium.bin", b"m" * 3000, mtime=now - 86400)
    # the scan lists files older than 3 years and only the biggest one...
    assert menage("scan", tree, "--older-than", "3y", "--top", "1").exit_code == 0
    # ...but the plan sees every file the index lists
    menage("plan", "--older-than", "1y", "-o", tmp_path / "old.json")
    assert [os.path.basename(x["path"]) for x in plan_lines(tmp_path / "old.json")] == [
        "two-years.bin"
    ]
    menage("plan", "--larger", "2kB", "-o", tmp_path / "big.json")
    big = sorted(os.path.basename(x["path"]) for x in plan_lines(tmp_path / "big.json"))
    assert big == ["medium.bin", "recent.bin", "two-years.bin"]


def test_a_temporary_file_is_never_the_kept_copy(menage, tmp_path):
    root = tmp_path / "t"
    write(root / "a" / ".~lock.budget.ods#", b"lock-of-ana", mtime=OLD)
    write(root / "b" / ".~lock.budget.ods#", b"lock-of-ana", mtime=OLD + 5)
    write(root / "notes.txt~", b"draft" * 50, mtime=OLD)  # older than the real file
    write(root / "notes.txt", b"draft" * 50, mtime=OLD + 5)
    scan(menage, root)
    menage("plan", "--duplicates", "--temp", "--keep", "oldest", "-o", tmp_path / "p.json")
    lines = plan_lines(tmp_path / "p.json")
    planned = {os.path.relpath(x["path"], root): x.get("keep") for x in lines}
    # both lock files go as temporary files: neither is kept as "the copy"
    assert planned["a/.~lock.budget.ods#"] is None and planned["b/.~lock.budget.ods#"] is None
    # the backup file goes, the real file is kept although the backup is older
    assert planned["notes.txt~"] == str(root / "notes.txt")
    assert "notes.txt" not in planned
    # without --temp, the rules alone choose among the copies
    menage("plan", "--duplicates", "--keep", "oldest", "-o", tmp_path / "q.json")
    alone = {os.path.relpath(x["path"], root) for x in plan_lines(tmp_path / "q.json")}
    assert "notes.txt" in alone


def test_the_plan_says_in_words_why_a_copy_stays(tmp_path):
    from menage.clean.planfile import rule_text

    assert rule_text("oldest") == "the oldest"
    assert rule_text("oldest (tie: first by path)") == "the oldest; tie: the first by path"
    assert rule_text("in /srv/ref") == "in /srv/ref"
    assert rule_text("not-in /tmp/x") == "outside /tmp/x"
    assert rule_text("chosen") == "chosen by you"
