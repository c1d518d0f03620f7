"""Operations are registered per (source, kind); the journal is read through them."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from menage.clean.registry import Operation, operations, register


def test_every_kind_a_plan_may_hold_has_its_file_operation():
    from menage.clean.plan import KINDS

    registered = {(op.source, op.kind) for op in operations()}
    assert {("files", kind) for kind in KINDS} <= registered


def test_every_operation_declares_the_hook_points_it_passes():
    from menage.hooks import POINTS

    for op in operations():
        assert op.points, op.kind
        assert set(op.points) <= set(POINTS), op.kind
        assert ("purge.act" in op.points) == op.purgeable, op.kind


def test_a_second_operation_for_the_same_pair_is_refused():
    quarantine = next(op for op in operations() if op.kind == "quarantine")
    assert register(quarantine) is quarantine  # the same one again: nothing changes
    with pytest.raises(ValueError, match="already registered"):
        register(dataclasses.replace(quarantine, points=()))
    assert isinstance(quarantine, Operation)


@pytest.fixture
def applied(menage, tree, tmp_path):
    from tests.clean.conftest import make_plan, scan

    scan(menage, tree)
    plan = make_plan(menage, tmp_path / "p", "--duplicates")
    assert menage("apply", plan, "--yes").exit_code == 0
    return tree


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("source", "pst", "action 1: unknown source 'pst'"),
        ("kind", "delete", "action 1: unknown action 'delete'"),
    ],
)
def test_an_unregistered_source_or_kind_is_refused_never_guessed(
    menage, applied, menage_home, column, value, message
):
    db = sqlite3.connect(menage_home / "journal.sqlite")
    with db:
        db.execute(f"UPDATE actions SET {column} = ? WHERE id = 1", (value,))
    db.close()
    for args in (("undo", "--yes"), ("purge", "--all", "--yes"), ("history",)):
        result = menage(*args)
        assert result.exit_code == 7, result.stderr
        assert f"is damaged ({message})" in result.stderr
        assert "Traceback" not in result.stderr
