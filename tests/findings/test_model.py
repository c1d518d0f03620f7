"""Every declared kind: its JSON form reads back, says what it declares, and the file
analysers' fast JSON is the same as the findings' own."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

import pytest

from menage._jsonstream import Raw
from menage.errors import MenageError
from menage.files.scan import ScanOptions, scan
from menage.findings import (
    Covered,
    Duplicates,
    FileItem,
    Finding,
    FindingKind,
    FindingList,
    Findings,
    FolderItem,
    MessageItem,
    StoredFindings,
    TempFile,
    Totals,
    UnknownFinding,
    UnknownKind,
    all_kinds,
    kind_of,
    register_kind,
)
from menage.findings.model import ITEM_TYPES
from menage.i18n import N_
from tests.findings.fixture_tree import build

SAMPLE_VALUES: dict[str, Any] = {
    "int": 7,
    "float": 1.5,
    "str": "list@example.org",
    "float | None": None,
}


def sample_items(kind: FindingKind, size: int) -> tuple[Any, ...]:
    item = ITEM_TYPES[kind.item]
    count = 3 if kind.grouped else 1
    # what the JSON forms of schema 1 leave out (uid, links) is kept only by duplicates
    keeps_more = kind.key == "duplicates"
    if item is FileItem:
        return tuple(
            FileItem(
                path=b"/r/caf\xe9 " + bytes([48 + n]),
                size=size,
                mtime_ns=1_500_000_000_000_000_000 + n,
                device=64,
                inode=1000 + n,
                uid=1000 if keeps_more else None,
                links=(b"/r/link " + bytes([48 + n]),) if keeps_more else (),
            )
            for n in range(count)
        )
    if item is FolderItem:
        return tuple(FolderItem(b"/r/folder \xff" + bytes([48 + n])) for n in range(count))
    return tuple(MessageItem("INBOX", 10 + n, f"<{n}@example.org>", size) for n in range(count))


def sample(kind: FindingKind) -> Finding:
    own = {
        f.name: SAMPLE_VALUES[str(f.type)]
        for f in dataclasses.fields(kind.cls)
        if f.name not in ("number", "items")
    }
    size = own.get("size", 4096)
    return kind.cls(4, sample_items(kind, size), **own)


KINDS = [pytest.param(kind, id=kind.key) for kind in all_kinds()]


@pytest.mark.parametrize("kind", KINDS)
def test_json_form_reads_back(kind):
    finding = sample(kind)
    text = json.dumps(finding.to_json(), ensure_ascii=True)
    again = kind.cls.from_json(json.loads(text), 4)
    assert again == finding
    assert again.id == f"{kind.key}/4"


@pytest.mark.parametrize("kind", KINDS)
def test_declared_fields_are_those_of_the_json_form(kind):
    data = sample(kind).to_json()
    if not isinstance(data, dict):
        assert kind.key == "empty_dirs"  # schema 1 lists empty folders as bare paths
        return
    assert {field.name for field in kind.fields} <= set(data)


@pytest.mark.parametrize("kind", KINDS)
def test_declarations_are_complete(kind):
    assert kind.cls.KIND == kind.key
    assert kind.label and kind.title and kind.plan_title
    assert kind.cls.__doc__, f"{kind.cls.__name__} says what it is"
    header = kind.cls.csv_header()
    rows = list(sample(kind).csv_rows())
    assert rows and all(len(row) == len(header) for row in rows)
    if kind.keep_one:
        assert kind.grouped


def test_a_kind_is_declared_once():
    duplicates = kind_of("duplicates")
    assert register_kind(duplicates) is duplicates  # the same declaration again is harmless
    with pytest.raises(ValueError, match="declared twice"):
        register_kind(dataclasses.replace(duplicates, title=N_("Other")))
    with pytest.raises(UnknownKind):
        kind_of("no_such_kind")


def test_finding_ids_name_findings():
    findings = Findings([StoredFindings("big_files", [sample(kind_of("big_files"))])])
    assert findings.finding("big_files/1").KIND == "big_files"
    for bad in ("big_files/2", "big_files/0", "big_files", "nope/1", "big_files/x"):
        with pytest.raises(UnknownFinding) as caught:
            findings.finding(bad)
        assert isinstance(caught.value, MenageError)
    assert list(findings["temp_files"]) == []  # a kind looked for but not found: empty


def test_reclaimable_counts_each_file_once():
    a = FileItem(b"/r/a.bak", 100, 1, 1, 1)
    b = FileItem(b"/r/b", 100, 2, 1, 2)
    c = FileItem(b"/r/c.tmp", 30, 3, 1, 3)
    findings = Findings(
        [
            StoredFindings("duplicates", [Duplicates(1, (a, b), size=100, hash="00")]),
            # a.bak is a copy and a temporary file: it is counted with the duplicates
            StoredFindings(
                "temp_files",
                [
                    TempFile(1, (a,), temp_kind="editor-backup", rule="*.bak"),
                    TempFile(2, (c,), temp_kind="temporary", rule="*.tmp"),
                ],
            ),
        ]
    )
    reclaimable = findings.reclaimable()
    assert reclaimable.by_kind == {"duplicates": 100, "temp_files": 130}
    assert reclaimable.total == 130


def test_tree_findings_write_the_same_json_as_their_findings(tmp_path: Path):
    root = build(tmp_path / "tree")
    result = scan([root], ScanOptions(top=5), now=1_700_000_000)
    seen = set()
    for found in result.findings:
        written = [json.loads(x) if isinstance(x, Raw) else x for x in found.json_items()]
        assert written == [finding.to_json() for finding in found], found.kind.key
        totals = found.totals()
        assert totals.count == len(found)
        assert totals.bytes == sum(f.bytes for f in found)
        assert totals.reclaimable_bytes == sum(f.reclaimable_bytes for f in found)
        assert totals.items == sum(len(f.items) for f in found)
        if written:
            seen.add(found.kind.key)
    assert seen == {
        "duplicates",
        "duplicate_folders",
        "temp_files",
        "empty_files",
        "empty_dirs",
        "old_files",
        "big_files",
    }


def test_covered_counts_each_key_once_file_numbers_in_a_bitmap():
    covered = Covered()
    # file numbers (the tree's lists' keys), in any order, growing the bitmap
    assert covered.new([5, 0, 5, 1_000_000, 3]) == [5, 0, 1_000_000, 3]
    assert covered.new(range(7)) == [1, 2, 4, 6]
    assert len(covered._numbers) <= 2 * 1_000_001
    # other keys (a stored item's device and inode; a negative number) in a set
    assert covered.add((1, 5)) and not covered.add((1, 5))
    assert covered.add(-1) and not covered.add(-1) and -1 in covered
    assert covered.add(True) and True in covered  # a bool is not a file number
    covered.update([7, 8, (2, 2)])
    assert all(key in covered for key in (7, 8, (2, 2), 1_000_000))
    assert 9 not in covered and 10**7 not in covered and (3, 3) not in covered
    assert covered.new([8, 9, (2, 2), (3, 3)]) == [9, (3, 3)]


class _SizesOnly(FindingList):
    """A list that offers only :meth:`FindingList.sizes`: the reference path."""

    def __init__(self, found: FindingList) -> None:
        super().__init__(found.kind.key)
        self._found = found

    def __len__(self) -> int:
        return len(self._found)

    def finding(self, position: int) -> Finding:
        return self._found.finding(position)

    def totals(self) -> Totals:
        return self._found.totals()

    def sizes(self) -> Iterator[tuple[Hashable, int]]:
        return self._found.sizes()


def test_tree_findings_reclaimable_is_the_reference_sum(tmp_path: Path):
    root = build(tmp_path / "tree")
    # temporary files that are also copies (of a duplicate and of each other)
    (root / "backup" / "report.pdf~").write_bytes((root / "backup" / "report.pdf").read_bytes())
    (root / "docs" / "a.tmp").write_bytes(b"same temp" * 9)
    (root / "docs" / "b.tmp").write_bytes(b"same temp" * 9)
    result = scan([root], ScanOptions(top=5), now=1_700_000_000)
    fast = result.findings.reclaimable()
    reference = Findings([_SizesOnly(found) for found in result.findings]).reclaimable()
    assert fast == reference
    temp = result.findings["temp_files"].totals().reclaimable_bytes
    assert fast.total < fast.by_kind["duplicates"] + temp  # some counted once
    assert fast.total > fast.by_kind["duplicates"]


def test_native_file_items_keep_the_list_order(tmp_path: Path):
    """The core's JSON of a list in another order than the tree's (old files, oldest
    first), with and without the temporary files' suffixes: the same text as item by item."""
    import random

    from menage.files import native
    from menage.files.analysers import _Files
    from menage.files.columnar import json_file_items

    if not native.use_native():
        pytest.skip("the native core is not built")
    root = build(tmp_path / "tree")
    result = scan([root], ScanOptions(top=5), now=1_700_000_000)
    files = _Files(result.tree)
    rows = list(range(len(result.tree)))
    suffixes = [',"kind":"a"', ',"kind":"b"']
    for seed in range(5):
        order = rows[:]
        random.Random(seed).shuffle(order)
        for chosen in (order, sorted(order[: len(order) // 2]), order[:3], order[:1]):
            which = [i % 2 for i in range(len(chosen))]
            for extra in (None, (suffixes, which)):
                chunks = json_file_items(result.tree, chosen, ",\n  ", extra)
                assert chunks is not None
                expected = ",\n  ".join(
                    files.json(i) + (suffixes[which[n]] if extra else "") + "}"
                    for n, i in enumerate(chosen)
                )
                assert "".join(chunks) == expected


@pytest.mark.parametrize(("files", "groups"), [(4096, 512), (7, 4), (1, 1)])
def test_duplicate_groups_json_in_chunks_of_files_and_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: int, groups: int
):
    """The core encodes the groups a chunk at a time, a chunk ending at ``files`` files
    or ``groups`` groups: the text joined is the findings' JSON, whatever the cut."""
    from menage.files import columnar, native

    if not native.use_native():
        pytest.skip("the native core is not built")
    root = tmp_path / "tree"
    for n in range(30):  # 30 groups of 2 to 6 copies
        for copy in range(2 + n % 5):
            (root / f"d{copy}").mkdir(parents=True, exist_ok=True)
            (root / f"d{copy}" / f"f{n}.txt").write_bytes(b"content %d " % n * (n + 1))
    monkeypatch.setattr(columnar, "JSON_CHUNK", files)
    monkeypatch.setattr(columnar, "JSON_GROUP_CHUNK", groups)
    found = scan([root], ScanOptions(), now=1_700_000_000).findings["duplicates"]
    assert len(found) == 30
    chunks = found.json_joined(",")
    assert chunks is not None
    texts = list(chunks)
    assert json.loads("[" + ",".join(texts) + "]") == [f.to_json() for f in found]
    # a chunk ends at `files` files (its last group may pass them) or `groups` groups
    assert len(texts) >= -(-30 // groups)
    if files == 7:
        assert len(texts) > -(-30 // groups)


def test_file_items_json_takes_four_or_eight_byte_file_numbers(tmp_path: Path):
    """The old files' list comes as 4-byte file numbers, other lists as 8-byte ones: the
    core's JSON is the same for both, and a number outside the tree is refused."""
    from array import array

    from menage.files import native
    from menage.files.walk import walk

    core = native.load()
    if core is None or not native.use_native():
        pytest.skip("the native core is not built")
    for n in range(5):
        (tmp_path / f"f{n}").write_bytes(b"x" * n)
    tree = walk([str(tmp_path).encode()])
    columns = (tree.paths, tree.size, tree.mtime_ns, tree.dev, tree.ino)
    wide, narrow = array("q", [4, 0, 2]), array("I", [4, 0, 2])
    texts = [core.json_file_items(*columns, numbers, 0, 3, ",") for numbers in (wide, narrow)]
    assert texts[0] == texts[1]
    assert [item["size"] for item in json.loads("[" + texts[0] + "]")] == [4, 0, 2]
    for bad in (array("I", [5]), array("q", [99])):
        with pytest.raises(ValueError, match="out of range"):
            core.json_file_items(*columns, bad, 0, 1, ",")
