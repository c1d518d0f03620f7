"""A crash at every step of every registered operation, then recovery and undo.

The test enumerates :func:`menage.clean.registry.operations` and, for each, the hook
points it declares (``Operation.points``: the moments between a check and the act it
guards, in apply, undo and purge). At each point it injects a fault (an exception
standing for a kill: it escapes the command, as a kill stops it), the first time the
point is reached and, in a second case, the last time. Then:

1. right after the crash, every original byte is in place, or in a stash that its
   journal record names (:func:`assert_nothing_lost`);
2. the next command (``history``) settles what was in progress;
3. ``undo`` (run until nothing is left) brings back the tree exactly: content, mode,
   modification time and links.

A registered operation whose points are never reached by the test fails it: a new
operation must come with a way to exercise it here (``SCENARIOS``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from menage.clean.registry import operations
from tests.clean.conftest import OLD, make_plan, plan_lines, rewrite_plan, scan, snapshot, write


class Injected(Exception):
    """The fault the hook raises: a kill at that very step."""


def _cases() -> list[tuple[str, str, str, str]]:
    return [
        (op.source, op.kind, point, which)
        for op in operations()
        if op.source in ("files", "photos")  # mail: tests/mail/test_clean_faults.py
        for point in op.points
        for which in ("first", "last")
    ]


def make_files_tree(root: Path) -> None:
    write(root / "keep.txt", b"K" * 4000, mtime=OLD)
    write(root / "copy.txt", b"K" * 4000, mtime=OLD + 5)
    write(root / "keep2.txt", b"L" * 3000, mtime=OLD)
    write(root / "sub" / "copy2.txt", b"L" * 3000, mtime=OLD + 5)
    write(root / "junk.tmp", b"t" * 300)
    (root / "empty" / "inner").mkdir(parents=True)


def files_plan(menage, root: Path, kind: str, tmp_path: Path) -> Path:
    """A plan whose every action it can be is of ``kind`` (links: the duplicates)."""
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "plan", "--duplicates", "--temp", "--empty")

    def change(action):
        if kind in ("hardlink", "reflink") and action.get("finding") != "duplicates":
            return action
        return {**action, "action": kind}

    rewrite_plan(plan, change)
    return plan


def photos_plan(menage, root: Path, kind: str, tmp_path: Path) -> Path:
    """A plan of near-duplicate photos (a similar copy, a burst), every line confirmed."""
    from tests.photos.images import phone_folder

    phone_folder(root)
    result = menage("scan", root, "--photos", "--json")
    assert result.exit_code == 0, result.stderr
    plan = make_plan(menage, tmp_path / "plan", "--similar-photos")
    rewrite_plan(plan, lambda action: {**action, "action": kind, "confirmed": True})
    return plan


def contents(path: Path) -> dict[str, list[bytes]]:
    """Each regular file's content digest → the paths that hold it."""
    found: dict[str, list[bytes]] = {}
    for folder, _dirs, files in os.walk(os.fsencode(path)):
        for name in files:
            full = os.path.join(folder, name)
            if os.path.isfile(full) and not os.path.islink(full):
                with open(full, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
                found.setdefault(digest, []).append(full)
    return found


def _digest(path: bytes) -> str | None:
    if not os.path.isfile(path) or os.path.islink(path):
        return None
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def assert_nothing_lost(
    before: dict[bytes, tuple[str, int, int, int]], journal_path: Path
) -> set[bytes]:
    """Every original file: at its path with its content, in the stash its record names,
    or deleted by the purge asked for (a duplicate's kept copy then still holds its
    bytes). Returns the paths purged for good."""
    from menage.clean import trash
    from menage.clean.journal import Journal

    with Journal(journal_path, read_only=True) as journal:
        entries = journal.entries()
    # "purging": a purge the user asked for, cut short (recovery settles it)
    asked = ("purged", "purging")
    stashes = {e.path: e.stash for e in entries if e.stash is not None and e.state not in asked}
    purged = {e.path: e for e in entries if e.state in asked}
    trashed = {e.path: e for e in entries if e.kind == "trash" and e.state == "intent"}
    for path, (digest, *_rest) in before.items():
        if digest in ("dir", "other") or _digest(path) == digest:
            continue
        if path in purged:
            keep = purged[path].keep
            if keep is not None and purged[path].finding == "duplicates":
                assert _digest(keep) == digest, f"purged {path!r}: its kept copy changed"
            continue
        stash = stashes.get(path)
        if stash is None and path in trashed:
            # sent to the trash, recorded as an intent: its .trashinfo names the path
            found = trash.locate(path, trashed[path].dev or 0, trashed[path].ino or 0)
            stash = found[0] if found is not None else None
        assert stash is not None and _digest(stash) == digest, f"{path!r} is lost"
    return {
        p for p, e in purged.items() if p is not None and (e.keep is None or e.kind == "quarantine")
    }


def crash_in(args: list[str | Path]) -> None:
    from click.testing import CliRunner

    from menage import hooks
    from menage.cli._app import cli

    result = CliRunner().invoke(cli, [os.fspath(a) for a in args])
    hooks.hook = None
    # the CLI reports an unexpected exception as a bug and exits 1: the fault escaped
    assert result.exit_code != 0
    assert "Injected: killed at" in result.output, result.output


def counting_hook(point: str, which: str, targets: set[bytes]) -> list[bytes]:
    """A hook that raises at ``point`` on the first or the last of ``targets`` it meets."""
    from menage import hooks

    calls: list[bytes] = []
    number = 1 if which == "first" else len(targets)

    def hook(name: str, path: bytes) -> None:
        if name != point or path not in targets:
            return
        calls.append(path)
        if len(calls) == number:
            raise Injected(f"killed at {point}")

    hooks.hook = hook
    return calls


def undo_until_done(menage) -> None:
    for _attempt in range(3):
        result = menage("undo", "--yes")
        if "nothing to undo" in result.stderr:
            return
        assert result.exit_code == 0, result.stderr
    raise AssertionError("undo never finished")


@pytest.fixture
def where(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the tree goes in: a btrfs for reflinks, a trash for the trash."""
    kind = request.node.callspec.params["case"][1]
    if kind == "reflink":
        mounted: Path = request.getfixturevalue("btrfs")
        return mounted
    user = tmp_path / "user"
    monkeypatch.setenv("HOME", str(user))
    monkeypatch.setenv("XDG_DATA_HOME", str(user / ".local" / "share"))
    return user


def crash_settle_and_undo(
    menage, root, before, journal, where_crash, targets, command, *, reached_by, label
):
    """Crash ``command`` at the hook point ``where_crash`` (point, which) on one of
    ``targets``; then nothing is lost, the next command settles the run, and undo gives
    back the tree (but what a purge deleted for good)."""
    from menage import hooks

    point, which = where_crash
    try:
        calls = counting_hook(point, which, targets)
        crash_in(command)
    finally:
        hooks.hook = None
    assert calls, f"{point} was never reached by {reached_by}"
    assert_nothing_lost(before, journal)
    settled = menage("history", "--json")
    assert settled.exit_code == 0, settled.stderr
    gone = assert_nothing_lost(before, journal)
    undo_until_done(menage)
    expected = {
        p: v for p, v in before.items() if not any(p == g or p.startswith(g + b"/") for g in gone)
    }
    assert snapshot(root) == expected, f"{label} at {point} ({which}): the tree is back"


@pytest.mark.slow
@pytest.mark.parametrize("case", _cases(), ids="-".join)
def test_a_crash_at_every_step_of_every_operation(menage, menage_home, where, tmp_path, case):
    from menage.clean.journal import Journal

    source, kind, point, which = case
    assert source in ("files", "photos"), f"add a scenario for the source {source!r} here"
    root = where / "tree"
    if source == "photos":
        plan = photos_plan(menage, root, kind, tmp_path)
    else:
        make_files_tree(root)
        plan = files_plan(menage, root, kind, tmp_path)
    before = snapshot(root)
    journal = menage_home / "journal.sqlite"
    phase = point.split(".")[0]
    commands: dict[str, list[str | Path]] = {
        "apply": ["apply", plan, "--yes"],
        "undo": ["undo", "--yes"],
        "purge": ["purge", "--all", "--yes"],
    }
    command = commands[phase]
    targets = {os.fsencode(a["path"]) for a in plan_lines(plan) if a["action"] == kind}
    if phase != "apply":
        assert menage("apply", plan, "--yes").exit_code == 0
        if phase == "purge":
            with Journal(journal, read_only=True) as read:
                targets = {
                    e.stash for e in read.entries() if e.kind == kind and e.stash is not None
                }
    assert targets, f"the plan has no {kind} action"
    crash_settle_and_undo(
        menage, root, before, journal, (point, which), targets, command,
        reached_by=f"a {kind} action", label=kind,
    )  # fmt: skip


def test_every_registered_source_has_its_crash_test():
    """A new source must get its scenarios here or in the mail crash test."""
    from tests.mail.test_clean_faults import MAIL_SOURCES

    assert {op.source for op in operations()} == {"files", "photos", *MAIL_SOURCES}


#: the removal of folders a cleanup left empty (:mod:`menage.clean.emptied`): a folder
#: ``quarantine`` of the same run, after the files; undo makes them again first
EMPTIED_CASES = [
    ("files", "emptied", point, which)
    for point in ("apply.act", "apply.acted", "undo.act", "purge.act")
    for which in ("first", "last")
]


@pytest.mark.slow
@pytest.mark.parametrize("case", EMPTIED_CASES, ids="-".join)
def test_a_crash_while_removing_the_folders_a_cleanup_left_empty(
    menage, menage_home, where, tmp_path, case
):
    from menage.clean.journal import Journal

    _source, _kind, point, which = case
    root = where / "tree"
    make_files_tree(root)
    write(root / "sub2" / "deeper" / "copy3.txt", b"K" * 4000, mtime=OLD + 9)
    os.chmod(root / "sub2", 0o750)
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "plan", "--duplicates")
    before = snapshot(root)
    journal = menage_home / "journal.sqlite"
    folders = {os.fsencode(root / "sub"), os.fsencode(root / "sub2")}
    phase = point.split(".")[0]
    apply: list[str | Path] = ["apply", plan, "--yes", "--remove-empty-folders"]
    commands: dict[str, list[str | Path]] = {
        "apply": apply,
        "undo": ["undo", "--yes"],
        "purge": ["purge", "--all", "--yes"],
    }
    command = commands[phase]
    targets = folders
    if phase != "apply":
        assert menage(*apply).exit_code == 0
        assert not any(os.path.lexists(f) for f in folders)
        if phase == "purge":
            with Journal(journal, read_only=True) as read:
                targets = {e.stash for e in read.entries() if e.is_dir and e.stash is not None}
    crash_settle_and_undo(
        menage, root, before, journal, (point, which), targets, command,
        reached_by="an emptied folder", label="emptied folders",
    )  # fmt: skip
