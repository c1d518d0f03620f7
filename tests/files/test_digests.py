"""The digests' columns (menage.files.digests): the head and tail columns hold a place
for the files above 16 KiB only, and behave as the dense column does for those files."""

from __future__ import annotations

import os
import random
from array import array

import pytest

from menage.files import native, snapshot
from menage.files.digests import DigestColumn, Digests, members_above
from menage.files.hashing import TAIL_MIN, WHOLE_LIMIT
from menage.files.index import Index
from menage.files.scan import scan
from tests.files.trees import write


def digest(k: int) -> bytes:
    return k.to_bytes(16, "big")


def test_sparse_column_keeps_its_members_digests_and_drops_the_others():
    column = DigestColumn(10, array("I", [2, 5, 9]))
    column[5] = digest(5)
    column[3] = digest(3)  # not a member: never needed, dropped
    assert 5 in column and column[5] == digest(5) and column.get(5) == digest(5)
    assert 3 not in column and column.get(3) is None and 2 not in column
    with pytest.raises(KeyError):
        column[3]
    assert column.count() == 1
    assert len(column.buffers()[0]) == 3 * DigestColumn.WIDTH


def test_sparse_and_dense_columns_give_the_same_chunks():
    """flags, dense and assign (how the index stores the columns) agree for both kinds."""
    rng = random.Random(7)
    n = 500
    members = array("I", sorted(rng.sample(range(n), 60)))
    sparse, dense = DigestColumn(n, members), DigestColumn(n)
    for i in rng.sample(list(members), 40):
        sparse[i] = dense[i] = digest(i + 1)
    for start, stop in ((0, n), (0, 1), (17, 233), (n - 5, n), (100, 100)):
        assert sparse.flags(start, stop) == dense.flags(start, stop)
        assert sparse.dense(start, stop) == dense.dense(start, stop)
    again = DigestColumn(n, members)
    for start in range(0, n, 64):
        stop = min(n, start + 64)
        again.assign(start, memoryview(dense.dense(start, stop)), bytes(dense.flags(start, stop)))
    assert [again.get(i) for i in range(n)] == [dense.get(i) for i in range(n)]


def test_only_files_above_the_whole_read_limit_have_a_head_place():
    sizes = array("q", [0, 10, WHOLE_LIMIT, WHOLE_LIMIT + 1, TAIL_MIN - 1, TAIL_MIN, 5])
    digests = Digests(sizes)
    assert list(digests.head.members or []) == [3, 4, 5]
    assert list(digests.tail.members or []) == [5]
    assert digests.full.members is None and len(digests.full.buffers()[1]) == len(sizes)
    # a tree of small files: no head or tail digest is kept at all
    small = Digests(array("q", [100] * 10_000))
    assert len(small.head.buffers()[0]) == len(small.tail.buffers()[0]) == 0


def test_native_members_equal_the_python_ones():
    if native.load() is None:
        pytest.skip("the native core is not built")
    rng = random.Random(3)
    choices = [0, 1, 4096, WHOLE_LIMIT, WHOLE_LIMIT + 1, 2**40]
    sizes = array("q", (rng.choice(choices) for _ in range(5000)))
    got = members_above(sizes, WHOLE_LIMIT)
    assert got == members_above(list(sizes), WHOLE_LIMIT)  # a list takes the Python way
    assert list(got) == [i for i, s in enumerate(sizes) if s > WHOLE_LIMIT]


def test_native_core_refuses_members_that_are_not_sorted_file_numbers(tmp_path):
    core = native.load()
    if core is None:
        pytest.skip("the native core is not built")
    write(tmp_path, "a", b"x")
    from menage.files.walk import walk

    tree = walk([os.fsencode(tmp_path)])
    full = Digests(tree.size).full.buffers()
    for members in (array("I", [0, 0]), array("I", [len(tree)])):
        head = (bytearray(16 * len(members)), bytearray(len(members)), members)
        with pytest.raises(ValueError, match="members"):
            columns = (tree.paths, tree.size, tree.dev, tree.ino, tree.mtime_ns, tree.nlink)
            core.find_duplicates(*columns, head, full, full, threads=1, order="parallel")


@pytest.mark.parametrize("engine", ["python", "native"])
def test_heads_and_tails_come_back_from_the_index_and_nothing_is_read_again(
    tmp_path, monkeypatch, engine
):
    """Big files with the same head and tail but another middle: the head, tail and full
    digests go into the index's chunks and come back from them at the rescan."""
    if engine == "native" and native.load() is None:
        pytest.skip("the native core is not built")
    monkeypatch.setenv("MENAGE_ENGINE", engine)
    root = tmp_path / "tree"
    big = b"h" * 4096 + b"m" * (TAIL_MIN) + b"t" * 4096
    write(root, "a/big1.bin", big)
    write(root, "b/big2.bin", big)
    write(root, "c/other.bin", big[:5000] + b"X" + big[5001:])  # same head and tail
    write(root, "d/mid.bin", b"q" * 50_000)
    write(root, "d/mid2.bin", b"q" * 50_000)
    for k in range(50):
        write(root, f"small/{k}.txt", b"s" * (k % 5 + 1))
    with Index(tmp_path / "index.sqlite") as index:
        first = scan([root], index=index)
        digests = first.duplicates.digests
        assert digests.head.count() == 5 and digests.tail.count() == 3
        # the small files have a full digest and no place for a head
        assert len(digests.head.buffers()[1]) == 5
        second = scan([root], index=index)
        assert second.duplicates.files_read == 0
        again = second.duplicates.digests
        for name in ("head", "tail", "full"):
            before, after = getattr(digests, name), getattr(again, name)
            assert [before.get(i) for i in range(len(first.tree))] == [
                after.get(i) for i in range(len(second.tree))
            ], name
        stored = snapshot.read(index.db, second.tree)
        assert stored is not None and stored[0].tail.count() == 3
    sizes = sorted(len(g.files) for g in second.duplicates.groups)
    assert sizes.count(2) >= 2  # big1/big2 and mid/mid2: other.bin differs in the middle


@pytest.mark.parametrize("engine", ["python", "native"])
def test_groups_without_hardlinks_share_one_read_only_links(tmp_path, engine):
    """A group object a few hundred bytes: the many without hardlinks share one empty,
    read-only ``links``; a group with some has its own."""
    if engine == "native" and native.load() is None:
        pytest.skip("the native core is not built")
    from menage.files.digests import NO_LINKS
    from menage.files.duplicates import find_duplicates
    from menage.files.walk import WalkOptions, walk

    for name in ("a", "b"):
        write(tmp_path, f"plain/{name}", b"same")
        write(tmp_path, f"linked/{name}", b"other")
    os.link(tmp_path / "linked" / "a", tmp_path / "linked" / "c")
    tree = walk([os.fsencode(tmp_path)], WalkOptions(engine=engine))
    groups = {len(g.links): g for g in find_duplicates(tree, engine=engine).groups}
    assert groups[0].links is NO_LINKS
    with pytest.raises(TypeError):
        groups[0].links[0] = [1]  # type: ignore[index]
    ((first, others),) = groups[1].links.items()
    assert [tree.paths[i] for i in (first, *others)] == [
        os.fsencode(tmp_path / "linked" / n) for n in ("a", "c")
    ]
