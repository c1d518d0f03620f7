"""Hardlink and reflink actions, the system trash, purge, history and the journal's errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.clean.conftest import OLD, make_plan, plan_lines, scan, snapshot, write


def pair(root, copy_mode=0o600):
    """Two copies; a hardlink needs them with one owner and mode (copy_mode=0o644)."""
    write(root / "keep" / "photo.jpg", b"P" * 8192, mtime=OLD)
    write(root / "copy" / "photo.jpg", b"P" * 8192, mtime=OLD + 60, mode=copy_mode)
    return root / "keep" / "photo.jpg", root / "copy" / "photo.jpg"


def test_hardlink_then_undo_gives_an_independent_file(menage, tmp_path):
    keep, copy = pair(tmp_path / "t", copy_mode=0o644)
    original_ino = copy.stat().st_ino
    before = snapshot(tmp_path / "t")
    scan(menage, tmp_path / "t")
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates", "--action", "hardlink")
    assert menage("apply", plan, "--yes").exit_code == 0
    assert copy.stat().st_ino == keep.stat().st_ino and keep.stat().st_nlink == 2
    run = json.loads(menage("history", "--json").stdout)[0]
    assert run["freed"]["bytes"] == 8192 and run["by_action"]["hardlink"]["files"] == 1
    assert menage("undo", "--yes").exit_code == 0
    assert copy.stat().st_ino == original_ino and keep.stat().st_nlink == 1
    assert snapshot(tmp_path / "t") == before


def test_hardlink_undo_after_purge_rebuilds_from_the_kept_copy(menage, tmp_path):
    keep, copy = pair(tmp_path / "t", copy_mode=0o644)
    before = snapshot(tmp_path / "t")
    scan(menage, tmp_path / "t")
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates", "--action", "hardlink")
    menage("apply", plan, "--yes")
    purged = menage("purge", "--all", "--yes")
    assert purged.exit_code == 0 and "Purged 1 item: 8.2 kB freed" in purged.stdout
    assert menage("undo", "--yes").exit_code == 0
    assert copy.stat().st_ino != keep.stat().st_ino
    assert snapshot(tmp_path / "t") == before


def test_reflink_unsupported_says_so(menage, tmp_path, mount_tmpfs):
    disk = mount_tmpfs(tmp_path / "tmpfs", size="4m")
    keep, copy = pair(disk / "t")
    before = snapshot(disk / "t")
    scan(menage, disk / "t")
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates", "--action", "reflink")
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3
    assert "cannot share blocks between files" in result.stderr
    assert "--action hardlink" in result.stderr
    assert snapshot(disk / "t") == before
    assert not any(files for _d, _s, files in os.walk(disk / ".menage-quarantine"))


def test_reflink_on_btrfs(menage, tmp_path, btrfs):
    keep, copy = pair(btrfs / "t")
    original_ino = copy.stat().st_ino
    before = snapshot(btrfs / "t")
    scan(menage, btrfs / "t")
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates", "--action", "reflink")
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 0, result.stderr
    st = copy.stat()
    # a separate file (its own inode, mode and times) sharing the kept copy's blocks
    assert st.st_ino not in (original_ino, keep.stat().st_ino)
    assert st.st_mode & 0o777 == 0o600 and st.st_mtime == OLD + 60
    assert copy.read_bytes() == b"P" * 8192
    assert menage("undo", "--yes").exit_code == 0
    assert copy.stat().st_ino == original_ino
    assert snapshot(btrfs / "t") == before


def test_trash_and_back(tmp_path):
    """Through a real process: send2trash reads the trash location when it is imported."""
    home = tmp_path / "user"
    keep, copy = pair(tmp_path / "user" / "docs")
    before = snapshot(home / "docs")
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "MENAGE_HOME": str(tmp_path / "menage"),
        "MENAGE_LANG": "en",
    }

    def menage(*args):
        return subprocess.run(
            [sys.executable, "-m", "menage", *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
        )

    assert menage("scan", home / "docs").returncode == 0
    assert (
        menage("plan", "--duplicates", "--action", "trash", "-o", tmp_path / "p.json").returncode
        == 0
    )
    assert plan_lines(tmp_path / "p.json")[0]["action"] == "trash"
    result = menage("apply", tmp_path / "p.json", "--yes")
    assert result.returncode == 0, result.stderr
    trash = home / ".local" / "share" / "Trash"
    assert (trash / "files" / "photo.jpg").read_bytes() == b"P" * 8192
    info = (trash / "info" / "photo.jpg.trashinfo").read_text()
    assert f"Path={copy}" in info
    history = json.loads(menage("history", "--json").stdout)
    assert history[0]["by_action"]["trash"]["files"] == 1
    assert menage("purge", "--all", "--yes").stdout.count("Purged") == 0  # the trash is not ours
    undo = menage("undo", "--yes")
    assert undo.returncode == 0, undo.stderr
    assert not (trash / "info" / "photo.jpg.trashinfo").exists()
    assert snapshot(home / "docs") == before


def test_purge_selection_and_refusals(menage, tree, tmp_path, menage_home):
    scan(menage, tree)
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates")
    menage("apply", plan, "--yes")
    assert menage("purge").exit_code == 2, "purging everything must be asked for by name"
    assert menage("purge", "--all").exit_code == 8, "no terminal, no --yes: refused"
    young = menage("purge", "--older-than", "30d", "--yes")
    assert young.exit_code == 0 and "0 quarantined items" in young.stderr
    dry = menage("purge", "--run", "1", "--dry-run")
    assert "4 quarantined items" in dry.stderr and "Nothing was changed" in dry.stdout
    assert menage("purge", "--run", "7", "--yes").exit_code == 1
    result = menage("purge", "--run", "1", "--yes")
    assert result.exit_code == 0
    assert "Purged 4 items: 13.9 kB freed" in result.stdout
    assert not (menage_home / "quarantine" / "run-1").exists()
    nothing = menage("undo", "--yes")
    assert nothing.exit_code == 1 and "nothing to undo" in nothing.stderr
    run = json.loads(menage("history", "--json").stdout)[0]
    assert run["purged_bytes"] == 13900 and run["freed"]["bytes"] == 13900


def test_purge_older_than(menage, tree, tmp_path):
    from menage.clean import Journal, default_journal_path

    scan(menage, tree)
    menage("apply", make_plan(menage, tmp_path / "p.json", "--temp"), "--yes")
    with Journal(default_journal_path()) as journal:
        journal.db.execute("UPDATE actions SET done_at = done_at - 40 * 86400")
    result = menage("purge", "--older-than", "30d", "--yes")
    assert "Purged 2 items" in result.stdout


def test_history_empty_and_details(menage, tree, tmp_path):
    assert "No cleanup yet" in menage("history").stdout
    assert menage("history", "--json").stdout.strip() == "[]"
    scan(menage, tree)
    menage("apply", make_plan(menage, tmp_path / "p.json", "--duplicates", "--temp"), "--yes")
    table = menage("history").stdout
    assert "apply" in table and "done" in table and "13.9 kB" in table or "13.9" in table
    details = menage("history", "1").stdout
    assert "By category" in details and "By finding" in details and "duplicates" in details
    assert menage("history", "5").exit_code == 1


def test_measures_library_function(menage, tree, tmp_path):
    from menage.clean import measures

    scan(menage, tree)
    menage("apply", make_plan(menage, tmp_path / "p.json", "--duplicates"), "--yes")
    m = measures(1)
    assert (m.files, m.bytes, m.state) == (4, 13900, "done")
    assert m.by_finding == {"duplicates": {"files": 4, "bytes": 13900}}
    assert sum(c["bytes"] for c in m.by_category.values()) == 13900


def test_busy_journal(menage, tree, tmp_path):
    from menage.clean import Journal, default_journal_path

    scan(menage, tree)
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates")
    with Journal(default_journal_path()):
        result = menage("apply", plan, "--yes")
        assert result.exit_code == 7
        assert "another Ménage cleanup is running" in result.stderr
        # history still reads, without settling anything
        assert menage("history").exit_code == 0
    assert (tree / "downloads" / "report.pdf").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            b"this is not sqlite at all" * 100, "not a Ménage cleanup journal", id="not-sqlite"
        ),
        pytest.param(None, "not a Ménage cleanup journal", id="other-sqlite"),
    ],
)
def test_foreign_journal_is_never_written(menage, tree, tmp_path, menage_home, content, message):
    import sqlite3

    path = menage_home / "journal.sqlite"
    if content is None:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE mine (x)")
        db.commit()
        db.close()
    else:
        path.write_bytes(content)
    saved = path.read_bytes()
    scan(menage, tree)
    result = menage("apply", make_plan(menage, tmp_path / "p.json", "--duplicates"), "--yes")
    assert result.exit_code == 7
    assert message in result.stderr
    assert path.read_bytes() == saved
