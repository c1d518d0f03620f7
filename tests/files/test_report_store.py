"""The report stored in two parts: a rescan of an unchanged tree takes the lists as they
are, prints exactly what encoding them again gives, and any change makes them again."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from menage._jsonstream import write_json
from menage.errors import IndexCorrupted
from menage.files.document import scan_summary
from menage.files.index import SCHEMA_VERSION, Index
from menage.files.result import YEAR_S, ScanResult
from menage.files.scan import ScanOptions, scan
from menage.i18n import speaking
from menage.report.json import write_scan_json
from tests.files.trees import sample_tree, write

NOW = time.time()
#: a file that becomes old (3 years) one hour after NOW
TURNING = NOW - 3 * YEAR_S + 3600


def printed(result: ScanResult) -> str:
    """What ``menage scan --json`` prints (the bytes kept while the index stored them)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    write_scan_json(result, out)
    return out.buffer.getvalue().decode("ascii")


def encoded(result: ScanResult) -> str:
    """The same document encoded anew, whole."""
    text = io.StringIO()
    write_json(scan_summary(result), text.write, 0)
    return text.getvalue() + "\n"


def lists_of(index: Index, scan_id: int | None) -> int:
    row = index.db.execute("SELECT lists FROM scans WHERE id = ?", (scan_id,)).fetchone()
    return int(row[0])


def rows(index: Index) -> int:
    return int(index.db.execute("SELECT count(*) FROM report_lists").fetchone()[0])


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    sample_tree(root)
    write(root, "old/\xc3\xa9\xff.txt".encode("latin-1"), b"o" * 10, mtime=NOW - 5 * YEAR_S)
    write(root, "old/soon.txt", b"s" * 7, mtime=TURNING)
    for n in range(30):  # long lists: the core's encoder
        write(root, f"many/{n}.tmp", b"%d" % n, mtime=NOW - 4 * YEAR_S)
    return root


def test_unchanged_rescan_reuses_the_lists_and_prints_the_same_bytes(tmp_path, tree):
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([tree], index=index, keep_json=True, now=NOW)
        first_text, first_again = printed(first), encoded(first)
        second = scan([tree], index=index, keep_json=True, now=NOW + 60)
        assert lists_of(index, second.scan_id) == lists_of(index, first.scan_id)
        assert rows(index) == 1
        second_text = printed(second)
        assert second_text == encoded(second)
        assert first_text == first_again
        # the index gives back each scan's whole report, lists included
        assert index.scan_report(second.scan_id) == json.loads(second_text)
        assert index.scan_report(first.scan_id) == json.loads(first_text)
        assert len(index.scan_report(first.scan_id)["old_files"]["items"]) == 31
    # only the header differs between the two
    header = ('"scan_id"', '"started"', '"duration_s"')
    assert [line for line in first_text.splitlines() if not line.lstrip().startswith(header)] == [
        line for line in second_text.splitlines() if not line.lstrip().startswith(header)
    ]


def _touch(root: Path) -> None:
    os.utime(root / "docs" / "b.txt", ns=(0, 10**18))


def _add(root: Path) -> None:
    write(root, "docs/new.txt", b"new")


def _remove(root: Path) -> None:
    (root / "docs" / "b.txt").unlink()


def _folder(root: Path) -> None:
    (root / "another empty folder").mkdir()


def _grow(root: Path) -> None:
    path = root / "docs" / "b.txt"
    stat = path.stat()
    path.write_bytes(path.read_bytes() + b"!")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


CHANGES: dict[str, Callable[[Path], None]] = {
    "touched": _touch,
    "added": _add,
    "removed": _remove,
    "new folder": _folder,
    "same date, other size": _grow,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_tree_makes_the_lists_again(tmp_path, tree, change, monkeypatch):
    made = encoding_lists(monkeypatch)
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([tree], index=index, keep_json=True, now=NOW)
        printed(first)
        CHANGES[change](tree)
        made.clear()
        second = scan([tree], index=index, keep_json=True, now=NOW)
        assert "duplicates" in made and "old_files" in made
        assert lists_of(index, second.scan_id) != lists_of(index, first.scan_id)
        assert printed(second) == encoded(second)
        # and the scan after that takes the new lists
        third = scan([tree], index=index, keep_json=True, now=NOW)
        assert lists_of(index, third.scan_id) == lists_of(index, second.scan_id)
        assert printed(third) == encoded(third)


@pytest.mark.parametrize(
    "options",
    [
        ScanOptions(top=3),
        ScanOptions(older_than_s=YEAR_S),
        ScanOptions(depth=2),
        ScanOptions(excludes=("many",)),
        ScanOptions(min_size=5),
    ],
)
def test_other_options_make_the_lists_again(tmp_path, tree, options):
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([tree], index=index, now=NOW)
        second = scan([tree], options, index=index, keep_json=True, now=NOW)
        assert lists_of(index, second.scan_id) != lists_of(index, first.scan_id)
        assert printed(second) == encoded(second)


def test_another_language_makes_the_lists_again(tmp_path, tree):
    with Index(tmp_path / "index.sqlite") as index:
        with speaking("en"):
            first = scan([tree], index=index, now=NOW)
        with speaking("fr"):
            second = scan([tree], index=index, keep_json=True, now=NOW)
            assert printed(second) == encoded(second)
        assert lists_of(index, second.scan_id) != lists_of(index, first.scan_id)


def encoding_lists(monkeypatch) -> list[str | None]:
    """The names of the lists encoded from now on (not taken as stored)."""
    import menage.files.document as document
    from menage._jsonstream import Lazy

    made: list[str | None] = []
    real = write_json

    def spy(value, *args, **kwargs):
        if isinstance(value, Lazy):
            made.append(value.name)
        return real(value, *args, **kwargs)

    monkeypatch.setattr(document, "write_json", spy)
    return made


def test_the_clock_crossing_an_age_limit_makes_the_old_files_again(tmp_path, tree, monkeypatch):
    made = encoding_lists(monkeypatch)
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([tree], index=index, now=NOW)
        assert first.findings["old_files"].totals().count == 31
        before = scan([tree], index=index, keep_json=True, now=NOW + 3599)
        assert lists_of(index, before.scan_id) == lists_of(index, first.scan_id)
        assert printed(before) == encoded(before)
        assert "duplicates" in made
        made.clear()
        after = scan([tree], index=index, keep_json=True, now=NOW + 3601)
        assert made == ["old_files"]  # the other lists are taken as they are
        assert after.findings["old_files"].totals().count == 32
        assert lists_of(index, after.scan_id) != lists_of(index, first.scan_id)
        assert printed(after) == encoded(after)
        # and stored again with it
        made.clear()
        later = scan([tree], index=index, keep_json=True, now=NOW + 3602)
        assert made == []
        assert lists_of(index, later.scan_id) == lists_of(index, after.scan_id)
        assert printed(later) == encoded(later)


def test_the_clock_going_back_makes_the_old_files_again(tmp_path, tree, monkeypatch):
    made = encoding_lists(monkeypatch)
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([tree], index=index, now=NOW + 3601)
        assert first.findings["old_files"].totals().count == 32
        made.clear()
        back = scan([tree], index=index, keep_json=True, now=NOW)
        assert made == ["old_files"]
        assert back.findings["old_files"].totals().count == 31
        assert lists_of(index, back.scan_id) != lists_of(index, first.scan_id)
        assert printed(back) == encoded(back)
        # even back by a second, across no file's date: made again
        made.clear()
        again = scan([tree], index=index, keep_json=True, now=NOW - 1)
        assert made == ["old_files"]
        assert lists_of(index, again.scan_id) != lists_of(index, back.scan_id)
        assert printed(again) == encoded(again)


def test_damaged_lists_are_made_again_and_their_scan_reported_damaged(tmp_path, tree):
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([tree], index=index, now=NOW)
        index.db.execute("UPDATE report_lists SET texts = substr(texts, 1, length(texts) - 9)")
        second = scan([tree], index=index, keep_json=True, now=NOW)
        assert lists_of(index, second.scan_id) != lists_of(index, first.scan_id)
        assert printed(second) == encoded(second)
        with pytest.raises(IndexCorrupted):
            index.scan_report(first.scan_id)
        index.db.execute("DELETE FROM report_lists WHERE id = ?", (lists_of(index, first.scan_id),))
        with pytest.raises(IndexCorrupted):
            index.scan_report(first.scan_id)
        assert index.scan_report(second.scan_id)["scan_id"] == second.scan_id


def test_lists_go_with_the_listing_chunks(tmp_path, tree):
    """A scan of a subfolder rewrites the listing there: the whole tree's lists are no
    longer known to be its own, even if the tree did not change."""
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([tree], index=index, now=NOW)
        scan([tree / "docs"], index=index, now=NOW)
        again = scan([tree], index=index, keep_json=True, now=NOW)
        assert lists_of(index, again.scan_id) != lists_of(index, first.scan_id)
        assert printed(again) == encoded(again)


def test_photos_never_reuse(tmp_path, tree):
    pytest.importorskip("PIL")
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([tree], ScanOptions(photos=True), index=index, now=NOW)
        second = scan([tree], ScanOptions(photos=True), index=index, now=NOW)
        assert lists_of(index, second.scan_id) != lists_of(index, first.scan_id)


FORMAT_3 = """
CREATE TABLE files (path BLOB PRIMARY KEY, dev INTEGER NOT NULL, ino INTEGER NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, nlink INTEGER NOT NULL,
    uid INTEGER NOT NULL, head BLOB, tail BLOB, full BLOB) WITHOUT ROWID;
CREATE TABLE scans (id INTEGER PRIMARY KEY, started TEXT NOT NULL,
    duration_s REAL NOT NULL, roots TEXT NOT NULL, complete INTEGER NOT NULL,
    files INTEGER NOT NULL, bytes INTEGER NOT NULL, groups INTEGER NOT NULL,
    redundant_files INTEGER NOT NULL, redundant_bytes INTEGER NOT NULL,
    report BLOB NOT NULL);
CREATE TABLE listing_chunks (roots BLOB NOT NULL, seq INTEGER NOT NULL,
    total INTEGER NOT NULL, count INTEGER NOT NULL, paths BLOB NOT NULL,
    numbers BLOB NOT NULL, digests BLOB NOT NULL, known BLOB NOT NULL,
    PRIMARY KEY (roots, seq)) WITHOUT ROWID;
"""


def test_an_index_of_format_3_is_upgraded_and_its_reports_still_read(tmp_path, tree):
    from menage.files.index import APPLICATION_ID

    path = tmp_path / "index.sqlite"
    old_report = {
        "schema": 1,
        "scan_id": 1,
        "started": "2026-01-01T00:00:00+00:00",
        "roots": [str(tree)],
        "options": {"older_than_s": 3 * YEAR_S},
        "duplicates": {"count": 0, "items": []},
        "old_files": {"count": 0, "older_than_s": 3 * YEAR_S, "items": [], "items_omitted": True},
    }
    with closing(sqlite3.connect(path)) as db:
        db.executescript(FORMAT_3)
        db.execute(
            "INSERT INTO scans VALUES "
            "(1, '2026-01-01T00:00:00+00:00', 1.0, ?, 1, 0, 0, 0, 0, 0, ?)",
            (json.dumps([str(tree)]), zlib.compress(json.dumps(old_report).encode())),
        )
        db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        db.execute("PRAGMA user_version=3")
        db.commit()
    with Index(path) as index:
        assert index.db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        report = index.scan_report(1)
        assert report["old_files"]["items"] == []
        assert "items_omitted" not in report["old_files"]
        first = scan([tree], index=index, keep_json=True, now=NOW)
        assert printed(first) == encoded(first)
        second = scan([tree], index=index, keep_json=True, now=NOW)
        assert lists_of(index, second.scan_id) == lists_of(index, first.scan_id)
        assert printed(second) == encoded(second)
        assert [s.id for s in index.scans()] == [1, 2, 3]


def _row(index: Index, lists_id: int) -> tuple[list[int | None], int | None, int]:
    lengths, base, size = index.db.execute(
        "SELECT lengths, base, length(texts) FROM report_lists WHERE id = ?", (lists_id,)
    ).fetchone()
    return json.loads(lengths), base, size


def test_after_a_crossing_only_the_old_files_are_stored_the_rest_is_the_base_row(tmp_path, tree):
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([tree], index=index, now=NOW)
        full = lists_of(index, first.scan_id)
        after = scan([tree], index=index, keep_json=True, now=NOW + 3601)
        assert printed(after) == encoded(after)
        lengths, base, size = _row(index, lists_of(index, after.scan_id))
        assert base == full
        kept = [n for n in lengths if n is not None]
        assert len(kept) == 1 and size < _row(index, full)[2]  # the old files' list only
        # back before the crossing, then after it again: each row's base is the full one
        back = scan([tree], index=index, keep_json=True, now=NOW)
        assert printed(back) == encoded(back)
        assert _row(index, lists_of(index, back.scan_id))[1] == full
        again = scan([tree], index=index, keep_json=True, now=NOW + 3601)
        assert printed(again) == encoded(again)
        assert _row(index, lists_of(index, again.scan_id))[1] == full
        # every scan's report reads back whole, its own old files included
        for result, old in ((first, 31), (after, 32), (back, 31), (again, 32)):
            report = index.scan_report(result.scan_id)
            assert report["scan_id"] == result.scan_id
            assert len(report["old_files"]["items"]) == old
        assert (
            index.scan_report(after.scan_id)["duplicates"]
            == index.scan_report(first.scan_id)["duplicates"]
        )
        # a damaged base: the rows standing on it are made again
        index.db.execute("UPDATE report_lists SET texts = x'00' WHERE id = ?", (full,))
        with pytest.raises(IndexCorrupted):
            index.scan_report(again.scan_id)
        remade = scan([tree], index=index, keep_json=True, now=NOW + 3602)
        assert printed(remade) == encoded(remade)
        assert _row(index, lists_of(index, remade.scan_id))[1] is None


def test_the_lists_go_through_a_temporary_file_and_are_stored_whole(tmp_path):
    """A million files' lists take 65 MB compressed: the writer keeps them in an unnamed
    temporary file and the index copies them block by block; what is read back is what
    was written, over several blocks, with the checksum of the whole."""
    import random
    import sqlite3

    from menage.files import report_store

    noise = random.Random(10).randbytes(3 * report_store.BLOCK)  # does not compress
    texts = [noise, b"[]", b'["\\u00e9"]' * 100_000]
    writer = report_store.ListsWriter()
    for text in texts:
        writer.write(text)
    with closing(sqlite3.connect(tmp_path / "lists.sqlite")) as db:
        db.executescript(report_store.SCHEMA)
        row = report_store.store_lists(db, [len(t) for t in texts], writer)
        assert b"".join(writer.texts()) == b"".join(texts)  # the file kept until closed
        writer.close()
        assert writer.size > 3 * report_store.BLOCK  # several blocks
        assert report_store.read_lists(db, row) == texts
        stored = db.execute("SELECT texts, checksum FROM report_lists").fetchone()
        assert report_store.CHECKSUM(stored[0]).digest() == stored[1]


@pytest.mark.parametrize("read", [7, 4096, 1 << 22])
def test_stored_lists_are_read_as_they_are_taken_over_any_cut(tmp_path, tree, monkeypatch, read):
    """A rescan reads the stored text a few megabytes at a time while it prints it (a
    million files' lists are 65 MB compressed): blocks straddling two reads, or a read
    of a few bytes, print the same document; its own connection closes once printed."""
    from menage.files import report_store

    monkeypatch.setattr(report_store, "BLOCK", 256)  # many blocks, each read in pieces
    monkeypatch.setattr(report_store, "READ", read)
    opened: list[sqlite3.Connection] = []
    real = report_store._read_only

    def read_only(path: Path) -> sqlite3.Connection:
        opened.append(real(path))
        return opened[-1]

    monkeypatch.setattr(report_store, "_read_only", read_only)
    with Index(tmp_path / "index.sqlite") as index:
        scan([tree], index=index, now=NOW)
        for later in (NOW + 60, NOW + 3601, NOW + 3700):  # reused, crossing, reused
            result = scan([tree], index=index, keep_json=True, now=later)
            assert opened and _open(opened[-1])  # read when printed, not before
            assert printed(result) == encoded(result)
            assert not _open(opened[-1])
        # not printed: closed as soon as the scan is stored
        scan([tree], index=index, now=NOW + 3800)
        assert not any(map(_open, opened)) and len(opened) == 4


def _open(connection: sqlite3.Connection) -> bool:
    try:
        connection.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return False
    return True


def test_a_stored_text_cut_short_after_its_check_stops_the_printing(tmp_path, tree):
    """The stored text is checked whole before it is used, then read as it is printed;
    a row shorter than it was when read raises rather than printing less."""
    from menage.files import report_store

    with Index(tmp_path / "index.sqlite") as index:
        scan([tree], index=index, now=NOW)
        (size,) = index.db.execute("SELECT length(texts) FROM report_lists").fetchone()
        with pytest.raises(ValueError, match="stored lists"):
            list(report_store._blob_blocks(index.db, 1, size + 10))
        with pytest.raises(ValueError, match="stored lists"):
            list(report_store._blob_blocks(index.db, 99, size))
        assert b"".join(report_store._blob_blocks(index.db, 1, size))


def test_a_new_index_has_large_pages_and_an_old_one_keeps_its_own(tmp_path, tree):
    """The report's lists and the listing are large blobs, read a page at a time: a new
    index takes 64 KiB pages; an index made with SQLite's 4 KiB default keeps them, and
    both serve a rescan alike. Either way the page cache stays 2 MB."""
    from menage.files.index import PAGE_SIZE

    old = tmp_path / "old.sqlite"
    with closing(sqlite3.connect(old)) as db:
        db.execute("PRAGMA page_size=4096")
        db.execute("VACUUM")
    texts = []
    for path, size in ((tmp_path / "new.sqlite", PAGE_SIZE), (old, 4096)):
        with Index(path) as index:
            assert index.db.execute("PRAGMA page_size").fetchone()[0] == size
            assert index.db.execute("PRAGMA cache_size").fetchone()[0] == -2000
            scan([tree], index=index, now=NOW)
            again = scan([tree], index=index, keep_json=True, now=NOW + 3601)
            texts.append(printed(again))
            assert texts[-1] == encoded(again)
    assert [json.loads(t)["old_files"] for t in texts] == [json.loads(texts[0])["old_files"]] * 2
