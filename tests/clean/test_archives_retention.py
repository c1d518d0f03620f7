"""Archives are never planned nor applied; the quarantine's retention is said, never acted."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from tests.clean.conftest import OLD, make_plan, plan_lines, scan, write


def old_tree(root: Path) -> None:
    write(root / "Délibérations" / "1998.pdf", b"D" * 5000, mtime=OLD)
    write(root / "Service" / "Marchés" / "2001.pdf", b"M" * 4000, mtime=OLD)
    write(root / "Service" / "notes.txt", b"N" * 3000, mtime=OLD)
    write(root / "Brouillons" / "old.txt", b"B" * 2000, mtime=OLD)


def set_config(menage_home: Path, text: str) -> None:
    path = menage_home / "config" / "menage" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def test_archives_are_never_planned_and_old_files_get_a_caution(menage, menage_home, tmp_path):
    root = tmp_path / "partage"
    old_tree(root)
    (root / "Service" / "Marchés" / ".menage-archives").write_bytes(b"")
    set_config(menage_home, f'[plan]\narchives = ["{root / "Délibérations"}"]\n')
    scan(menage, root)
    result = menage("plan", "--older-than", "1y", "-o", tmp_path / "plan.json")
    assert result.exit_code == 0, result.stderr
    assert "public archives" in result.stderr
    assert "2 files are in folders marked as archives: never planned." in result.stderr
    planned = sorted(a["path"] for a in plan_lines(tmp_path / "plan.json"))
    assert planned == [str(root / "Brouillons" / "old.txt"), str(root / "Service" / "notes.txt")]


def test_a_plan_naming_an_archive_is_refused_at_apply_with_its_line(menage, tmp_path):
    root = tmp_path / "partage"
    old_tree(root)
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "plan.json", "--older-than", "1y")
    # marked after the plan was made
    (root / "Délibérations" / ".menage-archives").write_bytes(b"")
    before = sorted(p for p in root.rglob("*"))
    refused = menage("apply", plan, "--yes")
    assert refused.exit_code == 6, refused.stderr
    assert "a folder marked as archives" in refused.stderr
    assert "line" in refused.stderr
    assert sorted(p for p in root.rglob("*")) == before


def test_history_shows_the_quarantine_apart_from_what_purges_freed(menage, tree, tmp_path):
    scan(menage, tree)
    plan = make_plan(menage, tmp_path / "plan.json", "--duplicates")
    assert menage("apply", plan, "--yes").exit_code == 0
    shown = menage("history")
    assert "In the quarantine: 4 items, 13.9 kB" in shown.stdout, shown.stdout
    assert "Freed on disk by purges" not in shown.stdout
    (run,) = json.loads(menage("history", "--json").stdout)
    assert (run["in_quarantine_bytes"], run["purged_bytes"]) == (13_900, 0), run
    purged = menage("purge", "--run", "1", "--yes")
    assert purged.exit_code == 0, purged.stderr
    shown = menage("history")
    assert "In the quarantine: 0 items" in shown.stdout
    assert "Freed on disk by purges: 13.9 kB (4 items deleted for good)." in shown.stdout
    (run,) = json.loads(menage("history", "--json").stdout)
    assert (run["in_quarantine_bytes"], run["purged_bytes"]) == (0, 13_900), run


def test_past_the_retention_a_purge_is_proposed_never_run(menage, menage_home, tree, tmp_path):
    from menage.clean.journal import Journal

    set_config(menage_home, "[quarantine]\nretention = 10\n")
    scan(menage, tree)
    plan = make_plan(menage, tmp_path / "plan.json", "--duplicates")
    applied = menage("apply", plan, "--yes")
    assert applied.exit_code == 0
    assert "purge --older-than" not in applied.stderr
    # eleven days later
    journal_path = menage_home / "journal.sqlite"
    with Journal(journal_path) as journal:
        journal.db.execute("UPDATE actions SET done_at = ?", (time.time() - 11 * 86400,))
    stashes = [e.stash for e in Journal(journal_path, lock=False).entries() if e.stash]
    for args in (("history",), ("scan", tree)):
        result = menage(*args)
        assert result.exit_code == 0, result.stderr
        assert "more than 10 days (run 1)" in result.stderr, (args, result.stderr)
        assert "`menage purge --older-than 10d`" in result.stderr
    assert all(os.path.lexists(s) for s in stashes)  # nothing purged
    history = json.loads(menage("history", "--json").stdout)
    assert history[0]["purged_bytes"] == 0
