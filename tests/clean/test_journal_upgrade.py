"""A journal written by the Ménage of format 1 is upgraded, and its runs still undo.

The round trips run the v1 code itself, taken from git (``V1_COMMIT`` in
``data/make_v1_journal.py``): it scans, plans and applies a cleanup, moving the files
into its quarantine and writing its journal; the current code then undoes or purges
that run. ``data/v1-journal.sqlite`` is a journal that same script made, for the tests
of the upgrade itself (format, backup, damage, faults).
"""

from __future__ import annotations

import errno
import hashlib
import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.clean.conftest import IN_CI, snapshot

DATA = Path(__file__).parent / "data"
SCRIPT = DATA / "make_v1_journal.py"
REPO = Path(__file__).resolve().parents[2]


class Injected(Exception):
    """The fault the hook raises."""


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_v1_journal", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "This is a bug" not in result.stderr


@pytest.fixture(scope="module")
def v1_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The v1 code, from git."""
    commit = _script().V1_COMMIT
    target = tmp_path_factory.mktemp("v1-code")
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", commit, "src"], capture_output=True
    )
    if archive.returncode != 0:
        message = f"the v1 code (commit {commit}) is not in this checkout's git history"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target / "src"


Snapshot = dict[bytes, tuple[str, int, int, int]]


def relative(snap: Snapshot, root: Path) -> Snapshot:
    base = os.fsencode(root)
    return {os.path.relpath(p, base): v for p, v in snap.items()}


@pytest.fixture
def v1_run(v1_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A run applied by the v1 code: (tree, home, the tree before it)."""
    expected = tmp_path / "expected"
    _script().make_tree(expected)
    before = relative(snapshot(expected), expected)
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, PYTHONPATH=str(v1_source))
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(work)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1", "the v1 code wrote its journal in format 1"
    tree, home = work / "tree", work / "home"
    monkeypatch.setenv("MENAGE_HOME", str(home))
    return tree, home, before


def quarantined_files(home: Path) -> list[Path]:
    return [p for p in (home / "quarantine").rglob("*") if p.is_file()]


@pytest.mark.slow
def test_a_v1_run_is_undone_after_the_upgrade(menage, v1_run):
    tree, home, before = v1_run
    assert relative(snapshot(tree), tree) != before
    assert quarantined_files(home), "the v1 run moved files into its quarantine"
    result = menage("undo", "--yes")
    assert result.exit_code == 0, result.stderr
    assert relative(snapshot(tree), tree) == before, "every byte, mode and time is back"
    assert not quarantined_files(home)
    db = sqlite3.connect(home / "journal.sqlite")
    assert db.execute("PRAGMA user_version").fetchone() == (3,)
    backup = sqlite3.connect(home / "journal-v1-backup.sqlite")
    assert backup.execute("PRAGMA user_version").fetchone() == (1,)


@pytest.mark.slow
def test_a_v1_run_is_purged_after_the_upgrade_then_its_link_undone(menage, v1_run):
    tree, home, before = v1_run
    after_apply = relative(snapshot(tree), tree)
    result = menage("purge", "--all", "--yes")
    assert result.exit_code == 0, result.stderr
    assert not quarantined_files(home)
    assert relative(snapshot(tree), tree) == after_apply
    # the hardlink action is rebuilt from its kept copy, with the original's bytes
    assert menage("undo", "--yes").exit_code == 0
    now = relative(snapshot(tree), tree)
    for name in (b"photos/cat (1).jpg", b"photos/cat.jpg", b"docs/report.pdf"):
        assert now[name] == before[name]
    assert (tree / "photos" / "cat (1).jpg").stat().st_nlink == 1


# -- the upgrade itself, on the journal the v1 code made ----------------------------


@pytest.fixture
def v1_journal(tmp_path: Path) -> Path:
    path = tmp_path / "home" / "journal.sqlite"
    path.parent.mkdir()
    shutil.copyfile(DATA / "v1-journal.sqlite", path)
    return path


def dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump()) + [str(db.execute("PRAGMA user_version").fetchone())]
    finally:
        db.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_upgrade_names_source_reference_and_fingerprint(v1_journal, tmp_path):
    import json

    from menage.clean import Journal

    original = dump(v1_journal)
    with Journal(v1_journal) as journal:
        entries = journal.entries()
        schema = journal.db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert [e.kind for e in entries] == ["quarantine", "quarantine", "hardlink", "quarantine"] + [
        "quarantine"
    ]
    for e in entries:
        assert e.source == "files" and e.ref == e.path
        assert json.loads(e.fingerprint) == {
            "dev": e.dev, "ino": e.ino, "size": e.size, "mtime_ns": e.mtime_ns,
        }  # fmt: skip
    assert dump(v1_journal.with_name("journal-v1-backup.sqlite")) == original
    # the upgraded journal has exactly the tables a new one has
    with Journal(tmp_path / "new" / "journal.sqlite") as fresh:
        made = fresh.db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert schema == made


def test_a_read_only_v1_journal_is_read_upgraded_in_memory(v1_journal):
    from menage.clean import Journal

    before = digest(v1_journal)
    with Journal(v1_journal, read_only=True) as journal:
        assert [e.source for e in journal.entries()] == ["files"] * 5
    assert digest(v1_journal) == before
    assert not v1_journal.with_name("journal-v1-backup.sqlite").exists()


def test_a_damaged_v1_journal_is_refused_and_left_as_it_is(menage, v1_journal, monkeypatch):
    monkeypatch.setenv("MENAGE_HOME", str(v1_journal.parent))
    db = sqlite3.connect(v1_journal)
    # a page of the actions table overwritten: SQLite's own check finds it
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'actions'").fetchone()[0]
    page = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with open(v1_journal, "r+b") as handle:
        handle.seek((root - 1) * page + 8)
        handle.write(b"\xff" * 64)
    before = digest(v1_journal)
    for args in (("history",), ("undo", "--yes"), ("purge", "--all", "--yes")):
        result = menage(*args)
        no_traceback(result)
        assert result.exit_code == 7, result.stderr
        assert "is damaged" in result.stderr and "It was not changed" in result.stderr
    assert digest(v1_journal) == before


def test_a_v1_row_menage_never_wrote_is_refused(menage, v1_journal, monkeypatch):
    monkeypatch.setenv("MENAGE_HOME", str(v1_journal.parent))
    db = sqlite3.connect(v1_journal)
    with db:
        db.execute("UPDATE actions SET kind = 'z?z' WHERE id = 2")
    db.close()
    before = dump(v1_journal)
    result = menage("undo", "--yes")
    no_traceback(result)
    assert result.exit_code == 7
    assert "is damaged (action 2: unknown action 'z?z')" in result.stderr
    assert dump(v1_journal) == before, "rolled back: still format 1, every row as it was"


def test_a_crash_during_the_upgrade_leaves_format_1(v1_journal, at_hook):
    from menage.clean import Journal

    before = dump(v1_journal)

    def crash(_path: bytes) -> None:
        raise Injected("killed")

    at_hook("journal.upgrade", crash)
    with pytest.raises(Injected):
        Journal(v1_journal)
    assert dump(v1_journal) == before
    with Journal(v1_journal) as journal:  # the next command upgrades it
        assert len(journal.entries()) == 5
    assert dump(v1_journal) != before


def test_an_upgrade_that_cannot_be_written_is_refused(menage, v1_journal, monkeypatch, at_hook):
    monkeypatch.setenv("MENAGE_HOME", str(v1_journal.parent))
    before = dump(v1_journal)

    def full(_path: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    at_hook("journal.upgrade", full)
    result = menage("undo", "--yes")
    no_traceback(result)
    assert result.exit_code == 7
    assert "is in format 1 and must be upgraded to format 3" in result.stderr
    assert "no space left on the device" in result.stderr and "It was not changed" in result.stderr
    assert dump(v1_journal) == before


def test_an_upgrade_on_a_full_disk_is_refused(menage, tmp_path, mount_tmpfs, monkeypatch):
    home = mount_tmpfs(tmp_path / "small", size="256k")
    journal = home / "journal.sqlite"
    shutil.copyfile(DATA / "v1-journal.sqlite", journal)
    before = dump(journal)
    filler = home / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with pytest.raises(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)
    monkeypatch.setenv("MENAGE_HOME", str(home))
    result = menage("history")
    no_traceback(result)
    assert result.exit_code == 7, result.stderr
    assert "must be upgraded to format 3" in result.stderr
    filler.unlink()
    assert dump(journal) == before


def test_a_journal_of_a_newer_format_is_refused(menage, menage_home):
    from menage.clean import Journal

    with Journal(menage_home / "journal.sqlite") as journal:
        journal.db.execute("PRAGMA user_version=4")
    result = menage("history")
    no_traceback(result)
    assert result.exit_code == 7
    assert "written by a newer Ménage (format 4, this version reads up to 3)" in result.stderr
