"""The invariant of issue #8, as a property: random plans, random trees, random races.

Hypothesis draws a small tree (duplicates, temporary files, empty folders), a plan
with a random action per file (quarantine, trash, hardlink, reflink), and changes
made by "another program" at the hook points between Ménage's checks and its acts
(:mod:`menage.hooks`): the kept copy removed, edited or replaced, the file itself
edited or replaced, a file saved into an empty folder, a file saved where an undo
is about to restore. After apply, undo and purge:

* every content that existed (before, or written by the other program) is in the
  tree, or in a quarantine or the trash with its journal record, unless the other
  program itself destroyed its last copy, or a purge the user asked for deleted a
  file that was not a duplicate;
* purging what a duplicate action moved never deletes the last copy of its content;
* after an undo, nothing an undone action moved is left in a quarantine.

Deterministic (``derandomize``): the same examples on every run, so it never flakes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from menage import hooks
from menage.clean import (
    PlanOptions,
    apply_plan,
    build_plan,
    cleanup_session,
    home_quarantine,
    purge,
    purgeable,
    undo_run,
)
from menage.clean.undo import entries_to_undo
from menage.files.index import Index
from menage.files.scan import ScanOptions, scan

OLD = 1_500_000_000
CONTENTS = 5  # few contents, so that duplicates are common
MUTATIONS = ("delete_keep", "edit_keep", "replace_keep", "edit_item", "replace_item", "fill")
UNDO_MUTATIONS = ("occupy", "replace_target")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


files_strategy = st.lists(
    st.tuples(
        st.integers(0, 2),  # folder
        st.integers(0, CONTENTS - 1),  # content
        st.sampled_from([0o600, 0o644, 0o640]),
        st.booleans(),  # a temporary file name
    ),
    min_size=2,
    max_size=9,
)
kinds_strategy = st.lists(
    st.sampled_from(["quarantine", "quarantine", "trash", "hardlink", "reflink"]),
    min_size=12,
    max_size=12,
)
mutations_strategy = st.lists(
    st.tuples(
        st.sampled_from(["apply.act", "apply.acted"]), st.integers(0, 6), st.sampled_from(MUTATIONS)
    ),
    max_size=3,
)
undo_mutations_strategy = st.lists(
    st.tuples(st.integers(0, 6), st.sampled_from(UNDO_MUTATIONS)), max_size=2
)


@dataclass
class World:
    """One example's folders, and what the "other program" did."""

    base: Path
    root: Path = field(init=False)
    home: Path = field(init=False)
    trash: Path = field(init=False)
    #: contents that must never be lost (by their digest)
    expected: set[str] = field(default_factory=set)
    marker: int = 0

    def __post_init__(self) -> None:
        self.root = self.base / "tree"
        self.home = self.base / "menage"
        self.trash = self.base / "xdg" / "Trash"

    def kept_places(self) -> list[Path]:
        return [self.home / "quarantine", self.trash / "files"]

    def contents(self) -> dict[str, int]:
        """Every regular file's content in the tree, the quarantine and the trash."""
        found: dict[str, int] = {}
        for base in (self.root, *self.kept_places()):
            for folder, _dirs, names in os.walk(base):
                for name in names:
                    path = os.path.join(folder, name)
                    if stat.S_ISREG(os.lstat(path).st_mode):
                        with open(path, "rb") as handle:
                            key = digest(handle.read())
                        found[key] = found.get(key, 0) + 1
        return found

    def new_content(self, whole: bool = True) -> bytes:
        """Bytes the other program writes (``whole``: a file of their own)."""
        self.marker += 1
        data = b"written by another program %d" % self.marker
        if whole:
            self.expected.add(digest(data))
        return data

    def destroying(self, path: Path) -> None:
        """The other program is about to destroy what ``path`` holds: if that was its
        last copy, its loss is the other program's doing, not Ménage's."""
        try:
            data = path.read_bytes()
        except OSError:
            return
        if self.contents().get(digest(data), 0) <= 1:
            self.expected.discard(digest(data))


def make_tree(world: World, files, empty_folders: int) -> None:
    for n, (folder, content, mode, temporary) in enumerate(files):
        path = world.root / f"d{folder}" / (f"f{n}.tmp" if temporary else f"f{n}.txt")
        path.parent.mkdir(parents=True, exist_ok=True)
        data = b"content %d " % content * (content * 700 + 1)
        path.write_bytes(data)
        os.chmod(path, mode)
        os.utime(path, (OLD + n, OLD + n))
        world.expected.add(digest(data))
    for n in range(empty_folders):
        (world.root / f"empty{n}" / "inner").mkdir(parents=True)


@contextmanager
def example_world() -> Iterator[World]:
    base = Path(tempfile.mkdtemp(prefix="menage-invariant-"))
    saved = {k: os.environ.get(k) for k in ("MENAGE_HOME", "XDG_DATA_HOME")}
    world = World(base)
    os.environ["MENAGE_HOME"] = str(world.home)
    os.environ["XDG_DATA_HOME"] = str(base / "xdg")
    try:
        yield world
    finally:
        hooks.hook = None
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(base, ignore_errors=True)


def plan_for(world: World, kinds, temp: bool, empty: bool):
    with Index(world.home / "index.sqlite") as index:
        result = scan([str(world.root)], ScanOptions(threads=1), index=index)
        scanned = index.scan_findings(result.scan_id)
    plan = build_plan(
        scanned,
        PlanOptions(duplicates=True, temp=temp, empty=empty, excluded=(os.fsencode(world.home),)),
    )
    for n, action in enumerate(plan.actions):
        kind = kinds[n % len(kinds)]
        if action.finding != "duplicates" and kind in ("hardlink", "reflink"):
            kind = "quarantine"
        action.kind = kind
    return plan


def apply_mutations(world: World, plan, mutations) -> None:
    keep_of = {a.path: a.keep for a in plan.actions}
    wanted = {(point, index): kind for point, index, kind in mutations}
    seen: dict[str, int] = {}

    def hook(point: str, raw: bytes) -> None:
        index = seen.get(point, 0)
        seen[point] = index + 1
        kind = wanted.get((point, index))
        if kind is None:
            return
        path = Path(os.fsdecode(raw))
        keep = keep_of.get(raw)
        target = Path(os.fsdecode(keep)) if keep and kind.endswith("_keep") else path
        if kind == "fill":
            if path.is_dir():
                (path / "inner" if (path / "inner").is_dir() else path).joinpath(
                    "saved.txt"
                ).write_bytes(world.new_content())
            return
        if not target.is_file() or target.is_symlink():
            return
        if kind.startswith("delete"):
            world.destroying(target)
            target.unlink()
        elif kind.startswith("edit"):
            world.destroying(target)
            with open(target, "r+b") as handle:
                handle.write(world.new_content(whole=False))
            world.expected.add(digest(target.read_bytes()))
        else:
            world.destroying(target)
            fresh = target.with_name(target.name + ".saving")
            fresh.write_bytes(world.new_content())
            os.rename(fresh, target)

    hooks.hook = hook


def undo_mutations(world: World, mutations) -> None:
    wanted = dict(mutations)
    seen = [0]

    def hook(point: str, raw: bytes) -> None:
        if point != "undo.act":
            return
        index = seen[0]
        seen[0] += 1
        kind = wanted.get(index)
        path = Path(os.fsdecode(raw))
        if kind is None or not path.parent.is_dir():
            return
        if kind == "occupy" and not os.path.lexists(path):
            path.write_bytes(world.new_content())
        elif kind == "replace_target" and path.is_file() and not path.is_symlink():
            world.destroying(path)
            fresh = path.with_name(path.name + ".saving")
            fresh.write_bytes(world.new_content())
            os.rename(fresh, path)

    hooks.hook = hook


def check(world: World, allowed_lost: Collection[str] = frozenset()) -> None:
    present = world.contents()
    lost = world.expected - set(present) - set(allowed_lost)
    assert not lost, f"contents lost: {sorted(lost)}"


@settings(
    derandomize=True,
    database=None,
    max_examples=int(os.environ.get("MENAGE_INVARIANT_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    files=files_strategy,
    empty_folders=st.integers(0, 2),
    temp=st.booleans(),
    empty=st.booleans(),
    kinds=kinds_strategy,
    mutations=mutations_strategy,
    undo_changes=undo_mutations_strategy,
)
def test_nothing_is_ever_lost(files, empty_folders, temp, empty, kinds, mutations, undo_changes):
    with example_world() as world:
        make_tree(world, files, empty_folders)
        plan = plan_for(world, kinds, temp, empty)

        # apply, with the other program at work
        apply_mutations(world, plan, mutations)
        with cleanup_session() as (journal, _recovered):
            outcome = apply_plan(plan, journal, home_quarantine(), digest(repr(plan).encode()))
        hooks.hook = None
        check(world)
        for entry in outcome.done:
            assert not os.path.lexists(entry.file) or entry.kind in ("hardlink", "reflink")

        # undo, with a file saved where a restore is about to go
        undo_mutations(world, undo_changes)
        with cleanup_session() as (journal, _recovered):
            if entries_to_undo(journal, outcome.run_id):
                undone = undo_run(journal, outcome.run_id)
                assert not undone.failed, undone.failed
        hooks.hook = None
        check(world)
        stashes = [p for place in world.kept_places() for p in place.rglob("*") if p.is_file()]
        assert not stashes, f"left in a quarantine after the undo: {stashes}"

        # apply again, then purge everything: only non-duplicates may go for good
        plan = plan_for(world, kinds, temp, empty)
        with cleanup_session() as (journal, _recovered):
            outcome = apply_plan(plan, journal, home_quarantine(), "again")
        check(world)
        allowed: set[str] = set()
        by_path = {}
        for folder, _dirs, names in os.walk(world.home / "quarantine"):
            for name in names:
                by_path[os.path.join(folder, name).encode()] = digest(
                    Path(folder, name).read_bytes()
                )
        with cleanup_session(purging=True) as (journal, _recovered):
            entries = purgeable(journal)
            for entry in entries:
                if entry.finding != "duplicates" and entry.stash in by_path:
                    allowed.add(by_path[entry.stash])
            result = purge(journal, entries)
        check(world, allowed)
        for entry, reason in result.refused:
            assert entry.finding == "duplicates", reason
        # a purged hardlink or reflink can still be undone, from its kept copy
        with cleanup_session() as (journal, _recovered):
            if entries_to_undo(journal, outcome.run_id):
                undo_run(journal, outcome.run_id)
        check(world, allowed)
