"""A journal of format 2 (an action's path required) is upgraded to format 3 (a message
on a server has no path), and a run made by the format 2 code still undoes.

The round trip runs the format 2 code itself, taken from git (``V2_COMMIT`` in
``data/make_v1_journal.py``, the script that drives any version through its command
line); ``data/v2-journal.sqlite`` is a journal it made, for the upgrade itself.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clean.conftest import IN_CI, snapshot
from tests.clean.test_journal_upgrade import (
    DATA,
    REPO,
    SCRIPT,
    Injected,
    _script,
    dump,
    quarantined_files,
    relative,
)


@pytest.fixture(scope="module")
def v2_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    commit = _script().V2_COMMIT
    target = tmp_path_factory.mktemp("v2-code")
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", commit, "src"], capture_output=True
    )
    if archive.returncode != 0:
        message = f"the v2 code (commit {commit}) is not in this checkout's git history"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target / "src"


@pytest.mark.slow
def test_a_v2_run_is_undone_after_the_upgrade(menage, v2_source, tmp_path, monkeypatch):
    expected = tmp_path / "expected"
    _script().make_tree(expected)
    before = relative(snapshot(expected), expected)
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, PYTHONPATH=str(v2_source))
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(work)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2", "the v2 code wrote its journal in format 2"
    tree, home = work / "tree", work / "home"
    monkeypatch.setenv("MENAGE_HOME", str(home))
    assert relative(snapshot(tree), tree) != before
    result = menage("undo", "--yes")
    assert result.exit_code == 0, result.stderr
    assert relative(snapshot(tree), tree) == before
    assert not quarantined_files(home)
    db = sqlite3.connect(home / "journal.sqlite")
    assert db.execute("PRAGMA user_version").fetchone() == (3,)
    backup = sqlite3.connect(home / "journal-v2-backup.sqlite")
    assert backup.execute("PRAGMA user_version").fetchone() == (2,)


@pytest.fixture
def v2_journal(tmp_path: Path) -> Path:
    path = tmp_path / "home" / "journal.sqlite"
    path.parent.mkdir()
    shutil.copyfile(DATA / "v2-journal.sqlite", path)
    return path


def _rows(path: Path) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT * FROM actions ORDER BY id").fetchall()
    finally:
        db.close()


def test_the_upgrade_keeps_every_row_and_lets_a_path_be_empty(v2_journal, tmp_path):
    from menage.clean import Journal

    original = dump(v2_journal)
    rows = _rows(v2_journal)
    with Journal(v2_journal) as journal:
        entries = journal.entries()
        schema = journal.db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
        notnull = {r[1]: r[3] for r in journal.db.execute("PRAGMA table_info(actions)")}
    assert len(entries) == len(rows) == 5
    assert all(e.source == "files" and e.ref == e.path for e in entries)
    assert _rows(v2_journal) == rows  # the same values, column for column
    assert notnull["path"] == 0 and notnull["ref"] == 1
    assert dump(v2_journal.with_name("journal-v2-backup.sqlite")) == original
    with Journal(tmp_path / "new" / "journal.sqlite") as fresh:
        made = fresh.db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert schema == made


def test_a_crash_during_the_upgrade_leaves_format_2(v2_journal, at_hook):
    from menage.clean import Journal

    before = dump(v2_journal)

    def crash(_path: bytes) -> None:
        raise Injected("killed during the upgrade")

    at_hook("journal.upgrade", crash)
    with pytest.raises(Injected):
        Journal(v2_journal)
    assert dump(v2_journal) == before
    with Journal(v2_journal) as journal:  # the next command upgrades it
        assert len(journal.entries()) == 5
    assert sqlite3.connect(v2_journal).execute("PRAGMA user_version").fetchone() == (3,)


def test_a_read_only_v2_journal_is_read_upgraded_in_memory(v2_journal):
    from menage.clean import Journal

    before = dump(v2_journal)
    with Journal(v2_journal, read_only=True) as journal:
        assert [e.source for e in journal.entries()] == ["files"] * 5
    assert dump(v2_journal) == before
    assert not v2_journal.with_name("journal-v2-backup.sqlite").exists()


def test_a_mail_action_without_a_path_is_read_back(menage_home):
    """Format 3 holds what format 2 could not: an IMAP action with no path."""
    from menage.clean import Journal

    with Journal(menage_home / "journal.sqlite") as journal:
        run = journal.start_entries(
            "d" * 64, [], "mail clean",
            [{"source": "imap", "kind": "move", "finding": "sender", "category": "mail",
              "ref": b'{"folder": "INBOX", "uid": 3}', "size": 10,
              "fingerprint": '{"source": "imap://a@127.0.0.1:143/"}'}],
        )  # fmt: skip
        (entry,) = journal.entries(run.id)
    assert entry.path is None and entry.source == "imap"
