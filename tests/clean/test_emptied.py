"""Folders a cleanup left empty: offered, removed through the journal, made again by undo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.clean.conftest import OLD, make_plan, scan, snapshot, write


def emptied_tree(root: Path) -> None:
    """Duplicates whose removal empties some folders and not others."""
    write(root / "keep" / "a.txt", b"A" * 4000, mtime=OLD)
    write(root / "keep" / "b.txt", b"B" * 3000, mtime=OLD)
    write(root / "keep" / "c.txt", b"C" * 2000, mtime=OLD)
    # old/ holds a copy in old/sub/ and an empty folder that was already there
    write(root / "old" / "sub" / "deeper" / "a copy.txt", b"A" * 4000, mtime=OLD + 10)
    (root / "old" / "was-empty").mkdir()
    # photos2/ holds only a copy: it goes, with a mode of its own
    write(root / "photos2" / "b copy.txt", b"B" * 3000, mtime=OLD + 10)
    os.chmod(root / "photos2", 0o750)
    os.utime(root / "photos2", ns=(OLD * 10**9, OLD * 10**9))
    # mixed/ keeps a file of its own
    write(root / "mixed" / "c copy.txt", b"C" * 2000, mtime=OLD + 10)
    write(root / "mixed" / "mine.txt", b"mine")


@pytest.fixture
def emptied(menage, tmp_path):
    root = tmp_path / "tree"
    emptied_tree(root)
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "plan.json", "--duplicates")
    return root, plan


def test_folders_left_empty_are_removed_when_asked_and_undo_makes_them_again(menage, emptied):
    root, plan = emptied
    before = snapshot(root)
    applied = menage("apply", plan, "--yes", "--remove-empty-folders")
    assert applied.exit_code == 0, applied.stderr
    assert "2 empty folders removed." in applied.stdout
    assert not (root / "old" / "sub").exists()
    assert not (root / "photos2").exists()
    # never a folder with other content, never a root
    assert (root / "old" / "was-empty").is_dir()
    assert (root / "mixed" / "mine.txt").is_file()
    assert root.is_dir()
    history = menage("history", "--json")
    assert history.exit_code == 0
    undone = menage("undo", "--yes")
    assert undone.exit_code == 0, undone.stderr
    assert snapshot(root) == before
    assert (os.stat(root / "photos2").st_mode & 0o777) == 0o750


def test_without_a_terminal_they_are_kept_and_it_says_how(menage, emptied):
    root, plan = emptied
    applied = menage("apply", plan, "--yes")
    assert applied.exit_code == 0, applied.stderr
    assert "The cleanup left 2 folders empty" in applied.stderr
    assert "--remove-empty-folders" in applied.stderr
    assert (root / "old" / "sub").is_dir()
    assert (root / "photos2").is_dir()


def test_json_output_stays_json(menage, emptied):
    import json

    root, plan = emptied
    applied = menage("apply", plan, "--yes", "--remove-empty-folders", "--json")
    assert applied.exit_code == 0, applied.stderr
    assert json.loads(applied.stdout)["freed"]["folders"] == 2
    assert "2 empty folders removed." in applied.stderr


def test_keep_empty_folders_says_nothing(menage, emptied):
    root, plan = emptied
    applied = menage("apply", plan, "--yes", "--keep-empty-folders")
    assert applied.exit_code == 0, applied.stderr
    assert "left" not in applied.stderr and "folders empty" not in applied.stderr
    assert (root / "photos2").is_dir()


def test_a_file_saved_in_the_folder_at_the_last_moment_keeps_it(menage, emptied, at_hook):
    root, plan = emptied
    target = os.fsencode(root / "photos2")

    def save_a_file(path: bytes) -> None:
        (root / "photos2" / "new.txt").write_bytes(b"saved just now")

    calls = at_hook("apply.act", save_a_file, match=lambda path: path == target)
    applied = menage("apply", plan, "--yes", "--remove-empty-folders")
    assert calls == [target]
    assert applied.exit_code == 0, applied.stderr
    assert "1 empty folder removed." in applied.stdout
    assert "no longer empty" in applied.stderr
    assert (root / "photos2" / "new.txt").read_bytes() == b"saved just now"
    assert menage("undo", "--yes").exit_code == 0
    assert (root / "photos2" / "b copy.txt").is_file()


def test_a_folder_replaced_or_changed_since_it_was_found_is_kept(menage, emptied, menage_home):
    from menage.clean import cleanup_session, home_quarantine
    from menage.clean.emptied import emptied_folders, remove_emptied

    root, plan = emptied
    assert menage("apply", plan, "--yes", "--keep-empty-folders").exit_code == 0
    with cleanup_session() as (journal, _recovered):
        run_id = journal.runs()[-1].id
        found = emptied_folders(journal, run_id)
        assert [f.path for f in found] == [
            os.fsencode(root / "old" / "sub"),
            os.fsencode(root / "photos2"),
        ]
        # another folder under the same name, and a folder touched since
        os.rename(root / "photos2", root / "photos2-moved")
        (root / "photos2").mkdir()
        (root / "old" / "sub" / "tmp").mkdir()
        (root / "old" / "sub" / "tmp").rmdir()
        result = remove_emptied(journal, home_quarantine(), run_id, found)
    assert result.removed == []
    reasons = sorted(e.reason or "" for e in result.kept)
    assert reasons == ["changed since the cleanup emptied it", "replaced by another folder"]
    assert (root / "photos2").is_dir() and (root / "old" / "sub").is_dir()


def test_a_root_left_empty_is_never_offered(menage, tmp_path):
    from menage.clean import cleanup_session
    from menage.clean.emptied import emptied_folders

    first, second = tmp_path / "first", tmp_path / "second"
    write(first / "a.txt", b"A" * 4000, mtime=OLD)
    write(second / "a.txt", b"A" * 4000, mtime=OLD + 10)
    result = menage("scan", first, second, "--json")
    assert result.exit_code == 0, result.stderr
    plan = make_plan(menage, tmp_path / "plan.json", "--duplicates")
    assert menage("apply", plan, "--yes", "--remove-empty-folders").exit_code == 0
    assert not (second / "a.txt").exists()
    with cleanup_session() as (journal, _recovered):
        assert emptied_folders(journal, journal.runs()[-1].id) == []
    assert second.is_dir()


def test_on_a_terminal_it_asks_in_french_and_oui_removes_them(menage, emptied, menage_home):
    import pty
    import subprocess
    import sys

    root, plan = emptied
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "menage", "--lang", "fr", "apply", plan],
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "MENAGE_HOME": str(menage_home)},
    )
    os.close(secondary)
    os.write(main, b"o\noui\n")  # apply, then remove the emptied folders
    out, err = process.communicate(timeout=120)
    os.close(main)
    assert process.returncode == 0, err.decode()
    assert "Le nettoyage a laissé 2 dossiers vides" in err.decode()
    assert "Les supprimer aussi\u202f? (`menage undo` les recrée) [o/N]" in err.decode()
    assert "2 dossiers vides supprimés." in out.decode()
    assert not (root / "photos2").exists()
