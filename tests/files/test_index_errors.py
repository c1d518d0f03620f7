"""What the index says when SQLite fails: a damaged file is the user's problem, with a
way out; a mistake in our SQL is a bug, with its traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from menage.errors import IndexCorrupted
from menage.files.index import Index
from menage.files.scan import scan
from tests.files.trees import sample_tree


def test_a_mistake_in_our_sql_is_a_bug(tmp_path: Path):
    with Index(tmp_path / "index.sqlite") as index:
        with pytest.raises(sqlite3.OperationalError, match="no such column"), index._guard():
            index.db.execute("SELECT no_such_column FROM scans")
        with pytest.raises(sqlite3.ProgrammingError), index._guard():
            index.db.execute("SELECT ?", (1, 2))
    # using the index after closing it is a bug too, not a damaged file
    with pytest.raises(sqlite3.ProgrammingError):
        index.scans()


def test_a_damaged_file_says_so(tmp_path: Path):
    sample_tree(tmp_path / "tree")
    path = tmp_path / "index.sqlite"
    with Index(path) as index:
        scan([tmp_path / "tree"], index=index)
    size = path.stat().st_size
    assert size >= 3 * 4096
    with open(path, "r+b") as handle:
        # past the header page: SQLite opens the file, then finds its pages garbled
        handle.seek(4096)
        handle.write(b"\xa5" * (size - 4096))
    with pytest.raises(IndexCorrupted) as caught:
        with Index(path) as index:
            index.scans()
            index.scan_report()
    assert "--rebuild-index" in caught.value.message
