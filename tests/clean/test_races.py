"""F2, F3 and F4 (issue #8): temporary names, restores and checks that go stale.

The races are made deterministic by :mod:`menage.hooks`: the test changes the files
at exactly the moment between Ménage's last check and its act.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.clean.conftest import OLD, make_plan, plan_lines, scan, write


def history(menage):
    return json.loads(menage("history", "--json").stdout)


def journal_value(home: Path, column: str, path: Path) -> bytes | None:
    db = sqlite3.connect(home / "journal.sqlite")
    try:
        row = db.execute(
            f"SELECT {column} FROM actions WHERE path = ? ORDER BY id DESC LIMIT 1",
            (os.fsencode(path),),
        ).fetchone()
    finally:
        db.close()
    return row[0] if row else None


def everything_under(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# -- F2: temporary names ----------------------------------------------------------


def test_a_file_named_like_an_old_temporary_name_is_untouched(menage, tmp_path):
    d = tmp_path / "d"
    write(d / "k", b"same\n", mtime=946_684_800)
    write(d / "x", b"same\n", mtime=OLD)
    write(d / ".menage-1.x.tmp", b"precious\n")
    write(d / ".menage-restore.x.tmp", b"precious too\n")
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", "hardlink")
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 0, result.stderr
    assert (d / "x").stat().st_ino == (d / "k").stat().st_ino
    assert menage("undo", "--yes").exit_code == 0
    assert (d / ".menage-1.x.tmp").read_bytes() == b"precious\n"
    assert (d / ".menage-restore.x.tmp").read_bytes() == b"precious too\n"
    assert (d / "x").read_bytes() == b"same\n"
    leftovers = [p.name for p in d.iterdir() if p.name.startswith(".menage-")]
    assert sorted(leftovers) == [".menage-1.x.tmp", ".menage-restore.x.tmp"]


@pytest.mark.parametrize("kind", ["hardlink", "reflink"])
def test_a_file_made_at_our_temporary_name_is_never_removed(
    menage, tmp_path, menage_home, at_hook, kind
):
    """Even a file that takes Ménage's random name in the instant before it is made."""
    d = tmp_path / "d"
    write(d / "k", b"same\n", mtime=946_684_800)
    write(d / "x", b"same\n", mtime=OLD)
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", kind)
    squatted: list[bytes] = []

    def squat(path: bytes) -> None:
        tmp = journal_value(menage_home, "tmp", Path(os.fsdecode(path)))
        assert tmp is not None
        with open(tmp, "xb") as handle:
            handle.write(b"not Menage's")
        squatted.append(tmp)

    at_hook("apply.act", squat)
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3
    assert Path(os.fsdecode(squatted[0])).read_bytes() == b"not Menage's"
    assert (d / "x").read_bytes() == b"same\n"


def test_a_file_made_at_our_restore_name_is_never_removed(menage, tmp_path, menage_home, at_hook):
    d = tmp_path / "d"
    write(d / "k", b"same\n", mtime=946_684_800)
    write(d / "x", b"same\n", mtime=OLD)
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", "hardlink")
    assert menage("apply", plan, "--yes").exit_code == 0
    squatted: list[bytes] = []

    def squat(path: bytes) -> None:
        tmp = journal_value(menage_home, "tmp", d / "x")
        assert tmp is not None and os.path.dirname(tmp) == os.fsencode(d)
        with open(tmp, "xb") as handle:
            handle.write(b"not Menage's")
        squatted.append(tmp)

    at_hook("undo.act", squat)
    result = menage("undo", "--yes")
    assert result.exit_code == 3
    assert Path(os.fsdecode(squatted[0])).read_bytes() == b"not Menage's"
    # the hardlink is still there, and a second undo puts the original back
    assert menage("undo", "--yes").exit_code == 0
    assert (d / "x").stat().st_ino != (d / "k").stat().st_ino


# -- F3: a file saved during the undo ------------------------------------------------


def _save_new_version(path: bytes) -> None:
    """What an editor does: write a new file, rename it over."""
    new = path + b".new"
    with open(new, "wb") as handle:
        handle.write(b"saved during the undo")
    os.rename(new, path)


@pytest.mark.parametrize(
    ("kind", "purged"),
    [
        pytest.param("hardlink", True, id="hardlink-after-purge"),
        pytest.param("hardlink", False, id="hardlink-before-purge"),
        pytest.param("quarantine", False, id="quarantine"),
    ],
)
def test_a_file_saved_during_the_undo_is_never_replaced(menage, tmp_path, at_hook, kind, purged):
    d = tmp_path / "d"
    write(d / "keep-small", b"s" * 10, mtime=OLD)
    write(d / "small", b"s" * 10, mtime=OLD + 1)
    for n in range(3):
        write(d / f"keep-big{n}", bytes([n]) * 300_000, mtime=OLD)
        write(d / f"big{n}", bytes([n]) * 300_000, mtime=OLD + 1)
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", kind)
    assert menage("apply", plan, "--yes").exit_code == 0
    if purged:
        assert menage("purge", "--all", "--yes").exit_code == 0
    if kind == "quarantine":
        # the path is free: the file appears there between the check and the restore
        def appear(path: bytes) -> None:
            with open(path, "xb") as handle:
                handle.write(b"saved during the undo")

        at_hook("undo.act", appear, match=lambda path: path == os.fsencode(d / "small"))
    else:
        at_hook("undo.act", _save_new_version, match=lambda path: path == os.fsencode(d / "small"))
    result = menage("undo", "--yes")
    assert result.exit_code == 0, result.stderr
    assert (d / "small").read_bytes() == b"saved during the undo"
    assert (d / "small (restored)").read_bytes() == b"s" * 10
    assert "small was put back as" in result.stdout
    for n in range(3):
        assert (d / f"big{n}").read_bytes() == bytes([n]) * 300_000


def test_restores_without_renameat2_never_replace_either(menage, tmp_path, at_hook, no_renameat2):
    d = tmp_path / "d"
    write(d / "keep-small", b"s" * 10, mtime=OLD)
    write(d / "small", b"s" * 10, mtime=OLD + 1)
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", "hardlink")
    assert menage("apply", plan, "--yes").exit_code == 0
    at_hook("undo.act", _save_new_version)
    assert menage("undo", "--yes").exit_code == 0
    assert (d / "small").read_bytes() == b"saved during the undo"
    assert (d / "small (restored)").read_bytes() == b"s" * 10


# -- F4: checks that go stale ----------------------------------------------------------


@pytest.fixture
def pairs(menage, tmp_path):
    """Three duplicate pairs: a big, a middle and a small one; the plan for them."""
    d = tmp_path / "d"
    for name, size in (("big", 400_000), ("middle", 300_000), ("small", 100)):
        data = os.urandom(size)
        write(d / "kept" / name, data, mtime=OLD)
        write(d / "copies" / name, data, mtime=OLD + 5)
    scan(menage, d)
    return d


def _is(path: Path):
    return lambda candidate: candidate == os.fsencode(path)


@pytest.mark.parametrize("kind", ["quarantine", "hardlink"])
def test_the_kept_copy_removed_at_the_last_moment(menage, pairs, tmp_path, at_hook, kind):
    d = pairs
    contents = everything_under(d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", kind)
    at_hook("apply.act", lambda _p: os.unlink(d / "kept" / "big"), match=_is(d / "copies" / "big"))
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3
    assert "copies/big: the kept copy" in result.stderr
    # the only copy left is where it was, never only in the quarantine
    assert (d / "copies" / "big").read_bytes() == contents["kept/big"]
    assert history(menage)[0]["skipped"] == 1


@pytest.mark.parametrize("kind", ["quarantine", "hardlink"])
def test_the_kept_copy_edited_at_the_last_moment(menage, pairs, tmp_path, at_hook, kind):
    d = pairs
    contents = everything_under(d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", kind)

    def edit(_path: bytes) -> None:
        with open(d / "kept" / "middle", "r+b") as handle:
            handle.write(b"edited!")

    at_hook("apply.act", edit, match=_is(d / "copies" / "middle"))
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3, result.stderr
    assert (d / "copies" / "middle").read_bytes() == contents["copies/middle"]
    assert (d / "copies" / "middle").stat().st_ino != (d / "kept" / "middle").stat().st_ino


@pytest.mark.parametrize("kind", ["quarantine", "hardlink"])
def test_the_duplicate_edited_at_the_last_moment(menage, pairs, tmp_path, at_hook, kind):
    d = pairs
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", kind)

    def edit(path: bytes) -> None:
        with open(path, "r+b") as handle:
            handle.write(b"now unique")

    at_hook("apply.act", edit, match=_is(d / "copies" / "small"))
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3
    assert (d / "copies" / "small").read_bytes().startswith(b"now unique")
    assert (d / "copies" / "small").stat().st_ino != (d / "kept" / "small").stat().st_ino


@pytest.mark.parametrize("point", ["apply.act", "apply.acted"])
def test_a_file_saved_into_an_empty_folder_at_the_last_moment(menage, tmp_path, at_hook, point):
    root = tmp_path / "t"
    (root / "empty" / "deeper").mkdir(parents=True)
    write(root / "other.txt", b"o")
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "p", "--empty")
    assert [Path(x["path"]).name for x in plan_lines(plan)] == ["empty"]
    at_hook(point, lambda _p: write(root / "empty" / "deeper" / "new.txt", b"just saved"))
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3
    assert "no longer empty" in result.stderr
    assert (root / "empty" / "deeper" / "new.txt").read_bytes() == b"just saved"
    purge = menage("purge", "--all", "--yes")
    assert purge.exit_code == 0
    assert (root / "empty" / "deeper" / "new.txt").read_bytes() == b"just saved"


def test_a_file_put_into_a_quarantined_folder_is_never_purged(menage, tmp_path, menage_home):
    root = tmp_path / "t"
    (root / "empty").mkdir(parents=True)
    write(root / "other.txt", b"o")
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "p", "--empty")
    assert menage("apply", plan, "--yes").exit_code == 0
    stash = next((menage_home / "quarantine").rglob("empty"))
    write(stash / "put-here.txt", b"by hand")
    result = menage("purge", "--all", "--yes")
    assert result.exit_code == 3
    assert "now holds files" in result.stderr
    assert (stash / "put-here.txt").read_bytes() == b"by hand"


def test_purge_never_deletes_the_last_copy(menage, pairs, tmp_path, menage_home):
    d = pairs
    contents = everything_under(d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates")
    assert menage("apply", plan, "--yes").exit_code == 0
    os.unlink(d / "kept" / "big")
    with open(d / "kept" / "middle", "r+b") as handle:
        handle.write(b"changed")
    result = menage("purge", "--all", "--yes")
    assert result.exit_code == 3
    assert "Purged 1 item:" in result.stdout
    assert "purging would delete the last copy" in result.stderr
    assert menage("undo", "--yes").exit_code == 0
    assert (d / "copies" / "big").read_bytes() == contents["copies/big"]
    assert (d / "copies" / "middle").read_bytes() == contents["copies/middle"]


def test_purge_checks_each_stash_against_the_journal(menage, pairs, tmp_path, menage_home):
    d = pairs
    plan = make_plan(menage, tmp_path / "p", "--duplicates")
    assert menage("apply", plan, "--yes").exit_code == 0
    stash = next((menage_home / "quarantine").rglob("big"))
    stash.unlink()
    write(stash, b"something else")  # not what was put there
    db = sqlite3.connect(menage_home / "journal.sqlite")
    with db:  # a record pointing outside any quarantine is never followed
        db.execute(
            "UPDATE actions SET stash = ? WHERE path = ?",
            (os.fsencode(d / "kept" / "small"), os.fsencode(d / "copies" / "small")),
        )
    db.close()
    result = menage("purge", "--all", "--yes")
    assert result.exit_code == 3
    assert "is not what was put there" in result.stderr
    assert "is not one of Ménage's" in result.stderr
    assert stash.read_bytes() == b"something else"
    assert (d / "kept" / "small").exists()
