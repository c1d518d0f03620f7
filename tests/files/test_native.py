"""The native core against the Python engine, its reference: same trees, same findings.

Trees are generated (names that are not UTF-8 or hold a newline, folders, hardlinks,
symbolic links to files and folders, dangling links and loops, FIFOs, sizes around
every stage's threshold, same-size files that differ at the start, the middle or the
end), walked and compared by both engines; then files are changed between the walk and
the reads (modified, grown, removed, swapped for a link or a FIFO), deterministically,
and both engines must say the same about each of them.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from array import array
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import xxhash
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from menage._jsonstream import string as _string
from menage.files import native
from menage.files.duplicates import Digests, DuplicateResult, find_duplicates
from menage.files.hashing import BLOCK, TAIL_MIN, WHOLE_LIMIT
from menage.files.scan import ScanOptions, scan
from menage.files.walk import Tree, WalkOptions, _compile_excludes, walk
from menage.home import OwnFolders
from menage.report.json import write_scan_json

if native.load() is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("the native core is not built (make venv builds it)")
    pytest.skip("the native core is not built: run `make venv`", allow_module_level=True)

_core = native.load()
assert _core is not None
core: Any = _core

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# names: plain, hidden, not UTF-8, a newline, spaces, a glob character
NAMES = [b"a", b"b.txt", b".hidden", b"caf\xe9", b"new\nline", b"sp ace", b"x*y", b"~$doc.docx"]
FOLDERS = [b"", b"d1", b"d1/sub", b"d2", b".cache", b"d\xff"]
# sizes around the thresholds: 16 KiB read whole, 4 KiB blocks, 1 MiB for tails
SIZES = [0, 1, 100, BLOCK, WHOLE_LIMIT, WHOLE_LIMIT + 1, 3 * BLOCK + WHOLE_LIMIT, TAIL_MIN + 5]


def content(size: int, variant: int) -> bytes:
    """Files of one size share everything but one byte: at the start, middle or end."""
    body = bytearray(b"M" * size)
    if size and variant:
        where = (0, size // 2, size - 1)[variant % 3]
        body[where] = 65 + variant
    return bytes(body)


file_strategy = st.tuples(
    st.sampled_from(FOLDERS),
    st.sampled_from(NAMES),
    st.sampled_from(SIZES),
    st.integers(0, 3),  # content variant
)
link_strategy = st.tuples(
    st.sampled_from(FOLDERS),
    st.sampled_from([b"ln1", b"ln2", b"\xfeln"]),
    st.sampled_from(["hardlink", "file-link", "dir-link", "dangling", "loop", "fifo"]),
    st.integers(0, 20),  # which file or folder it points to
)
tree_strategy = st.tuples(
    st.lists(file_strategy, min_size=1, max_size=16),
    st.lists(link_strategy, max_size=6),
)


def build(root: bytes, spec: tuple[list[Any], list[Any]]) -> list[bytes]:
    """Make the tree; the paths of its regular files."""
    files, links = spec
    made: list[bytes] = []
    for folder, name, size, variant in files:
        parent = os.path.join(root, folder) if folder else root
        os.makedirs(parent, exist_ok=True)
        path = os.path.join(parent, name)
        if os.path.lexists(path):
            continue
        with open(path, "wb") as handle:
            handle.write(content(size, variant))
        made.append(path)
    for folder, name, kind, target in links:
        parent = os.path.join(root, folder) if folder else root
        os.makedirs(parent, exist_ok=True)
        path = os.path.join(parent, name)
        if os.path.lexists(path):
            continue
        if kind == "hardlink":
            os.link(made[target % len(made)], path)
        elif kind == "file-link":
            os.symlink(made[target % len(made)], path)
        elif kind == "dir-link":
            os.symlink(os.path.join(root, FOLDERS[target % len(FOLDERS)]), path)
        elif kind == "dangling":
            os.symlink(b"does/not/exist", path)
        elif kind == "loop":
            os.symlink(b".", path)
        else:
            os.mkfifo(path)
    return made


def tree_dict(tree: Tree) -> dict[str, Any]:
    """Every field of a tree as plain lists, to compare two engines' trees (but the
    digests only the native walk reads: see :func:`walk_digests`)."""
    out: dict[str, Any] = {}
    for f in fields(tree):
        if f.name == "walk_digests":
            continue
        value = getattr(tree, f.name)
        if isinstance(value, array):
            out[f"{f.name} typecode"] = value.typecode  # the same widths, too
        if f.name == "dir_unlisted":
            value = sorted(value)
        elif not isinstance(value, int):
            value = list(value)
        out[f.name] = value
    return out


def result_dict(result: DuplicateResult, tree: Tree) -> dict[str, Any]:
    digests = result.digests
    return {
        "groups": [(g.size, g.digest, g.files, g.links) for g in result.groups],
        "empty": result.empty,
        "issues": sorted((i.path, i.kind, i.detail) for i in result.issues),
        "links": result.links,
        "computed": result.computed,
        "files_read": result.files_read,
        "bytes_read": result.bytes_read,
        "digests": [
            [column.get(i) for i in range(len(tree))]
            for column in (digests.head, digests.tail, digests.full)
        ],
    }


def both_walks(roots: list[bytes], **options: Any) -> tuple[Tree, Tree]:
    python = walk(roots, WalkOptions(engine="python", **options))
    rust = walk(roots, WalkOptions(engine="native", **options))
    return python, rust


def walk_digests(tree: Tree) -> dict[bytes, bytes]:
    """The digests the native walk read, by path."""
    records = tree.walk_digests
    numbers = array("I", b"".join(records[k : k + 4] for k in range(0, len(records), 20)))
    assert list(numbers) == sorted(set(numbers))
    return {tree.paths[i]: records[20 * k + 4 : 20 * k + 20] for k, i in enumerate(numbers)}


@SETTINGS
@given(
    tree_strategy,
    st.booleans(),
    st.sampled_from([(), ("a",), ("d1/*",), ("*.txt", "x[*]y")]),
    st.booleans(),
)
def test_walk_and_duplicates_match(spec, follow, excludes, read_small):
    """Whether or not the walk reads the small files as it lists them: the same
    findings, digests and counts of what was read."""
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(os.fsencode(tmp), b"root")
        os.mkdir(root)
        build(root, spec)
        options = {"follow_links": follow, "excludes": excludes, "read_small": read_small}
        python, rust = both_walks([root], **options)
        assert tree_dict(rust) == tree_dict(python)
        assert python.walk_digests == b""  # the reference walk reads nothing
        for order, probe in (("parallel", True), ("inode", True), ("inode", False)):
            want = find_duplicates(python, engine="python", order=order, process_min=10**9)
            with page_cache_probe(probe):
                # the first search takes the walk's digests, the next ones read again
                got = find_duplicates(rust, engine="native", order=order)
            assert rust.walk_digests == b""
            assert result_dict(got, rust) == result_dict(want, python)


def test_walk_reads_the_small_files_that_share_a_size(tmp_path):
    """The first file of each size is left to the whole-file stage, as are empty files,
    files above 16 KiB and hardlinks (the stage reads one path of an inode); the others
    are read as their folder is listed, their digests those of their content."""
    root = tmp_path / "root"
    made: dict[bytes, bytes] = {}
    for name, size, variant in [
        ("a/one", 100, 0), ("a/two", 100, 1), ("b/three", 100, 0), ("b/\udcff-four", 100, 2),
        ("alone", 50, 0), ("e1", 0, 0), ("e2", 0, 0), ("big1", WHOLE_LIMIT + 1, 0),
        ("big2", WHOLE_LIMIT + 1, 0), ("limit1", WHOLE_LIMIT, 0), ("limit2", WHOLE_LIMIT, 1),
        ("linked", 7, 0),
    ]:  # fmt: skip
        path = root / name  # \udcff: the byte 0xff, not UTF-8
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content(size, variant))
        made[os.fsencode(path)] = content(size, variant)
    os.link(root / "linked", root / "a" / "linked-too")
    (root / "c").mkdir()
    os.link(root / "linked", root / "c" / "linked-again")
    tree = walk([os.fsencode(root)], WalkOptions(engine="native", read_small=True, threads=3))
    read = walk_digests(tree)
    assert set(read) <= set(made)
    by_size: dict[int, int] = {}
    for path in read:
        by_size[len(made[path])] = by_size.get(len(made[path]), 0) + 1
    # four files of 100 bytes: three read; two of 16 KiB: one; the rest none
    assert by_size == {100: 3, WHOLE_LIMIT: 1}
    for path, digest in read.items():
        assert digest == xxhash.xxh3_128_digest(made[path])
    # taken by the stage: read once, counted as the reference counts them
    python = walk([os.fsencode(root)], WalkOptions(engine="python"))
    want = find_duplicates(python, engine="python", process_min=10**9)
    assert result_dict(find_duplicates(tree, engine="native"), tree) == result_dict(want, python)


@contextlib.contextmanager
def page_cache_probe(enabled: bool) -> Iterator[None]:
    """In inode order the core hashes on every thread what the page cache holds and
    leaves the rest to one reader; off, every file goes to that reader."""
    core = native.load()
    assert core is not None
    core.probe_page_cache(enabled)
    try:
        yield
    finally:
        core.probe_page_cache(True)


CHANGES = ["none", "none", "edit", "grow", "rm", "link", "fifo"]


def change_file(path: bytes, change: str, link_target: bytes) -> None:
    """Change a file after the walk as ``change`` says (one of :data:`CHANGES`)."""
    if change == "edit":  # same size, other content, other mtime
        with open(path, "r+b") as handle:
            handle.write(b"Z")
        os.utime(path, ns=(1, 1))
    elif change == "grow":
        with open(path, "ab") as handle:
            handle.write(b"+")
    else:
        os.unlink(path)
        if change == "link":
            os.symlink(link_target, path)
        elif change == "fifo":
            os.mkfifo(path)


@pytest.mark.parametrize("change", ["none", "grow", "shrink"])
def test_small_files_of_whole_pages_read_from_the_cache(tmp_path, change):
    """Small files whose size is a whole number of pages, read from the page cache
    without waiting (inode order, probing): such a read may stop at the walk's size
    because the next page is not cached, not because the file ends there; the end is
    checked, so a file grown by a byte since the walk (its new page dropped from the
    cache, or not) is "changed" in both engines, as one cut short is."""
    sizes = [BLOCK, 2 * BLOCK, WHOLE_LIMIT]
    for size in sizes:
        for copy in ("a", "b", "c"):
            path = tmp_path / copy / f"f{size}"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(b"P" * size)
            path.read_bytes()  # in the page cache
    python, rust = both_walks([os.fsencode(tmp_path)])
    changed_files = [tmp_path / "b" / f"f{size}" for size in sizes]
    for path in changed_files:
        if change == "grow":
            with open(path, "ab") as handle:
                handle.write(b"+")
                os.fsync(handle.fileno())
        elif change == "shrink":
            os.truncate(path, os.path.getsize(path) - 1)
    for order in ("parallel", "inode"):
        want = find_duplicates(python, engine="python", order=order, process_min=10**9)
        for path in changed_files:
            # the new byte's page out of the cache (the reference's read brought it in):
            # the read without waiting stops at the walk's size
            with open(path, "rb") as handle:
                os.posix_fadvise(
                    handle.fileno(), path.stat().st_size - 1, 0, os.POSIX_FADV_DONTNEED
                )
        with page_cache_probe(True):
            got = find_duplicates(rust, engine="native", order=order)
        assert result_dict(got, rust) == result_dict(want, python)
        changed = {os.path.basename(i.path) for i in got.issues}
        if change == "none":
            assert len(got.groups) == 3 and all(len(g.files) == 3 for g in got.groups)
        else:
            assert changed == {f"f{size}".encode() for size in sizes}
            assert {i.kind for i in got.issues} == {"changed"}
            assert all(len(g.files) == 2 for g in got.groups)


@SETTINGS
@given(tree_strategy, st.data())
def test_changes_between_walk_and_reads(spec, data):
    """Files modified, grown, removed or swapped after the walk: same issues, same groups."""
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(os.fsencode(tmp), b"root")
        os.mkdir(root)
        made = build(root, spec)
        python, rust = both_walks([root])
        for path in made:
            change = data.draw(st.sampled_from(CHANGES))
            if change == "none" or not os.path.lexists(path):
                continue
            change_file(path, change, made[0])
        order = data.draw(st.sampled_from(["parallel", "inode"]))
        want = find_duplicates(python, engine="python", order=order, process_min=10**9)
        with page_cache_probe(data.draw(st.booleans())):
            got = find_duplicates(rust, engine="native", order=order)
        assert result_dict(got, rust) == result_dict(want, python)


@SETTINGS
@given(tree_strategy, st.data())
def test_changes_after_a_walk_that_read(spec, data):
    """Files modified, grown, removed or swapped after a walk that read the small files:
    the groups are the reference's; no file changed since the walk is in one; an issue
    is said of a changed file only (one read by the walk is checked again only when it
    has a copy: the version the walk read is the one the scan saw)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(os.fsencode(tmp), b"root")
        os.mkdir(root)
        made = build(root, spec)
        python, rust = both_walks([root], read_small=True)
        changed = set()
        for path in made:
            change = data.draw(st.sampled_from(CHANGES))
            if change == "none" or not os.path.lexists(path):
                continue
            changed.add(path)
            change_file(path, change, made[0])
        want = find_duplicates(python, engine="python", process_min=10**9)
        got = find_duplicates(rust, engine="native", order="parallel")
        assert [g.files for g in got.groups] == [g.files for g in want.groups]
        assert not changed & {rust.paths[i] for g in got.groups for i in g.files}
        assert {i.path for i in got.issues} <= changed


@SETTINGS
@given(tree_strategy, st.integers(0, 2**32))
def test_hash_cache_is_used_alike(spec, seed):
    """Digests known beforehand (the hash cache) are taken, not read again, by both."""
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(os.fsencode(tmp), b"root")
        os.mkdir(root)
        build(root, spec)
        python, rust = both_walks([root])
        first = find_duplicates(python, engine="python", process_min=10**9)
        cached = [Digests(python.size), Digests(python.size)]
        for n, name in enumerate(("head", "tail", "full")):
            source = getattr(first.digests, name)
            for i in range(len(python)):
                if (seed >> ((3 * i + n) % 32)) & 1 and source.get(i) is not None:
                    for digests in cached:
                        getattr(digests, name)[i] = source[i]
        want = find_duplicates(python, cached=cached[0], engine="python", process_min=10**9)
        got = find_duplicates(rust, cached=cached[1], engine="native")
        assert result_dict(got, rust) == result_dict(want, python)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text("ab*?[]!-/.^\\", max_size=6), min_size=1, max_size=3),
    st.binary(max_size=6).map(lambda b: b.replace(b"/", b"")) | st.text("ab.-]!^[").map(str.encode),
)
def test_exclude_globs_match_fnmatch(patterns, name):
    regex, _ = _compile_excludes(patterns)
    assert regex is not None
    expected = regex.match(name) is not None
    assert core.exclude_matches([os.fsencode(p) for p in patterns], name) == expected


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=5000))
def test_digest_is_xxhash_xxh3_128(data):
    assert core.xxh3_128_digest(data) == xxhash.xxh3_128_digest(data)


def test_whole_scan_reports_are_identical(tmp_path, monkeypatch):
    """The JSON report, byte for byte, with lists long enough for the core to write them."""
    from tests.files.trees import sample_tree, write

    root = tmp_path / "tree"
    sample_tree(root)
    for n in range(30):
        for copy in (b"a", b"b\xff", b"c\n\xc3\xa9\xf0\x9f\x98\x80"):
            name = b"dups/" + copy + b"/f%d.tmp" % n
            write(root, name, b"%d" % n * (n + 1), mtime=1e9 + n)
        os.link(os.path.join(os.fsencode(root), b"dups/a/f%d.tmp" % n), root / f"link{n}")
    os.symlink(root / "docs", root / "docs-link")
    os.mkfifo(root / "pipe")
    reports = []
    for engine in ("python", "native"):
        monkeypatch.setenv(native.ENGINE_VARIABLE, engine)
        result = scan([root], ScanOptions(follow_links=True, top=25), now=2e9)
        out = io.StringIO()
        write_scan_json(result, out)
        lines = out.getvalue().splitlines()
        reports.append([x for x in lines if not x.lstrip().startswith(('"started"', '"duration'))])
    assert len(reports[0]) > 200
    assert reports[0] == reports[1]


@settings(max_examples=500, deadline=None)
@given(
    st.binary(max_size=12) | st.text(max_size=6).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_json_path_is_pythons(path):
    assert core.json_path(path) == _string(path)


def test_file_columns_take_four_bytes_where_the_values_allow(tmp_path):
    """Folder numbers, link counts and owners are 4-byte columns in both engines (12
    bytes a file less than 8-byte ones: 120 MB at ten million files)."""
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_bytes(b"x")
    os.link(tmp_path / "d" / "f", tmp_path / "g")
    for tree in both_walks([os.fsencode(tmp_path)]):
        widths = {name: getattr(tree, name).itemsize for name in ("dir_of", "nlink", "uid")}
        assert widths == {"dir_of": 4, "nlink": 4, "uid": 4}
        assert list(tree.nlink) == [2, 2] and list(tree.uid) == [os.getuid()] * 2


def test_path_buffer_is_a_sequence_of_bytes():
    names = [b"/a", b"/a/\xff", b"/b\nc", b""]
    buffer = core.PathBuffer(names)
    assert len(buffer) == 4
    assert list(buffer) == names
    assert buffer[-1] == b"" and buffer[1] == b"/a/\xff"
    assert buffer.find(b"/a/\xff") == 1 and buffer.find(b"/zz") is None
    with pytest.raises(IndexError):
        buffer[4]


def test_unreadable_root_entries_and_missing_root(tmp_path):
    root = tmp_path / "tree"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "f").write_bytes(b"x")
    os.chmod(root / "locked", 0)
    try:
        python, rust = both_walks([os.fsencode(root)])
        assert tree_dict(rust) == tree_dict(python)
    finally:
        os.chmod(root / "locked", 0o700)
    with pytest.raises(OSError):
        walk([os.fsencode(tmp_path / "gone")], WalkOptions(engine="native"))


def test_engine_choice(monkeypatch):
    monkeypatch.setenv(native.ENGINE_VARIABLE, "python")
    assert native.engine_name() == "python"
    monkeypatch.setenv(native.ENGINE_VARIABLE, "native")
    assert native.engine_name() == "native"
    monkeypatch.delenv(native.ENGINE_VARIABLE)
    assert native.engine_name() == "native"
    assert Path(native.__file__).name == "native.py"


def test_own_folders_and_files_are_left_out(tmp_path):
    """Ménage's own state, by identity (and a quarantine by name), is never listed: the
    core takes the sets of menage.home.OwnFolders and reports what it left out."""
    root = tmp_path / "tree"
    for name in ("home/index.sqlite", "data/keep.txt", "data/.menage-quarantine/x.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
    (root / "data" / "journal.sqlite").write_bytes(b"j")
    (root / "data" / "journal.sqlite-wal").write_bytes(b"w")
    os.symlink(root / "home", root / "data" / "link-home")

    def identity(path):
        st = os.stat(path)
        return (st.st_dev, st.st_ino)

    found = core.walk(
        [os.fsencode(root)],
        follow_links=True,
        cross_devices=False,
        excludes=[],
        min_size=0,
        threads=2,
        own_folders=[identity(root / "home")],
        own_files=[identity(root / "data" / "journal.sqlite")],
        side_files=[(*identity(root / "data"), b"journal.sqlite-wal")],
        own_name=native.OWN_FOLDER_NAME,
    )
    base = os.fsencode(root) + b"/"
    assert list(found["paths"]) == [base + b"data/keep.txt"]
    assert found["own"] == [
        base + p
        for p in (
            b"data/.menage-quarantine",
            b"data/journal.sqlite",
            b"data/journal.sqlite-wal",
            b"data/link-home",
            b"home",
        )
    ]
    # the followed link to the home is never entered either (and is reported, as the
    # Python engine does); the folders holding our state count it as an entry, so that
    # they are never "empty"
    entries = dict(zip(found["dirs"], array("q", found["dir_entries"]), strict=True))
    assert entries[base.rstrip(b"/")] == 1 and entries[base + b"data"] == 5
    own = OwnFolders(
        frozenset([identity(root / "home")]),
        frozenset([identity(root / "data" / "journal.sqlite")]),
        frozenset([(*identity(root / "data"), b"journal.sqlite-wal")]),
    )
    python = walk([os.fsencode(root)], WalkOptions(follow_links=True, own=own, engine="python"))
    assert python.own == found["own"] and list(python.paths) == list(found["paths"])


@pytest.mark.parametrize("follow", [False, True])
def test_own_folders_same_in_both_engines(tmp_path, follow):
    """The safety rules (menage.files.walk's docstring) in both engines: our folders by
    identity and by name, through a followed link, and as a root (or inside one)."""
    root = tmp_path / "tree"
    for name in ("home/sub/index.sqlite", "data/a.txt", "data/.menage-quarantine/q.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
    os.symlink(root / "home", root / "data" / "to-home")
    os.symlink(root / "home" / "sub", root / "data" / "to-sub")
    st_home = os.stat(root / "home")
    own = OwnFolders(frozenset([(st_home.st_dev, st_home.st_ino)]))
    roots = [os.fsencode(p) for p in (root / "data", root / "home" / "sub", root)]
    python, rust = both_walks(roots, follow_links=follow, own=own)
    assert tree_dict(rust) == tree_dict(python)
    assert os.fsencode(root / "home" / "sub") in python.own
    assert (os.fsencode(root / "data" / "to-home") in python.own) == follow
    # a link into a subfolder of ours is left out too, never walked under its own path
    assert (os.fsencode(root / "data" / "to-sub") in python.own) == follow
    assert not any(p.startswith(os.fsencode(root / "data" / "to-sub") + b"/") for p in python.paths)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=8)), st.integers(0, 12), st.integers(0, 12))
def test_path_buffer_joined_is_a_nul_join(items, start, stop):
    assert core.PathBuffer(items).joined(start, stop) == b"\0".join(items[start:stop])


# a folder's files: (subfolder, name, content); copies of it, each changed or not
FOLDER_FILES = st.lists(
    st.tuples(
        st.sampled_from([b"", b"s", b"s/t", b"u"]),
        st.sampled_from([b"a", b"b", b"c\xff", b"e"]),
        st.sampled_from([b"", b"x", b"y", b"zz"]),
    ),
    min_size=1,
    max_size=6,
)
FOLDER_CHANGES = st.sampled_from(["none", "none", "rename", "content", "extra", "empty-dir"])


@SETTINGS
@given(FOLDER_FILES, st.lists(st.tuples(st.sampled_from([b"c1", b"c2", b"n/c3", b"c1/in"]),
                                        FOLDER_CHANGES), max_size=4))  # fmt: skip
def test_duplicate_folders_match(monkeypatch, files, copies):
    """Duplicate folders from the core's signatures are the Python reference's."""
    from menage.files.folders import duplicate_folders

    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(os.fsencode(tmp), b"root")
        for where, change in [(b"orig", "none"), *copies]:
            for n, (sub, name, data) in enumerate(files):
                if change == "rename" and n == 0:
                    name += b"2"
                if change == "content" and n == 0:
                    data += b"!"
                folder = os.path.join(root, where, sub)
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, name), "wb") as handle:
                    handle.write(data)
            if change == "extra":
                with open(os.path.join(root, where, b"extra"), "wb") as handle:
                    handle.write(b"unique")
            if change == "empty-dir":
                os.makedirs(os.path.join(root, where, b"nothing"), exist_ok=True)
        tree = walk([root], WalkOptions(engine="python"))
        groups = find_duplicates(tree, engine="python").groups
        found = []
        for engine in ("python", "native"):
            monkeypatch.setenv(native.ENGINE_VARIABLE, engine)
            found.append(duplicate_folders(tree, groups))
        assert found[0] == found[1]


@pytest.mark.parametrize(("temp", "top"), [(True, 5), (False, 0), (False, 3), (True, 0)])
def test_single_file_findings_alike_with_and_without_temporary_and_big_files(
    tmp_path, monkeypatch, temp, top
):
    """Old, temporary and big files in both engines; asked for the old files only (a
    rescan after a crossing), the old files and their bytes are the same, the rest empty."""
    from menage.files.columnar import mask, single_file_findings
    from tests.files.trees import sample_tree, write

    root = tmp_path / "tree"
    sample_tree(root)
    for n in range(40):
        write(root, b"t/f%d.tmp" % n, b"x" * (n % 7), mtime=1e9 + (n % 5) * 1e8)
    tree = walk([os.fsencode(root)])
    extra = mask(len(tree), [0])
    found = []
    for engine in ("python", "native"):
        monkeypatch.setenv(native.ENGINE_VARIABLE, engine)
        found.append(single_file_findings(tree, extra, int(1.25e18), top, temp=temp))
    full = single_file_findings(tree, extra, int(1.25e18), 5)
    for one in found:
        assert list(one.old) == list(full.old) and len(one.old) > 10
        assert one.old_bytes == sum(tree.size[i] for i in full.old) > 0
        assert one.temp == (full.temp if temp else []) and (one.temp or not temp)
        assert one.big == full.big[:top]


def test_walk_reads_hold_no_folder_open_while_they_wait(tmp_path):
    """Reads handed to the walk's readers hold no descriptor while they wait (each
    reader opens its folder again): under a tight limit of open files, a tree of many
    folders is walked whole and its small files read, as without the reads. (Holding a
    descriptor a waiting folder ran out of them on ten million files: folders went
    unlisted.)"""
    root = tmp_path / "root"
    for n in range(400):
        for copy in ("a", "b"):
            write_file = root / f"d{n:03}" / copy
            write_file.parent.mkdir(parents=True, exist_ok=True)
            write_file.write_bytes(b"x" * 100)
    program = f"""
import os, resource
from menage.files.walk import WalkOptions, walk
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
root = os.fsencode({str(root)!r})
tree = walk([root], WalkOptions(engine="native", read_small=True, threads=16))
print(len(tree), len(tree.issues), len(tree.walk_digests) // 20)
"""
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    # 800 files, no folder unlisted, every file but the first of its size read
    assert done.stdout.split() == ["800", "0", "799"]
