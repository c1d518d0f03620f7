"""The "Messages" of issue #8: what Ménage says when its state cannot be used.

A read-only data folder, a journal cut to zero bytes or damaged by random bytes, an
inode number reused after a purge, and a purge on a full disk: a clear message and
an exit code, never a traceback, never a silent loss.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.clean.conftest import OLD, make_plan, plan_lines, scan, write


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "This is a bug" not in result.stderr


@pytest.fixture
def applied(menage, tmp_path, menage_home):
    """A run that moved two files, and a second plan not applied yet."""
    root = tmp_path / "t"
    write(root / "k1", b"1" * 3000, mtime=OLD)
    write(root / "x1", b"1" * 3000, mtime=OLD + 5)
    write(root / "junk.tmp", b"t" * 100)
    scan(menage, root)
    first = make_plan(menage, tmp_path / "first", "--duplicates")
    assert menage("apply", first, "--yes").exit_code == 0
    second = make_plan(menage, tmp_path / "second", "--temp")
    assert len(plan_lines(second)) == 1
    return root, second


def test_a_read_only_data_folder_is_said_so(menage, tmp_path, mount_tmpfs, monkeypatch):
    home = mount_tmpfs(tmp_path / "home", size="8m")
    monkeypatch.setenv("MENAGE_HOME", str(home))
    root = tmp_path / "t"
    write(root / "k1", b"1" * 3000, mtime=OLD)
    write(root / "x1", b"1" * 3000, mtime=OLD + 5)
    write(root / "junk.tmp", b"t" * 100)
    scan(menage, root)
    assert (
        menage("apply", make_plan(menage, tmp_path / "a", "--duplicates"), "--yes").exit_code == 0
    )
    second = make_plan(menage, tmp_path / "b", "--temp")
    done = subprocess.run(["mount", "-o", "remount,ro", str(home)], capture_output=True)
    assert done.returncode == 0, done.stderr
    for args in (("apply", second, "--yes"), ("undo", "--yes"), ("purge", "--all", "--yes")):
        result = menage(*args)
        no_traceback(result)
        assert result.exit_code == 7, result.stderr
        assert "cannot be written" in result.stderr and f"Make {home} writable" in result.stderr
    rescan = menage("scan", root)
    no_traceback(rescan)
    assert rescan.exit_code == 4
    assert "read-only" in rescan.stderr and "damaged" not in rescan.stderr
    history = menage("history", "--json")
    assert history.exit_code == 0, history.stderr
    assert json.loads(history.stdout)[0]["freed"]["files"] == 1
    assert (root / "junk.tmp").exists()


def test_a_data_folder_that_cannot_be_made_is_said_so(menage, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("MENAGE_HOME", str(blocker / "menage"))
    result = menage("history")
    no_traceback(result)
    assert result.exit_code == 1
    assert "cannot be created" in result.stderr and "MENAGE_HOME" in result.stderr


@pytest.mark.parametrize(
    "command", [("history",), ("undo", "--yes"), ("purge", "--all", "--yes"), ("apply",)]
)
def test_a_journal_cut_to_zero_bytes_is_refused(menage, applied, menage_home, command):
    _root, second = applied
    journal = menage_home / "journal.sqlite"
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{journal}{suffix}")
        if path.exists():
            path.unlink()
    journal.write_bytes(b"")
    args = (*command, second, "--yes") if command == ("apply",) else command
    result = menage(*args)
    no_traceback(result)
    assert result.exit_code == 7, result.stderr
    assert "is empty (0 bytes)" in result.stderr
    assert f"mv {journal} {journal}.empty" in result.stderr
    assert journal.stat().st_size == 0, "never silently made again"
    stashed = list((menage_home / "quarantine").rglob("x1"))
    assert stashed and stashed[0].read_bytes() == b"1" * 3000


@pytest.mark.parametrize("seed", range(12))
def test_random_bytes_in_the_journal_are_damage(menage, applied, menage_home, seed):
    journal = menage_home / "journal.sqlite"
    size = journal.stat().st_size
    rng = random.Random(seed)
    with open(journal, "r+b") as handle:
        # a run of random bytes somewhere past the header (the header is checked apart)
        start = rng.randrange(100, size - 64)
        handle.seek(start)
        handle.write(rng.randbytes(rng.choice([8, 64, 512, 4096])))
    for args in (("history",), ("undo", "--yes"), ("purge", "--all", "--yes")):
        result = menage(*args)
        no_traceback(result)
        assert "no cleanup run" not in result.stderr
        assert result.exit_code in (0, 3, 7), result.stderr
        if result.exit_code == 7:
            assert "damaged" in result.stderr or "not a Ménage" in result.stderr


def test_a_value_menage_never_writes_is_damage(menage, applied, menage_home):
    db = sqlite3.connect(menage_home / "journal.sqlite")
    with db:
        db.execute("UPDATE actions SET kind = 'z?z'")
    db.close()
    result = menage("undo", "--yes")
    assert result.exit_code == 7
    assert "is damaged (action 1: unknown action 'z?z')" in result.stderr


def test_an_unexpected_sqlite_error_is_a_bug_not_damage(applied, menage_home):
    from menage.clean import Journal

    with Journal(menage_home / "journal.sqlite") as journal:
        with pytest.raises(sqlite3.OperationalError, match="no such column"):
            journal.set_run(1, no_such_column=1)


def test_an_inode_number_reused_after_a_purge_is_another_file(menage, applied, menage_home):
    root, _second = applied
    assert menage("purge", "--all", "--yes").exit_code == 0
    write(root / "x1", b"2" * 3000, mtime=OLD + 50)
    write(root / "k2", b"2" * 3000, mtime=OLD)
    scan(menage, root)
    plan = make_plan(menage, menage_home.parent / "again", "--duplicates")
    new = (root / "x1").stat()
    # the freed inode number now belongs to the new x1 (as ext4 often does)
    db = sqlite3.connect(menage_home / "journal.sqlite")
    with db:
        db.execute(
            "UPDATE actions SET dev = ?, ino = ? WHERE path = ?",
            (new.st_dev, new.st_ino, os.fsencode(root / "x1")),
        )
    db.close()
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "already moved" not in result.stderr
    assert not (root / "x1").exists()


def test_the_same_plan_again_says_which_run_applied_it(menage, applied, tmp_path):
    result = menage("apply", tmp_path / "first", "--yes")
    assert result.exit_code == 3
    assert "already applied by run 1" in result.stderr


def _fill(folder: Path) -> None:
    with open(folder / "filler", "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass


def test_purge_runs_on_a_full_disk(menage, tmp_path, mount_tmpfs, monkeypatch):
    # room for the tree, the index (64 KiB pages) and the journal's reserve, which is
    # kept only while 2 MB are free
    disk = mount_tmpfs(tmp_path / "disk", size="4m")
    home = disk / "home"
    monkeypatch.setenv("MENAGE_HOME", str(home))
    root = disk / "tree"
    for n in range(8):
        write(root / "a" / f"f{n}", bytes([n]) * 40_000, mtime=OLD)
        write(root / "b" / f"f{n}", bytes([n]) * 40_000, mtime=OLD + 5)
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "p", "--duplicates")
    assert menage("apply", plan, "--yes").exit_code == 0
    assert (home / "journal.sqlite.reserve").exists(), "a reserve is kept beside the journal"
    _fill(disk)
    result = menage("purge", "--all", "--yes")
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert "Purged 8 items: 320 kB freed" in result.stdout
    assert not list((home / "quarantine").rglob("f*"))
    (disk / "filler").unlink()
    assert menage("history").exit_code == 0
