"""Index format 6 (menage.files.chunk_rows): a complete scan stores its listing only as
chunks, and every reader of the listing still sees each file once, as the walk saw it."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing

import pytest

from menage.files import chunk_rows, snapshot
from menage.files.index import SCHEMA_VERSION, Index
from menage.files.listing import read_cached
from menage.files.scan import scan
from menage.files.walk import WalkOptions, walk
from tests.files.trees import sample_tree, write


def walked(root) -> list[tuple[bytes, int, int, int, int, int, int]]:
    """The listing a scan of ``root`` should leave: one row per file, by path."""
    tree = walk([os.fsencode(root)], WalkOptions())
    return [
        (tree.paths[i], tree.dev[i], tree.ino[i], tree.size[i], tree.mtime_ns[i],
         tree.nlink[i], tree.uid[i])
        for i in range(len(tree))
    ]  # fmt: skip


def listed(index: Index, root) -> list[tuple[bytes, int, int, int, int, int, int]]:
    return [
        (r.path, r.dev, r.ino, r.size, r.mtime_ns, r.nlink, r.uid)
        for r in index.listing([os.fsencode(root)])
    ]


def rows_in_table(index: Index) -> int:
    count: int = index.db.execute("SELECT count(*) FROM files").fetchone()[0]
    return count


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "tree"
    sample_tree(root)
    write(root, "sub/a.bin", b"a" * 5000)
    write(root, "sub/b.bin", b"a" * 5000)
    os.link(root / "sub/a.bin", root / "sub/a-link.bin")
    write(root, b"sub/name-\xff", b"z" * 10)
    return root


@pytest.mark.parametrize("engine", ["python", "native"])
def test_a_fresh_scan_writes_chunks_only_and_the_listing_reads_them(
    tmp_path, root, monkeypatch, engine
):
    monkeypatch.setenv("MENAGE_ENGINE", engine)
    with Index(tmp_path / "index.sqlite") as index:
        scan([root], index=index)
        assert rows_in_table(index) == 0
        assert chunk_rows.owned_keys(index.db) == [os.fsencode(root)]
        assert listed(index, root) == walked(root)
        assert listed(index, root / "sub") == walked(root / "sub")
        # the rows decoded from the chunks carry the digests the chunks hold as bytes
        tree = walk([os.fsencode(root)], WalkOptions())
        found = snapshot.read(index.db, tree)
        assert found is not None
        as_columns, masks, _ = found
        as_rows, listing = read_cached(index.db, tree)
        assert listing.had == masks and any(masks) and not all(masks)
        for kind in ("head", "tail", "full"):
            expected = [as_columns.of(kind).get(i) for i in range(len(tree))]
            assert [as_rows.of(kind).get(i) for i in range(len(tree))] == expected


@pytest.mark.parametrize(
    "known", [b"\x00" * 9, b"\x01" * 9, b"\x01\x01\x00\x01\x00\x01\x00\x00\x01"]
)
def test_digests_are_decoded_where_known(known):
    data = bytes(range(256)) * 2  # 3 kinds of 16-byte digests for 3 files, and more
    rows = chunk_rows._decode(3, b"/a\0/b\0/c", bytes(48 * 3), data[: 3 * 16 * 3], known)
    for i, row in enumerate(rows):
        for k in range(3):
            digest = data[16 * (3 * k + i) : 16 * (3 * k + i + 1)]
            assert row[7 + k] == (digest if known[3 * i + k] else None)


def test_scans_of_a_subfolder_and_another_tree_keep_one_row_a_file(tmp_path, root):
    other = tmp_path / "other"
    write(other, "o.txt", b"o")
    with Index(tmp_path / "index.sqlite") as index:
        scan([root], index=index)
        write(root, "sub/b.bin", b"b" * 5000, mtime=1e9)
        inner = scan([root / "sub"], index=index)
        assert inner.duplicates.files_read == 1
        # the outer chunks went back to rows, those under sub/ replaced by sub's chunks
        assert chunk_rows.owned_keys(index.db) == [os.fsencode(root / "sub")]
        assert 0 < rows_in_table(index) < len(walked(root))
        assert listed(index, root) == walked(root)
        scan([other], index=index)
        outer = scan([root], index=index)
        assert outer.duplicates.files_read == 0  # rows and chunks gave every digest
        assert sorted(chunk_rows.owned_keys(index.db)) == sorted(map(os.fsencode, [root, other]))
        assert rows_in_table(index) == 0
        assert listed(index, root) == walked(root)
        assert listed(index, other) == walked(other)


def test_an_interrupted_scan_turns_the_chunks_back_into_rows(tmp_path, root):
    with Index(tmp_path / "index.sqlite") as index:
        scan([root], index=index)
        write(root, "sub/c.bin", b"a" * 5000)

        def interrupt(stage: str, done: int, total: int | None) -> None:
            if stage.startswith("hash:"):
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            scan([root], index=index, progress=interrupt)
        assert chunk_rows.owned_keys(index.db) == []
        assert rows_in_table(index) == len(walked(root))  # c.bin too, without digests
        resumed = scan([root], index=index)
        assert resumed.redundant_files == scan([root]).redundant_files
        assert rows_in_table(index) == 0
        assert listed(index, root) == walked(root)


def unpack_chunks(db: sqlite3.Connection) -> None:
    """The chunks' columns raw, as index formats 3 to 6 stored them."""
    for key, seq, count, *packed in db.execute(
        "SELECT roots, seq, count, paths, numbers, digests FROM listing_chunks"
    ).fetchall():
        columns = snapshot.unpack_chunk(count, *packed)
        assert columns is not None
        db.execute(
            "UPDATE listing_chunks SET paths = ?, numbers = ?, digests = ? "
            "WHERE roots = ? AND seq = ?",
            (*columns, key, seq),
        )


def test_an_index_of_format_4_is_upgraded_and_its_rows_serve(tmp_path, root):
    path = tmp_path / "index.sqlite"
    with Index(path) as index:
        first = scan([root], index=index)
    # as format 4 left it: rows in `files`, the chunks a copy of them (and no base row
    # for the report's lists, format 5's): both migrations run
    with closing(sqlite3.connect(path)) as db:
        chunk_rows.release(db, [os.fsencode(root)])
        db.execute("DROP TABLE listing_owned")
        db.execute("ALTER TABLE report_lists DROP COLUMN base")
        unpack_chunks(db)
        db.execute("PRAGMA user_version=4")
        db.commit()
    with Index(path) as index:
        assert index.db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert chunk_rows.owned_keys(index.db) == []
        assert listed(index, root) == walked(root)
        again = scan([root], index=index)  # unchanged: the copies serve, nothing written
        assert again.duplicates.files_read == 0
        assert rows_in_table(index) == len(walked(root))
        assert again.redundant_files == first.redundant_files
        write(root, "new.bin", b"a" * 5000)
        changed = scan([root], index=index)
        assert changed.duplicates.files_read == 1
        assert rows_in_table(index) == 0  # the chunks are now the only copy
        assert chunk_rows.owned_keys(index.db) == [os.fsencode(root)]
        assert listed(index, root) == walked(root)
