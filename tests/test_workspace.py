"""The library API: a Workspace does what the commands do, on real files."""

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

import menage
from menage import PlanOptions, ScanOptions, Workspace
from menage.clean.errors import NoSuchRun, NothingToUndo, PlanInvalid
from menage.errors import MenageError

README = Path(__file__).resolve().parents[1] / "README.md"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".state" not in p.parts
    }


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "docs"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "report.pdf").write_bytes(b"R" * 5000)
    (root / "b" / "report.pdf").write_bytes(b"R" * 5000)
    (root / "b" / "other.txt").write_bytes(b"unique")
    os.utime(root / "a" / "report.pdf", (1_000_000_000, 1_000_000_000))
    (root / "~notes.tmp").write_bytes(b"t")
    return root


def test_readme_python_api_example_runs(tmp_path, monkeypatch):
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Python API") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code.group(1), "README.md", "exec"), {})
    assert out.getvalue().splitlines() == ["0.5", "1 1400", "['photo (1).jpg', 'photo.jpg']"]


def test_scan_plan_apply_measures_undo(folder, tmp_path, monkeypatch):
    other_home = tmp_path / "env-home"
    monkeypatch.setenv("MENAGE_HOME", str(other_home))
    before = _tree(folder)
    ws = Workspace(tmp_path / "state")
    result = ws.scan([folder], ScanOptions())
    assert result.scan_id is not None
    assert ws.findings().scan_id == result.scan_id
    plan = ws.plan(PlanOptions(duplicates=True, temp=True))
    assert sorted(os.path.basename(a.path) for a in plan.actions) == [b"report.pdf", b"~notes.tmp"]
    kept = [a for a in plan.actions if a.finding == "duplicates"][0].keep
    assert kept == os.fsencode(folder / "a" / "report.pdf")  # the oldest copy stays
    outcome = ws.apply(plan)
    assert outcome.complete and len(outcome.done) == 2
    assert not (folder / "b" / "report.pdf").exists()
    assert (folder / "a" / "report.pdf").read_bytes() == b"R" * 5000
    # the workspace's own folders hold the state; the environment's home is untouched
    assert (tmp_path / "state" / "journal.sqlite").exists()
    assert any((tmp_path / "state" / "quarantine").rglob("report.pdf"))
    assert not other_home.exists()
    measures = ws.measures(outcome.run_id)
    assert (measures.files, measures.bytes) == (2, 5001)
    assert measures.by_finding["duplicates"] == {"files": 1, "bytes": 5000}
    assert [run.id for run in ws.history()] == [outcome.run_id]
    undone = ws.undo()
    assert len(undone.restored) == 2
    assert _tree(folder) == before
    after = ws.measures(outcome.run_id)
    assert after.state == "undone" and (after.files, after.bytes) == (0, 0)
    assert after.as_dict()["restored"] == {"items": 2, "bytes": 5001}
    with pytest.raises(NothingToUndo):
        ws.undo()


def test_purge_deletes_only_from_the_quarantine(folder, tmp_path):
    ws = Workspace(tmp_path / "state")
    ws.scan([folder])
    outcome = ws.apply(ws.plan())
    assert len(outcome.done) == 1
    purged = ws.purge(outcome.run_id)
    assert purged.files == 1 and purged.freed == 5000 and not purged.refused
    assert not any(p.is_file() for p in (tmp_path / "state" / "quarantine").rglob("*"))
    assert (folder / "a" / "report.pdf").read_bytes() == b"R" * 5000
    assert ws.measures(outcome.run_id).purged_bytes == 5000


def test_workspace_inside_the_scanned_folder_is_never_scanned_nor_planned(folder):
    ws = Workspace(folder / ".state")
    ws.scan([folder])
    ws.apply(ws.plan(PlanOptions(duplicates=True, temp=True)))
    # a second scan walks the same folder, which now holds the quarantined copy
    ws.scan([folder])
    plan = ws.plan(PlanOptions(duplicates=True, temp=True, empty=True))
    assert not [a for a in plan.actions if b"/.state" in a.path]


def test_picks_one_by_one(folder, tmp_path):
    ws = Workspace(tmp_path / "state")
    ws.scan([folder])
    plan = ws.plan(picks=["temp_files/1"])
    assert [os.path.basename(a.path) for a in plan.actions] == [b"~notes.tmp"]


def test_plan_widened_by_hand_is_refused(folder, tmp_path):
    ws = Workspace(tmp_path / "state")
    ws.scan([folder / "a"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_bytes(b"s")
    plan = ws.plan(PlanOptions(temp=True, duplicates=True))
    plan.roots = [os.fsencode(elsewhere)]
    with pytest.raises(PlanInvalid):
        ws.apply(plan)


def test_errors_are_menage_errors_with_messages(tmp_path):
    ws = Workspace(tmp_path / "never-used")
    assert ws.history() == [] and ws.all_measures() == []
    with pytest.raises(NoSuchRun) as caught:
        ws.measures(3)
    assert isinstance(caught.value, MenageError) and "3" in str(caught.value)
    with pytest.raises(MenageError):
        ws.findings()


def test_unwritable_home_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    ws = Workspace(blocker / "state")
    with pytest.raises(MenageError) as caught:
        ws.scan([tmp_path])
    assert "MENAGE_HOME" in str(caught.value)


def test_public_names():
    assert menage.Workspace is Workspace
    assert repr(Workspace("/x/y")) == "Workspace('/x/y')"
    with pytest.raises(AttributeError):
        _ = menage.no_such_name
