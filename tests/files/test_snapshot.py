"""The listing's columns (menage.files.snapshot): a rescan of an unchanged tree reads
them instead of the rows and writes nothing back; any change falls back to the rows."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing

import pytest

from menage.files import chunk_rows, snapshot
from menage.files.document import StoredDocument
from menage.files.index import SCHEMA_VERSION, Index
from menage.files.listing import read_cached
from menage.files.scan import scan
from tests.files.trees import sample_tree, write

LOG = """
CREATE TABLE IF NOT EXISTS written (what TEXT);
CREATE TRIGGER IF NOT EXISTS files_insert AFTER INSERT ON files
    BEGIN INSERT INTO written VALUES ('insert'); END;
CREATE TRIGGER IF NOT EXISTS files_update AFTER UPDATE ON files
    BEGIN INSERT INTO written VALUES ('update'); END;
CREATE TRIGGER IF NOT EXISTS files_delete AFTER DELETE ON files
    BEGIN INSERT INTO written VALUES ('delete'); END;
CREATE TRIGGER IF NOT EXISTS chunks_insert AFTER INSERT ON listing_chunks
    BEGIN INSERT INTO written VALUES ('chunk'); END;
CREATE TRIGGER IF NOT EXISTS chunks_delete AFTER DELETE ON listing_chunks
    BEGIN INSERT INTO written VALUES ('chunk-delete'); END;
"""


def writes(index: Index) -> list[str]:
    """What was written to the listing since the last call (SQLite triggers record it)."""
    found = [row[0] for row in index.db.execute("SELECT what FROM written")]
    index.db.execute("DELETE FROM written")
    return found


def groups(result, root) -> set[frozenset[str]]:
    base = os.fsencode(root) + b"/"
    return {
        frozenset(os.fsdecode(result.tree.paths[i].removeprefix(base)) for i in group.files)
        for group in result.duplicates.groups
    }


@pytest.fixture
def tree_with_links(tmp_path):
    root = tmp_path / "tree"
    sample_tree(root)
    write(root, "big/a.bin", b"x" * 300_000)
    write(root, "big/b.bin", b"x" * 300_000)
    os.link(root / "big/a.bin", root / "big/a-link.bin")
    write(root, b"name-\xff", b"z" * 10)
    return root


@pytest.mark.parametrize("engine", ["python", "native"])
def test_unchanged_tree_is_read_from_columns_and_nothing_is_written(
    tmp_path, tree_with_links, monkeypatch, engine
):
    monkeypatch.setenv("MENAGE_ENGINE", engine)
    root = tree_with_links
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([root], index=index)
        index.db.executescript(LOG)
        second = scan([root], index=index)
        assert second.duplicates.files_read == 0
        assert groups(second, root) == groups(first, root)
        assert writes(index) == []  # nothing but the scan record
        assert [s.id for s in index.scans()] == [1, 2]
        # the columns say what the rows say
        digests, listing = index.cached(second.tree)
        assert listing.snapshot is not None
        rows_digests, rows_listing = read_cached(index.db, second.tree)
        assert rows_listing.snapshot is None
        assert (listing.unchanged, listing.had, listing.stale) == (
            rows_listing.unchanged,
            rows_listing.had,
            rows_listing.stale,
        )
        for kind in ("head", "tail", "full"):
            for i in range(len(second.tree)):
                assert digests.of(kind).get(i) == rows_digests.of(kind).get(i)


def test_a_change_falls_back_to_the_rows_then_the_columns_again(tmp_path, tree_with_links):
    root = tree_with_links
    with Index(tmp_path / "index.sqlite") as index:
        scan([root], index=index)
        index.db.executescript(LOG)
        write(root, "docs/b.txt", b"same content\n" * 100, mtime=1e9)
        (root / "big/b.bin").unlink()
        changed = scan([root], index=index)
        assert changed.duplicates.files_read == 1
        # the chunks are the rows' only copy (format 6): rewritten, no row a file
        assert set(writes(index)) == {"chunk-delete", "chunk"}
        assert index.db.execute("SELECT count(*) FROM files").fetchone() == (0,)
        again = scan([root], index=index)
        assert again.duplicates.files_read == 0
        assert groups(again, root) == groups(changed, root)
        assert writes(index) == []


def test_an_overlapping_scan_drops_the_columns_of_the_outer_roots(tmp_path, tree_with_links):
    root = tree_with_links
    with Index(tmp_path / "index.sqlite") as index:
        scan([root], index=index)
        write(root, "big/b.bin", b"y" * 300_000, mtime=1e9)
        scan([root / "big"], index=index)  # rewrites rows under the outer root
        keys = {row[0] for row in index.db.execute("SELECT roots FROM listing_chunks")}
        assert keys == {os.fsencode(root / "big")}
        outer = scan([root], index=index)
        # the rows gave the cache: b.bin's new digests, nothing read again
        assert outer.duplicates.files_read == 0
        assert not any("big/b.bin" in group for group in groups(outer, root))
        # a disjoint scan keeps them
        other = tmp_path / "other"
        write(other, "o.txt", b"o")
        scan([other], index=index)
        keys = {row[0] for row in index.db.execute("SELECT roots FROM listing_chunks")}
        assert keys == {os.fsencode(root), os.fsencode(other)}


def test_interrupted_scan_drops_the_columns(tmp_path, tree_with_links):
    root = tree_with_links
    with Index(tmp_path / "index.sqlite") as index:
        scan([root], index=index)
        write(root, "big/c.bin", b"x" * 300_000)

        def interrupt(stage: str, done: int, total: int | None) -> None:
            if stage.startswith("hash:"):
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            scan([root], index=index, progress=interrupt)
        assert index.db.execute("SELECT count(*) FROM listing_chunks").fetchone() == (0,)
        resumed = scan([root], index=index)
        assert any({"big/b.bin", "big/c.bin"} <= group for group in groups(resumed, root))


def test_a_failed_record_leaves_rows_and_columns_as_they_were(tmp_path, tree_with_links):
    root = tree_with_links
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([root], index=index)
        before = index.db.execute("SELECT * FROM listing_chunks ORDER BY roots, seq").fetchall()
        write(root, "big/c.bin", b"x" * 300_000)
        changed = scan([root])  # no index

        def broken(scan_id: int, previous: object) -> StoredDocument:
            raise OSError("disk gone")

        with pytest.raises(OSError):
            index.record_scan(
                index.scans()[0],
                changed.tree,
                changed.duplicates.digests,
                changed.duplicates.links,
                index.cached(changed.tree)[1],
                broken,
            )
        after = index.db.execute("SELECT * FROM listing_chunks ORDER BY roots, seq").fetchall()
        assert after == before
        assert [s.id for s in index.scans()] == [1]
        assert index.cached(first.tree)[1].snapshot is not None


def test_index_of_format_2_is_upgraded_and_its_rows_still_serve(tmp_path, tree_with_links):
    root = tree_with_links
    path = tmp_path / "index.sqlite"
    with Index(path) as index:
        first = scan([root], index=index)
    # make it a format-2 index, as the previous Ménage left it: rows, no columns
    with closing(sqlite3.connect(path)) as db:
        chunk_rows.release(db, [os.fsencode(root)])  # the rows back in `files`
        db.execute("DROP TABLE listing_owned")
        db.execute("DROP TABLE listing_chunks")
        db.execute("DROP TABLE report_lists")
        db.execute("DROP TABLE report_reuse")
        db.execute("UPDATE scans SET lists = NULL")
        db.execute("ALTER TABLE scans DROP COLUMN lists")
        db.execute("PRAGMA user_version=2")
        db.commit()
    with Index(path) as index:
        assert index.db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        second = scan([root], index=index)
        assert second.duplicates.files_read == 0  # from the rows
        assert groups(second, root) == groups(first, root)
        third = scan([root], index=index)
        assert third.duplicates.files_read == 0  # from the columns
        assert index.cached(third.tree)[1].snapshot is not None


def test_index_of_format_6_has_its_chunks_packed_and_they_still_serve(tmp_path, tree_with_links):
    """Format 7 stores the chunks' columns as LZ4 blocks; the raw chunks of format 6
    (the only copy of their rows) are packed by the upgrade, and read as before."""
    from tests.files.test_chunk_rows import unpack_chunks

    root = tree_with_links
    path = tmp_path / "index.sqlite"
    with Index(path) as index:
        first = scan([root], index=index)
        raw_sizes = index.db.execute(
            "SELECT sum(length(paths) + length(numbers) + length(digests)) FROM listing_chunks"
        ).fetchone()[0]
        listed = list(index.listing([os.fsencode(root)]))
    with closing(sqlite3.connect(path)) as db:
        unpack_chunks(db)
        assert (
            db.execute(
                "SELECT sum(length(paths) + length(numbers) + length(digests)) FROM listing_chunks"
            ).fetchone()[0]
            > raw_sizes
        )
        db.execute("PRAGMA user_version=6")
        db.commit()
    with Index(path) as index:
        assert index.db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert list(index.listing([os.fsencode(root)])) == listed
        index.db.executescript(LOG)
        again = scan([root], index=index)
        assert again.duplicates.files_read == 0
        assert writes(index) == []
        assert groups(again, root) == groups(first, root)


@pytest.mark.parametrize("column", ["paths", "numbers", "digests"])
@pytest.mark.parametrize("damage", ["cut", "size", "garbage", "text"])
def test_damaged_packed_columns_are_read_again(tmp_path, tree_with_links, column, damage):
    """A packed column cut short, claiming a size beyond any chunk's, not LZ4 at all or
    not even a blob: the chunk is not taken and its files are read again (never a huge
    allocation)."""
    root = tree_with_links
    with Index(tmp_path / "index.sqlite") as index:
        scan([root], index=index)
        change = {
            "cut": f"substr({column}, 1, length({column}) - 3)",
            "size": f"CAST(X'FFFFFF7F' || substr({column}, 5) AS BLOB)",
            "garbage": "CAST(X'10000000' || zeroblob(12) AS BLOB)",
            "text": "'not a block'",
        }[damage]
        index.db.execute(f"UPDATE listing_chunks SET {column} = {change}")
        again = scan([root], index=index)
        assert again.duplicates.files_read == again.duplicates.computed > 0
        assert groups(again, root) == groups(scan([root]), root)
        assert scan([root], index=index).duplicates.files_read == 0


def test_damaged_columns_are_not_taken(tmp_path, tree_with_links):
    root = tree_with_links
    with Index(tmp_path / "index.sqlite") as index:
        scan([root], index=index)
        index.db.execute("UPDATE listing_chunks SET paths = substr(paths, 2)")
        # the chunks were the only copy of the rows (format 6): the files are read again
        again = scan([root], index=index)
        assert again.duplicates.files_read == again.duplicates.computed > 0
        assert groups(again, root) == groups(scan([root]), root)
        assert scan([root], index=index).duplicates.files_read == 0
        index.db.execute("UPDATE listing_chunks SET total = total + 1")
        assert index.cached(again.tree)[1].snapshot is None
        # and a listing damaged otherwise is read as far as it holds
        index.db.execute("UPDATE listing_chunks SET numbers = substr(numbers, 9)")
        assert list(index.listing([os.fsencode(root)])) == []
        assert scan([root], index=index).duplicates.files_read > 0


def test_chunks_split_a_long_listing(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "CHUNK", 7)
    root = tmp_path / "tree"
    for n in range(30):
        write(root, f"d{n % 4}/f{n}.txt", b"%d" % (n % 5) * 50)
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([root], index=index)
        assert index.db.execute("SELECT count(*) FROM listing_chunks").fetchone() == (5,)
        index.db.executescript(LOG)
        second = scan([root], index=index)
        assert writes(index) == []
        assert second.duplicates.files_read == 0
        assert groups(second, root) == groups(first, root)


@pytest.mark.parametrize("seed", range(12))
def test_chunks_still_equal_are_taken_and_the_rest_merged_as_the_rows_say(
    tmp_path, monkeypatch, seed
):
    """After random changes, the chunks taken plus the rows outside them say exactly
    what the rows alone say; the scan then finds what a scan without index finds."""
    import random

    from menage.files.walk import WalkOptions, walk

    monkeypatch.setattr(snapshot, "CHUNK", 5)
    rng = random.Random(seed)
    root = tmp_path / "tree"
    names = [f"d{rng.randrange(4)}/f{n}.bin" for n in range(40)]
    for name in names:
        write(root, name, b"%d" % rng.randrange(6) * 3000, mtime=1e9)
    index_path = tmp_path / "index.sqlite"
    with Index(index_path) as index:
        scan([root], index=index)
        for _ in range(rng.randrange(1, 6)):
            name = rng.choice(names)
            path = root / name
            if not path.exists():
                continue
            change = rng.choice(["content", "delete", "add", "rename", "link"])
            if change == "content":
                write(root, name, b"%d" % rng.randrange(6) * 3000, mtime=2e9)
            elif change == "delete":
                path.unlink()
            elif change == "add":
                write(root, f"d{rng.randrange(5)}/new{rng.randrange(99)}.bin", b"1" * 3000)
            elif change == "rename":
                os.replace(path, root / f"d{rng.randrange(4)}/moved{rng.randrange(99)}.bin")
            else:
                target = root / f"d{rng.randrange(4)}/link{rng.randrange(99)}.bin"
                if not target.exists():
                    os.link(path, target)
        tree = walk([os.fsencode(root)], WalkOptions())
        digests, listing = index.cached(tree)
        rows_digests, rows_listing = read_cached(index.db, tree)
        assert listing.unchanged == rows_listing.unchanged
        assert listing.had == rows_listing.had
        assert sorted(listing.stale) == sorted(rows_listing.stale)
        for kind in ("head", "tail", "full"):
            assert [digests.of(kind).get(i) for i in range(len(tree))] == [
                rows_digests.of(kind).get(i) for i in range(len(tree))
            ]
        rescanned = scan([root], index=index)
    assert groups(rescanned, root) == groups(scan([root]), root)
    with Index(index_path) as index:
        index.db.executescript(LOG)
        again = scan([root], index=index)
        assert again.duplicates.files_read == 0
        assert writes(index) == []


def test_a_scan_is_copied_into_the_index_file_behind_it(tmp_path, tree_with_links):
    """A scan commits with its WAL synced, then a thread of its own copies the WAL into
    the database file; the next use of the index waits for that copy."""
    import shutil

    with Index(tmp_path / "index.sqlite") as index:
        scan([tree_with_links], index=index)
        copying = index._checkpoint
        assert copying is not None  # runs behind the scan
        db = index.db  # waits for it
        assert not copying.is_alive()
        assert db.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL again
        assert db.execute("PRAGMA wal_autocheckpoint").fetchone() == (1000,)
        # the database file alone, without its WAL, holds the scan
        shutil.copy(tmp_path / "index.sqlite", tmp_path / "alone.sqlite")
    with closing(sqlite3.connect(tmp_path / "alone.sqlite")) as alone:
        assert alone.execute("SELECT count(*) FROM scans").fetchone() == (1,)
        assert alone.execute("SELECT count(*) FROM listing_chunks").fetchone()[0] >= 1
