"""The scan engine on real trees: what is a duplicate and what is not."""

from __future__ import annotations

import importlib
import os
import time
from pathlib import Path

import pytest

from menage.files.index import Index
from menage.files.scan import ScanOptions, scan
from menage.findings import DuplicateFolders, EmptyFolder, FolderItem, SingleFile, TempFile
from tests.files.trees import sample_tree, write


def groups_of(result, root: Path) -> set[frozenset[str]]:
    tree = result.tree
    return {
        frozenset(os.path.relpath(os.fsdecode(tree.paths[i]), root) for i in g.files)
        for g in result.duplicates.groups
    }


def test_sample_tree(tmp_path):
    root = tmp_path / "tree"
    sample_tree(root)
    result = scan([root])
    assert groups_of(result, root) == {
        frozenset({"docs/a.txt", "backup/a.txt", ".hidden/a (1).txt"}),
        frozenset({"media/big.bin", "media/copy of big.bin"}),
    }
    assert result.redundant_files == 3
    assert result.redundant_bytes == 2 * 1300 + 300_000
    assert len(result.findings["empty_files"]) == 2
    assert [f.temp_kind for f in result.findings["temp_files"] if isinstance(f, TempFile)] == [
        "office-lock"
    ]
    empty_dirs = [
        f.folder.path for f in result.findings["empty_dirs"] if isinstance(f, EmptyFolder)
    ]
    assert [os.path.relpath(os.fsdecode(p), root) for p in empty_dirs] == ["empty_dir"]
    assert result.complete


def test_hardlinks_are_one_file(tmp_path):
    root = tmp_path / "tree"
    original = write(root, "a/file.bin", b"payload" * 1000)
    os.link(original, root / "a" / "hardlink.bin")
    os.link(original, root / "hardlink2.bin")
    result = scan([root])
    assert result.duplicates.groups == []
    assert result.total_files == 1
    assert result.total_bytes == 7000

    write(root, "b/real copy.bin", b"payload" * 1000)
    result = scan([root])
    assert len(result.duplicates.groups) == 1
    group = result.duplicates.groups[0]
    assert len(group.files) == 2
    assert result.redundant_bytes == 7000  # not 3 × 7000: the hardlinks free nothing
    assert sum(len(v) for v in group.links.values()) == 2


def test_symlinks_are_never_members(tmp_path):
    root = tmp_path / "tree"
    target = write(root, "real/a.bin", b"data" * 500)
    write(root, "real/b.bin", b"data" * 500)
    os.symlink(target, root / "link-to-a.bin")
    os.symlink(root / "real", root / "link-to-dir")
    for follow in (False, True):
        result = scan([root], ScanOptions(follow_links=follow))
        assert groups_of(result, root) == {frozenset({"real/a.bin", "real/b.bin"})}


def test_symlink_loops_terminate(tmp_path):
    root = tmp_path / "tree"
    write(root, "x/a.bin", b"1" * 10)
    os.symlink(".", root / "x" / "self")
    os.symlink("..", root / "x" / "up")
    os.symlink("b", root / "a")
    os.symlink("a", root / "b")
    result = scan([root], ScanOptions(follow_links=True))
    assert result.total_files == 1
    broken = {os.path.basename(os.fsdecode(p)) for p in result.tree.broken_links}
    assert broken == {"a", "b"}
    assert result.complete


def test_deep_tree_has_no_depth_limit(tmp_path):
    root = tmp_path / "tree"
    deep = os.fsencode(root)
    for level in range(120):
        deep = os.path.join(deep, b"node_modules" if level % 2 else b"p")
    os.makedirs(deep)
    write(Path(os.fsdecode(deep)), "leaf.js", b"module.exports = 1\n")
    write(root, "leaf.js", b"module.exports = 1\n")
    result = scan([root])
    assert len(result.duplicates.groups) == 1


@pytest.mark.timeout(30)
def test_fifo_is_listed_never_opened(tmp_path):
    root = tmp_path / "tree"
    write(root, "a.txt", b"abc")
    os.mkfifo(root / "pipe")
    os.mkfifo(root / "pipe2")
    result = scan([root])
    assert sorted(kind for _p, kind in result.tree.specials) == ["fifo", "fifo"]
    assert result.complete


def test_non_utf8_names_are_kept_exactly(tmp_path):
    root = tmp_path / "tree"
    write(root, b"caf\xe9.txt", b"bonjour" * 10)
    write(root, b"dir\xff/caf\xe9 copie.txt", b"bonjour" * 10)
    write(root, "line\nbreak.txt", b"bonjour" * 10)
    result = scan([root])
    (group,) = result.duplicates.groups
    names = sorted(os.path.basename(result.tree.paths[i]) for i in group.files)
    assert names == [b"caf\xe9 copie.txt", b"caf\xe9.txt", b"line\nbreak.txt"]


def test_changed_file_is_not_a_duplicate(tmp_path):
    from menage.files.duplicates import find_duplicates
    from menage.files.walk import resolve_roots, walk

    root = tmp_path / "tree"
    write(root, "a.bin", b"A" * 50_000)
    write(root, "b.bin", b"A" * 50_000)
    grown = write(root, "c.bin", b"A" * 50_000)
    rewritten = write(root, "d.bin", b"A" * 50_000)
    gone = write(root, "e.bin", b"A" * 50_000)
    tree = walk(resolve_roots([root]))
    with open(grown, "ab") as handle:
        handle.write(b"more")
    # same size and content, but modified after the walk: not trusted
    rewritten.write_bytes(b"A" * 50_000)
    os.utime(rewritten, (1, 1))
    gone.unlink()
    result = find_duplicates(tree)
    (group,) = result.groups
    assert sorted(os.path.basename(tree.paths[i]) for i in group.files) == [b"a.bin", b"b.bin"]
    kinds = {os.path.basename(i.path): i.kind for i in result.issues}
    assert kinds == {b"c.bin": "changed", b"d.bin": "changed", b"e.bin": "vanished"}


def test_rescan_reads_nothing_and_resumes(tmp_path):
    root = tmp_path / "tree"
    sample_tree(root)
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([root], index=index)
        assert first.duplicates.files_read > 0
        second = scan([root], index=index)
        assert second.duplicates.files_read == 0
        assert groups_of(second, root) == groups_of(first, root)
        # one file changes: only it is read again
        time.sleep(0.01)
        write(root, "docs/b.txt", b"same content\n" * 100)
        third = scan([root], index=index)
        assert third.duplicates.files_read == 1
        assert len(groups_of(third, root)) == 2
        assert [s.id for s in index.scans()] == [1, 2, 3]


def test_interrupted_scan_keeps_hashes(tmp_path):
    root = tmp_path / "tree"
    for n in range(6):
        write(root, f"small/{n}.txt", b"s" * 100)
    for n in range(4):
        write(root, f"large/{n}.bin", b"L" * 100_000)

    def interrupt(stage: str, done: int, total: int | None) -> None:
        # after the heads are read, before the whole contents are
        if stage == "hash:head":
            raise KeyboardInterrupt

    with Index(tmp_path / "index.sqlite") as index:
        with pytest.raises(KeyboardInterrupt):
            scan([root], index=index, progress=interrupt)
        assert index.scans() == []
        resumed = scan([root], index=index)
        # the small files and the large files' heads came from the index: only the
        # four whole contents are read
        assert resumed.duplicates.files_read == 4
        assert resumed.duplicates.computed == 4
        assert len(resumed.duplicates.groups) == 2


def test_excludes_and_min_size(tmp_path):
    root = tmp_path / "tree"
    write(root, "keep/a.bin", b"k" * 2000)
    write(root, "keep/b.bin", b"k" * 2000)
    write(root, "node_modules/c.bin", b"k" * 2000)
    write(root, "keep/small1.txt", b"s")
    write(root, "keep/small2.txt", b"s")
    result = scan([root], ScanOptions(excludes=["node_modules"], min_size=100))
    assert groups_of(result, root) == {frozenset({"keep/a.bin", "keep/b.bin"})}
    result = scan([root], ScanOptions(excludes=["keep/*.bin"]))
    assert groups_of(result, root) == {frozenset({"keep/small1.txt", "keep/small2.txt"})}


def test_duplicate_folders(tmp_path):
    root = tmp_path / "tree"
    for base in ("Photos 2019", "Sauvegarde/Photos 2019 (copie)"):
        write(root, f"{base}/a.jpg", b"photo a" * 100)
        write(root, f"{base}/sub/b.jpg", b"photo b" * 100)
        write(root, f"{base}/empty.txt", b"")
    write(root, "Other/a.jpg", b"photo a" * 100)  # same file, but not the same folder
    result = scan([root])
    (folders,) = result.findings["duplicate_folders"]
    assert isinstance(folders, DuplicateFolders)
    names = [
        os.path.relpath(os.fsdecode(item.path), root)
        for item in folders.items
        if isinstance(item, FolderItem)
    ]
    assert names == ["Photos 2019", "Sauvegarde/Photos 2019 (copie)"]
    assert folders.files == 3
    assert folders.redundant_bytes == 1400


def test_old_and_big_files(tmp_path):
    root = tmp_path / "tree"
    now = time.time()
    write(root, "old.txt", b"o" * 10, mtime=now - 5 * 365 * 86400)
    write(root, "new.txt", b"n" * 20, mtime=now - 10)
    write(root, "huge.bin", b"h" * 5000, mtime=now - 10)
    result = scan([root], ScanOptions(older_than_s=3 * 365 * 86400, top=2), now=now)
    names = {
        key: [
            os.path.basename(f.file.path) for f in result.findings[key] if isinstance(f, SingleFile)
        ]
        for key in ("old_files", "big_files")
    }
    assert names == {"old_files": [b"old.txt"], "big_files": [b"huge.bin", b"new.txt"]}


def test_index_of_format_1_is_migrated_keeping_history(tmp_path):
    import sqlite3
    from contextlib import closing

    from menage.files.index import APPLICATION_ID, SCHEMA_VERSION

    path = tmp_path / "old.sqlite"
    with closing(sqlite3.connect(path)) as db:
        db.executescript(
            """
            CREATE TABLE files (path BLOB PRIMARY KEY, scan_id INTEGER, dev INTEGER,
                ino INTEGER, size INTEGER, mtime_ns INTEGER, nlink INTEGER, uid INTEGER);
            CREATE TABLE hashes (dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER,
                head BLOB, tail BLOB, full BLOB, PRIMARY KEY (dev, ino));
            CREATE TABLE scans (id INTEGER PRIMARY KEY, started TEXT NOT NULL,
                duration_s REAL NOT NULL, roots TEXT NOT NULL, complete INTEGER NOT NULL,
                files INTEGER NOT NULL, bytes INTEGER NOT NULL, groups INTEGER NOT NULL,
                redundant_files INTEGER NOT NULL, redundant_bytes INTEGER NOT NULL,
                report BLOB NOT NULL);
            INSERT INTO scans VALUES (1, '2026-01-01T00:00:00+00:00', 1.0, '["/x"]', 1,
                10, 1000, 1, 1, 100, x'');
            """
        )
        db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        db.execute("PRAGMA user_version=1")
        db.commit()
    sample_tree(tmp_path / "tree")
    with Index(path) as index:
        result = scan([tmp_path / "tree"], index=index)
        assert [s.id for s in index.scans()] == [1, 2]
        assert result.redundant_files == 3
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_stored_report_lists_old_files_again(tmp_path):
    root = tmp_path / "tree"
    now = time.time()
    write(root, "old.txt", b"o" * 10, mtime=now - 5 * 365 * 86400)
    write(root, "older.bin", b"o" * 99, mtime=now - 9 * 365 * 86400)
    write(root, "new.txt", b"n" * 20, mtime=now - 10)
    with Index(tmp_path / "index.sqlite") as index:
        result = scan([root], index=index)
        report = index.scan_report(result.scan_id)
    names = [os.path.basename(item["path"]) for item in report["old_files"]["items"]]
    assert names == ["older.bin", "old.txt"]
    assert report["old_files"]["count"] == 2
    assert report["duplicates"]["groups"] == 0


def test_reader_processes_give_the_same_result(tmp_path):
    from menage.files.duplicates import find_duplicates
    from menage.files.walk import resolve_roots, walk

    root = tmp_path / "tree"
    sample_tree(root)
    for n in range(40):
        write(root, f"small/{n}.txt", b"%d" % (n % 7))
    gone = write(root, "small/gone.txt", b"3")
    tree = walk(resolve_roots([root]))
    gone.unlink()
    threads = find_duplicates(tree)
    processes = find_duplicates(tree, process_min=1)
    assert [g.files for g in processes.groups] == [g.files for g in threads.groups]
    assert [(i.path, i.kind) for i in processes.issues] == [
        (gone_path, "vanished") for gone_path in [bytes(gone)]
    ]
    assert processes.issues[0].detail  # the reason came back from the worker


def test_reader_processes_fall_back_to_threads(tmp_path, monkeypatch):
    import sys

    from menage.files.duplicates import find_duplicates
    from menage.files.walk import resolve_roots, walk

    root = tmp_path / "tree"
    sample_tree(root)
    tree = walk(resolve_roots([root]))
    # a Python that cannot start: every batch is read in the calling thread instead
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    result = find_duplicates(tree, process_min=1)
    assert len(result.groups) == 2


def test_a_tree_the_index_does_not_know_is_read_as_it_is_walked(tmp_path, monkeypatch):
    """The walk reads the small files that share a size (the whole-file stage would read
    them) when the index lists nothing under the roots and the disk is read in parallel;
    a tree it knows, even in part, keeps its digests; a rotational disk is read after the
    walk, in inode order. The findings are the same either way."""
    from menage.files import native

    # the module (the package's ``scan`` is the function)
    scan_module = importlib.import_module("menage.files.scan")
    walks: list[tuple[bool, int]] = []
    real_walk = scan_module.walk

    def recording_walk(*args, **kwargs):  # the real walk, its options noted
        tree = real_walk(*args, **kwargs)
        walks.append((args[1].read_small, len(tree.walk_digests) // 20))
        return tree

    monkeypatch.setattr(scan_module, "walk", recording_walk)
    root, other = tmp_path / "tree", tmp_path / "other"
    sample_tree(root)
    sample_tree(other)
    ssd, hdd = ScanOptions(disk="ssd"), ScanOptions(disk="hdd")
    with Index(tmp_path / "index.sqlite") as index:
        assert not index.lists_under([os.fsencode(root)])
        first = scan([root], ssd, index=index)
        for known in (root, root / "docs", tmp_path):
            assert index.lists_under([os.fsencode(known)])
        assert not index.lists_under([os.fsencode(other)])
        again = scan([root], ssd, index=index)
        inside = scan([root / "docs"], ssd, index=index)
        rotational = scan([other], hdd, index=index)
    without_index = scan([other], ssd)
    assert [read for read, _ in walks] == [True, False, False, False, True]
    if native.load() is not None:
        # three files of one small size: two read by the walk
        assert [count for _, count in walks] == [2, 0, 0, 0, 2]
    assert groups_of(first, root) == groups_of(again, root)
    assert groups_of(rotational, other) == groups_of(without_index, other) == groups_of(first, root)
    assert first.duplicates.files_read == without_index.duplicates.files_read
    assert inside.duplicates.files_read == 0


def test_renamed_files_are_not_read_again(tmp_path):
    root = tmp_path / "tree"
    sample_tree(root)
    with Index(tmp_path / "index.sqlite") as index:
        scan([root], index=index)
        os.rename(root / "docs" / "a.txt", root / "docs" / "renamed.txt")
        (root / "moved").mkdir()
        os.rename(root / "media" / "big.bin", root / "moved" / "big.bin")
        again = scan([root], index=index)
    assert again.duplicates.files_read == 0
    assert again.redundant_files == 3


def test_browser_caches_are_caches_and_a_folder_named_cache_is_not(tmp_path):
    from menage.files.lint import folder_temp_kind

    profile = tmp_path / ".config" / "chromium" / "Default"
    for path in (profile / "Cache" / "Cache_Data" / "f_000001", tmp_path / "Cache" / "note.txt"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 100)
    assert folder_temp_kind(os.fsencode(profile / "Cache" / "Cache_Data")) is not None
    assert folder_temp_kind(os.fsencode(tmp_path / "Cache")) is None
    result = scan([tmp_path], ScanOptions())
    temp = {
        os.path.basename(f.file.path)
        for f in result.findings["temp_files"]
        if isinstance(f, TempFile)
    }
    assert temp == {b"f_000001"}


@pytest.mark.parametrize("engine", ["python", "native"])
def test_snapshot_and_recycle_folders_are_left_out_unless_asked(tmp_path, monkeypatch, engine):
    monkeypatch.setenv("MENAGE_ENGINE", engine)
    write(tmp_path, "docs/report.pdf", b"R" * 3000)
    for folder in (
        ".snapshot/hourly.0/docs",
        ".zfs/snapshot/daily/docs",
        "$RECYCLE.BIN/S-1-5-21",
        "System Volume Information",
        ".Trash-1000/files",
    ):
        write(tmp_path, f"{folder}/report.pdf", b"R" * 3000)
    default = scan([tmp_path], ScanOptions())
    assert len(default.findings["duplicates"]) == 0
    assert default.tree.excluded == 5
    asked = scan([tmp_path], ScanOptions(snapshots=True))
    [group] = asked.findings["duplicates"]
    assert len(group.items) == 6


def test_the_summary_says_what_was_left_out(menage, tmp_path):
    write(tmp_path / "t" / "a.txt", b"a" * 100)
    write(tmp_path / "t" / ".snapshot" / "a.txt", b"a" * 100)
    result = menage("scan", tmp_path / "t")
    assert "1 snapshot or recycle folder left out (--snapshots scans it)." in result.stdout
    scanned = menage("scan", tmp_path / "t", "--snapshots")
    assert "left out" not in scanned.stdout
    assert "Duplicates" in scanned.stdout


def test_json_kept_while_storing_is_the_json_encoded_afterwards(tmp_path):
    """scan(keep_json=True) encodes the document once, for the index and for --json:
    the bytes printed are those encoding it again would give, and the index keeps its
    copy in two parts (the lists apart), as without keep_json."""
    import io
    import json
    import zlib

    from menage._jsonstream import write_json
    from menage.files.document import compressed_document, scan_summary
    from menage.report.json import write_scan_json

    root = tmp_path / "tree"
    sample_tree(root)
    now = time.time()
    write(root, "old/\xc3\xa9\xff.txt".encode("latin-1"), b"o" * 10, mtime=now - 5 * 365 * 86400)
    with Index(tmp_path / "index.sqlite") as index:
        result = scan([root], index=index, keep_json=True)
        stored = index.db.execute(
            "SELECT report FROM scans WHERE id = ?", (result.scan_id,)
        ).fetchone()[0]
        report = index.scan_report(result.scan_id)
    assert result.json_text is not None
    binary = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    write_scan_json(result, binary)  # through the stream's buffer, as on stdout
    assert result.json_text is None  # copied once, closed
    kept, again = binary.buffer.getvalue().decode("ascii"), io.StringIO()
    write_json(scan_summary(result), again.write, 0)
    assert kept == again.getvalue() + "\n"
    assert result.scan_id is not None
    again_stored = compressed_document(result, result.scan_id)
    assert again_stored.texts is not None
    again_stored.texts.close()  # not stored: its temporary file dropped
    assert zlib.decompress(stored) == zlib.decompress(again_stored.skeleton)
    assert b'"items": {"$list":' in zlib.decompress(stored)
    assert len(report["old_files"]["items"]) >= 1
    with Index(tmp_path / "index.sqlite") as index:
        again_result = scan([root], index=index, keep_json=True, now=now)
    text = io.StringIO()
    write_scan_json(again_result, text)  # a stream without a buffer
    assert json.loads(text.getvalue())["old_files"] == json.loads(kept)["old_files"]


def test_folder_temp_kind_is_the_first_rule_whose_folder_is_in_the_path():
    from menage.files.lint import _DIR_NAMES, folder_temp_kind

    def reference(folder: bytes) -> object:
        return next((rule for needle, rule in _DIR_NAMES if needle in folder + b"/"), None)

    needles = [needle.strip(b"/") for needle, _rule in _DIR_NAMES]
    folders = [b"/home/a", b"/home/a/.cache", b"/home/.cacheX/b", b"/x/Cache", b""]
    folders += [b"/r/" + n for n in needles] + [b"/r/" + n + b"/sub" for n in needles]
    # two rules in one path: the earlier rule wins, wherever it is in the path
    folders += [b"/r/" + a + b"/" + b for a in needles[:4] for b in needles[-4:]]
    folders += [b"/r/" + b + b"/" + a for a in needles[:4] for b in needles[-4:]]
    assert any(reference(f) is not None for f in folders)
    for folder in folders:
        assert folder_temp_kind(folder) is reference(folder), folder


def test_a_kept_document_reads_its_lists_across_compressed_blocks():
    """The printed document splices each list back where its skeleton names it, lists
    crossing the writer's 1 MiB blocks and blocks holding several lists."""
    import random

    from menage.files import report_store
    from menage.files.document import ListedText

    noise = random.Random(3).randbytes(report_store.BLOCK + 7).hex().encode("ascii")
    texts = [b"[]", noise, b'["a"]', b"[" + b'"x",' * 400_000 + b'"y"]', b"[]"]
    writer = report_store.ListsWriter()
    for listed in texts:
        writer.write(listed)
    writer.finish()
    pieces: list[bytes | int] = [b'{"a": ', 0, b', "b": ', 1, b", ", 2, b", ", 3, b", ", 4, b"}\n"]
    text = ListedText(pieces, writer.lists([len(t) for t in texts]), writer.close)
    expected = b'{"a": []' + b', "b": ' + noise + b", " + b", ".join(texts[2:]) + b"}\n"
    assert b"".join(text.blocks()) == expected
    text.close()
    short = report_store.ListsWriter()
    short.write(b"[1, 2]")
    short.finish()
    with pytest.raises(ValueError, match="too short"):
        b"".join(ListedText([0], short.lists([7]), short.close).blocks())
    short.close()
