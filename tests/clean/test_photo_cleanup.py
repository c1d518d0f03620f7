"""Near-duplicate photos through plan, apply and undo: proposed, confirmed by the
person, the kept photo verified (identity and content hash) at the last moment."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.clean.conftest import plan_lines, rewrite_plan, snapshot
from tests.photos.images import phone_folder, save, scene


@pytest.fixture
def dcim(tmp_path: Path, menage, menage_home) -> dict[str, Path]:
    made = phone_folder(tmp_path / "DCIM")
    result = menage("scan", tmp_path / "DCIM", "--photos", "--json")
    assert result.exit_code == 0, result.stderr
    return made


def confirm_all(plan: Path) -> None:
    rewrite_plan(plan, lambda a: {**a, "confirmed": True})


def photo_plan(menage, tmp_path: Path, *args: str) -> Path:
    target = tmp_path / "plan.jsonl"
    result = menage("plan", *(args or ("--similar-photos",)), "-o", target)
    assert result.exit_code == 0, result.stderr
    return target


def test_plan_proposes_and_says_which_photo_stays(menage, dcim, tmp_path):
    plan = photo_plan(menage, tmp_path)
    text = plan.read_text()
    lines = plan_lines(plan)
    by_path = {os.path.basename(a["path"]): a for a in lines}
    # the messaging-app copy and two of the burst go; the best shot of each stays
    assert sorted(by_path) == ["BURST_0.jpg", "BURST_1.jpg", "IMG_0001-whatsapp.jpg"]
    copy = by_path["IMG_0001-whatsapp.jpg"]
    assert copy["keep"] == str(dcim["best"]) and copy["detail"] == "resolution"
    assert copy["confirmed"] is False
    assert copy["keep_fingerprint"]["inode"] == dcim["best"].stat().st_ino
    assert len(copy["keep_fingerprint"]["xxh3"]) == 32
    assert f"keep {dcim['best']} (the most pixels)" in text
    assert 'change "confirmed": false to true' in text


def test_a_rule_alone_never_removes_a_near_duplicate(menage, dcim, tmp_path):
    plan = photo_plan(menage, tmp_path)
    before = snapshot(dcim["best"].parent)
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "3 similar photos are proposed but not confirmed: they stay" in result.stderr
    assert snapshot(dcim["best"].parent) == before
    dry = menage("apply", plan, "--dry-run")
    assert "not confirmed" in dry.stderr and "0 actions would be carried out" in dry.stdout


def test_confirmed_lines_are_applied_and_undone(menage, dcim, tmp_path):
    plan = photo_plan(menage, tmp_path)
    before = snapshot(dcim["best"].parent)
    # the person confirms the similar photo, not the burst
    rewrite_plan(plan, lambda a: {**a, "confirmed": a["finding"] == "similar_photos"})
    dry = menage("apply", plan, "--dry-run")
    assert "1 action would be carried out" in dry.stdout, dry.stdout + dry.stderr
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "2 similar photos are proposed but not confirmed" in result.stderr
    assert not dcim["copy"].exists()
    assert dcim["best"].exists() and dcim["burst0"].exists() and dcim["burst1"].exists()
    history = json.loads(menage("history", "--json").stdout)
    assert history, "the run is in the journal"
    undone = menage("undo", "--yes")
    assert undone.exit_code == 0, undone.stderr
    assert snapshot(dcim["best"].parent) == before


def test_a_picked_photo_is_confirmed(menage, dcim, tmp_path):
    plan = photo_plan(menage, tmp_path, "--pick", "bursts/1/1")
    [line] = plan_lines(plan)
    assert line["confirmed"] is True and line["path"] == str(dcim["burst0"])
    # the best of the others stays (the person removed the first shot only)
    assert line["keep"] in (str(dcim["burst1"]), str(dcim["burst2"]))
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 0, result.stderr
    assert not dcim["burst0"].exists() and dcim["burst1"].exists() and dcim["burst2"].exists()


def test_plan_file_mistakes_are_refused(menage, dcim, tmp_path):
    plan = photo_plan(menage, tmp_path)
    rewrite_plan(plan, lambda a: {**a, "confirmed": "yes"})
    result = menage("apply", plan, "--yes")
    assert result.exit_code != 0 and '"confirmed" must be true or false' in result.stderr
    plan = photo_plan(menage, tmp_path)
    rewrite_plan(plan, lambda a: {k: v for k, v in a.items() if k != "keep_fingerprint"})
    result = menage("apply", plan, "--yes")
    assert result.exit_code != 0 and "needs its kept photo" in result.stderr
    plan = photo_plan(menage, tmp_path)
    rewrite_plan(plan, lambda a: {**a, "action": "hardlink", "confirmed": True})
    result = menage("apply", plan, "--yes")
    assert result.exit_code != 0


def _edit_keeping_identity(path: Path) -> None:
    """New content, same size, same modification time: only the content hash tells."""
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _replace(path: Path) -> None:
    save(scene(99).resize((1280, 960)), path.with_name("new.jpg"))
    os.replace(path.with_name("new.jpg"), path)


KEPT_CHANGES = [
    pytest.param(lambda p: p.unlink(), "is no longer there", id="kept-photo-removed"),
    pytest.param(_edit_keeping_identity, "not the one you reviewed", id="kept-photo-edited"),
    pytest.param(_replace, "replaced by another file", id="kept-photo-replaced"),
]


@pytest.mark.parametrize(("change", "reason"), KEPT_CHANGES)
def test_kept_photo_changed_between_plan_and_apply(menage, dcim, tmp_path, change, reason):
    plan = photo_plan(menage, tmp_path, "--pick", "similar_photos/1")
    change(dcim["best"])
    before = snapshot(dcim["best"].parent)
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3, result.stderr  # incomplete: skipped
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert snapshot(dcim["best"].parent) == before, "nothing moved"
    assert dcim["copy"].exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(lambda p: p.unlink(), "changed meanwhile; put back", id="vanishes"),
        pytest.param(
            lambda p: p.write_bytes(b"overwritten"), "changed meanwhile; put back", id="rewritten"
        ),
    ],
)
def test_kept_photo_changed_at_the_last_moment(menage, dcim, tmp_path, at_hook, change, reason):
    """The kept photo changes after the last check, while the photo is being moved: the
    move is undone, nothing is lost."""
    plan = photo_plan(menage, tmp_path, "--pick", "similar_photos/1")
    copy_bytes = dcim["copy"].read_bytes()
    calls = at_hook("apply.act", lambda _path: change(dcim["best"]))
    result = menage("apply", plan, "--yes")
    assert calls == [os.fsencode(dcim["copy"])]
    assert result.exit_code == 3, result.stderr
    assert reason in result.stderr
    assert dcim["copy"].read_bytes() == copy_bytes, "the photo is back in place"


def test_the_photo_itself_changed_since_the_scan(menage, dcim, tmp_path):
    plan = photo_plan(menage, tmp_path, "--pick", "similar_photos/1")
    os.utime(dcim["copy"], (1, 1))
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3 and "modified since the scan" in result.stderr
    assert dcim["copy"].exists()


def test_purge_keeps_a_photo_whose_kept_photo_is_gone(menage, dcim, tmp_path):
    plan = photo_plan(menage, tmp_path, "--pick", "similar_photos/1")
    assert menage("apply", plan, "--yes").exit_code == 0
    dcim["best"].unlink()
    result = menage("purge", "--all", "--yes")
    assert "its kept photo" in result.stderr and "is gone" in result.stderr
    assert menage("undo", "--yes").exit_code == 0
    assert dcim["copy"].exists()


def test_through_the_workspace(tmp_path):
    """The library's front door: scan with photos, plan the picked photo, apply, undo."""
    from menage import Workspace
    from menage.clean import PlanOptions
    from menage.files.scan import ScanOptions

    made = phone_folder(tmp_path / "Takeout" / "Google Photos")
    ws = Workspace(tmp_path / "ws")
    result = ws.scan([made["best"].parent], ScanOptions(photos=True))
    assert result.photos is not None and result.photos["where"][0]["kind"] == "export"
    assert (tmp_path / "ws" / "photos.sqlite").exists()
    # a rule alone: proposals, which the cleanup skips
    proposed = ws.plan(PlanOptions(kinds=("similar_photos",)))
    assert [a.confirmed for a in proposed.actions] == [False]
    skipped = ws.apply(proposed)
    assert not skipped.done and "not confirmed" in (skipped.skipped[0].reason or "")
    assert made["copy"].exists()
    picked = ws.plan(picks=["similar_photos/1"])
    outcome = ws.apply(picked)
    assert len(outcome.done) == 1 and not made["copy"].exists()
    ws.undo(outcome.run_id)
    assert made["copy"].exists()
