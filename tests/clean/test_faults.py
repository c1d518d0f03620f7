"""A fault at a hook point is a crash at that very step: the next command settles it.

The hook points of :mod:`menage.hooks` also inject faults (the hook raises), the start
of the fault injection at every step of every operation that issue #9 asks for.
"""

from __future__ import annotations

import os

import pytest

from tests.clean.conftest import OLD, make_plan, scan, snapshot, write


class Injected(Exception):
    """The fault the hook raises."""


def raise_fault(_path: bytes) -> None:
    raise Injected("injected fault")


@pytest.fixture
def mixed(menage, tmp_path):
    d = tmp_path / "d"
    write(d / "keep.txt", b"K" * 4000, mtime=OLD)
    write(d / "copy.txt", b"K" * 4000, mtime=OLD + 5)
    write(d / "keep2.txt", b"L" * 4000, mtime=OLD)
    write(d / "copy2.txt", b"L" * 4000, mtime=OLD + 5)
    write(d / "junk.tmp", b"t" * 300)
    (d / "empty" / "inner").mkdir(parents=True)
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--temp", "--empty")
    text = plan.read_text().replace(
        '"action": "quarantine", "path": "' + str(d / "copy2.txt"),
        '"action": "hardlink", "path": "' + str(d / "copy2.txt"),
    )
    plan.write_text(text)
    return d, plan


def crash_then_settle(menage, args) -> None:
    from click.testing import CliRunner

    from menage.cli._app import cli

    # the fault escapes the command, as a kill would stop it
    result = CliRunner().invoke(cli, [os.fspath(a) for a in args])
    assert result.exit_code != 0
    from menage import hooks

    hooks.hook = None
    settled = menage("history", "--json")
    assert settled.exit_code == 0, settled.stderr


@pytest.mark.parametrize("point", ["apply.act", "apply.acted"])
@pytest.mark.parametrize("nth", [1, 2, 3, 4])
def test_a_fault_during_apply(menage, mixed, at_hook, point, nth):
    d, plan = mixed
    before = snapshot(d)
    calls = {"n": 0}

    def on_nth(path: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == nth:
            raise_fault(path)

    at_hook(point, on_nth, times=99)
    crash_then_settle(menage, ["apply", plan, "--yes"])
    undo = menage("undo", "--yes")
    assert undo.exit_code in (0, 1), undo.stderr  # 1: the fault came before any move
    assert snapshot(d) == before


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_a_fault_during_undo(menage, mixed, at_hook, nth):
    d, plan = mixed
    before = snapshot(d)
    assert menage("apply", plan, "--yes").exit_code == 0
    calls = {"n": 0}

    def on_nth(path: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == nth:
            raise_fault(path)

    at_hook("undo.act", on_nth, times=99)
    crash_then_settle(menage, ["undo", "--yes"])
    assert menage("undo", "--yes").exit_code == 0
    assert snapshot(d) == before


@pytest.mark.parametrize("nth", [1, 2])
def test_a_fault_during_purge(menage, mixed, at_hook, menage_home, nth):
    d, plan = mixed
    assert menage("apply", plan, "--yes").exit_code == 0
    after_apply = snapshot(d)
    calls = {"n": 0}

    def on_nth(path: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == nth:
            raise_fault(path)

    at_hook("purge.act", on_nth, times=99)
    crash_then_settle(menage, ["purge", "--all", "--yes"])
    assert snapshot(d) == after_apply
    assert menage("purge", "--all", "--yes").exit_code == 0
    assert not [p for p in (menage_home / "quarantine").rglob("*") if p.is_file()]
    assert (d / "keep.txt").read_bytes() == b"K" * 4000
    assert (d / "keep2.txt").read_bytes() == b"L" * 4000
