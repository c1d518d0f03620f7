"""Score a tool's duplicate groups against the corpus ground truth, file by file (inode).

A "file" is an inode: hardlinks are one file, so a reported group is first collapsed to its
distinct inodes (``lstat`` of every path, relative to where the tool ran). Then:

* a truth group is **exact** when some reported group has exactly its inodes, **partial** when
  some of its inodes were reported but never as that exact group, **missed** when none was;
* a reported group is **wrong** when it mixes truth groups or holds a file that has no
  duplicate (a **false positive**);
* groups of one inode listed under several names are **hardlink-only** groups (deleting them
  frees nothing), groups of empty files are the **empty-file group**; both are counted apart
  and left out of the rest;
* **redundant** files and bytes are what deleting all but one file of each group would free,
  counted by inode (so listing a hardlink as a copy does not inflate them; it shows up in
  ``hardlink_paths_as_copies``).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: identity of a file: (device, inode), or the path itself when it cannot be found
FileKey = tuple[int, int] | bytes


@dataclass(frozen=True)
class TruthGroup:
    size: int
    inodes: frozenset[FileKey]


@dataclass(frozen=True)
class Truth:
    groups: list[TruthGroup]
    summary: dict[str, Any]

    @property
    def redundant_files(self) -> int:
        return sum(len(g.inodes) - 1 for g in self.groups)

    @property
    def redundant_bytes(self) -> int:
        return sum(g.size * (len(g.inodes) - 1) for g in self.groups)


def load_truth(corpus: Path) -> Truth:
    """Read ``ground_truth_groups.jsonl`` and identify each inode on disk."""
    tree = os.fsencode(corpus / "tree")
    groups: list[TruthGroup] = []
    with open(corpus / "ground_truth_groups.jsonl", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            inodes = frozenset(
                _identify(os.path.join(tree, os.fsencode(paths[0])))[0]
                for paths in record["inodes"]
            )
            groups.append(TruthGroup(int(record["size"]), inodes))
    summary = json.loads((corpus / "ground_truth.json").read_text(encoding="utf-8"))
    return Truth(groups, summary)


@dataclass
class Score:
    """How one tool's report compares with the truth."""

    truth_groups: int
    reported_groups: int = 0
    exact: int = 0
    partial: int = 0
    wrong: int = 0
    missed: int = 0
    redundant_files: int = 0
    redundant_bytes: int = 0
    false_positive_files: int = 0
    hardlink_only_groups: int = 0
    hardlink_paths_as_copies: int = 0
    empty_file_group: bool = False
    empty_files_listed: int = 0
    symlinks_listed: int = 0
    missing_paths: int = 0
    #: a few examples of what went wrong, for the notes
    examples: list[str] = field(default_factory=list)

    def matches_truth(self, truth: Truth) -> bool:
        """Exactly the truth: every group, nothing else, and the same reclaimable figures."""
        return (
            self.exact == self.truth_groups == self.reported_groups
            and self.partial == self.wrong == self.missed == 0
            and self.false_positive_files == 0
            and self.hardlink_only_groups == 0
            and self.hardlink_paths_as_copies == 0
            and not self.empty_file_group
            and self.symlinks_listed == 0
            and self.missing_paths == 0
            and self.redundant_files == truth.redundant_files
            and self.redundant_bytes == truth.redundant_bytes
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _identify(path: bytes) -> tuple[FileKey, int, int]:
    """(identity, size, mode) of a path, without following a symbolic link."""
    try:
        st = os.lstat(path)
    except OSError:
        return path, 0, 0
    return (st.st_dev, st.st_ino), st.st_size, st.st_mode


def score(groups: Iterable[list[bytes]], truth: Truth, base: Path) -> Score:
    """Compare reported ``groups`` (paths relative to ``base`` or absolute) with ``truth``."""
    base_b = os.fsencode(base)
    group_of: dict[FileKey, int] = {}
    for number, truth_group in enumerate(truth.groups):
        for key in truth_group.inodes:
            group_of[key] = number
    result = Score(truth_groups=len(truth.groups))
    exact: set[int] = set()
    touched: set[int] = set()
    for paths in groups:
        inodes: dict[FileKey, int] = {}
        for path in paths:
            key, size, mode = _identify(os.path.join(base_b, path))
            if isinstance(key, bytes):
                result.missing_paths += 1
                _example(result, f"no such file: {os.fsdecode(path)!r}")
            elif stat.S_ISLNK(mode):
                result.symlinks_listed += 1
                _example(result, f"symbolic link in a group: {os.fsdecode(path)!r}")
            inodes.setdefault(key, size)
        if len(inodes) < 2:
            if len(paths) >= 2:
                result.hardlink_only_groups += 1
            continue
        if all(size == 0 for size in inodes.values()):
            result.empty_file_group = True
            result.empty_files_listed += len(inodes)
            continue
        result.reported_groups += 1
        result.hardlink_paths_as_copies += len(paths) - len(inodes)
        result.redundant_files += len(inodes) - 1
        result.redundant_bytes += max(inodes.values()) * (len(inodes) - 1)
        numbers = {group_of.get(key) for key in inodes}
        strangers = [key for key in inodes if key not in group_of]
        result.false_positive_files += len(strangers)
        touched.update(n for n in numbers if n is not None)
        if len(numbers) != 1 or None in numbers:
            result.wrong += 1
            _example(result, f"wrong group of {len(inodes)} files (size {max(inodes.values())})")
            continue
        (only,) = numbers
        if only is not None and frozenset(inodes) == truth.groups[only].inodes:
            exact.add(only)
    result.exact = len(exact)
    result.partial = len(touched - exact)
    result.missed = len(truth.groups) - len(touched)
    return result


def _example(result: Score, text: str) -> None:
    if len(result.examples) < 5:
        result.examples.append(text)
