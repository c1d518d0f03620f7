"""F1 and F8 (issue #8): Ménage's own folders and the scanned folders, by identity.

F1: when `~/.local` is a symbolic link, scanning `~` used to walk the quarantine
under its real path; a second clean kept the quarantined copy and quarantined the
real one, and `purge --all` deleted both. F8: a hand-edited plan could leave the
scanned folders through a symbolic link.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.clean.conftest import OLD, make_plan, plan_lines, rewrite_plan, scan, write


@pytest.fixture
def dotfiles_home(tmp_path, monkeypatch):
    """A user whose ~/.local is a link into ~/dotfiles, with MENAGE_HOME unset."""
    home = tmp_path / "fakehome"
    (home / "dotfiles" / "local" / "share").mkdir(parents=True)
    (home / ".local").symlink_to("dotfiles/local")
    monkeypatch.delenv("MENAGE_HOME")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    return home


def test_the_quarantine_behind_a_linked_dotfolder_is_never_a_copy(menage, dotfiles_home):
    home = dotfiles_home
    content = os.urandom(150_000)
    write(home / "Documents" / "report.pdf", content, mtime=1_420_070_400)  # 2015
    write(home / "Downloads" / "report.pdf", content)
    first = menage("clean", home, "--duplicates", "--keep", "newest", "--yes")
    assert first.exit_code == 0, first.stderr
    assert not (home / "Documents" / "report.pdf").exists()
    second = menage("clean", home, "--duplicates", "--yes")
    assert second.exit_code == 0, second.stderr
    assert "Nothing to do" in second.stderr
    assert menage("purge", "--all", "--yes").exit_code == 0
    assert (home / "Downloads" / "report.pdf").read_bytes() == content


def test_plans_never_include_the_journal_or_the_index(menage, dotfiles_home):
    home = dotfiles_home
    write(home / "a.txt", b"x" * 5000, mtime=OLD)
    menage("scan", home)
    menage("history")  # the journal exists
    result = menage("clean", home, "--older-than", "1d", "--yes")
    assert result.exit_code == 0, result.stderr
    state = home / "dotfiles" / "local" / "share" / "menage"
    assert (state / "journal.sqlite").exists() and (state / "index.sqlite").exists()
    runs = json.loads(menage("history", "--json").stdout)
    assert runs[0]["freed"]["files"] == 1


def test_a_linked_menage_home_inside_the_scanned_folder(menage, tmp_path, monkeypatch):
    root = tmp_path / "root"
    state = tmp_path / "elsewhere" / "state"
    state.mkdir(parents=True)
    (root).mkdir()
    (root / "state-link").symlink_to(state)
    monkeypatch.setenv("MENAGE_HOME", str(root / "state-link"))
    write(root / "keep.txt", b"k" * 3000, mtime=OLD)
    write(root / "copy.txt", b"k" * 3000, mtime=OLD + 5)
    assert menage("clean", root, "--duplicates", "--yes").exit_code == 0
    # following links reaches the quarantine under another name: still never a copy
    found = menage("scan", root, "--follow-links", "--json")
    assert found.exit_code == 0, found.stderr
    assert json.loads(found.stdout)["duplicates"]["groups"] == 0
    assert menage("purge", "--all", "--yes").exit_code == 0
    assert (root / "keep.txt").read_bytes() == b"k" * 3000


def test_a_hand_edited_plan_cannot_act_inside_the_quarantine(menage, tmp_path, menage_home):
    root = tmp_path / "t"
    write(root / "a.txt", b"A" * 2000, mtime=OLD)
    write(root / "b.txt", b"A" * 2000, mtime=OLD + 9)
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates")
    assert menage("apply", plan, "--yes").exit_code == 0
    stashed = next(p for p in (menage_home / "quarantine").rglob("b.txt"))
    # reach the quarantine through a link inside the scanned folder
    (root / "q").symlink_to(menage_home / "quarantine")
    via_link = root / "q" / stashed.relative_to(menage_home / "quarantine")
    scan(menage, root)
    plan2 = tmp_path / "p2.json"
    plan2.write_text(plan.read_text())

    def aim(line):
        st = stashed.stat()
        line.update(path=str(via_link), keep=str(root / "a.txt"), inode=st.st_ino)
        line.update(device=st.st_dev, mtime_ns=st.st_mtime_ns)
        return line

    rewrite_plan(plan2, aim)
    # the scan of the header is the last one
    text = plan2.read_text().replace('"scan": 1', '"scan": 2')
    plan2.write_text(text)
    result = menage("apply", plan2, "--yes")
    assert result.exit_code == 6, result.stderr
    assert "inside Ménage's own folders" in result.stderr
    assert stashed.read_bytes() == b"A" * 2000


def test_a_kept_copy_in_the_quarantine_is_refused(menage, tmp_path, menage_home):
    root = tmp_path / "t"
    write(root / "a.txt", b"A" * 2000, mtime=OLD)
    write(root / "b.txt", b"A" * 2000, mtime=OLD + 9)
    write(root / "c.txt", b"A" * 2000, mtime=OLD + 20)
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates")
    rewrite_plan(plan, lambda line: line if line["path"].endswith("b.txt") else None)
    assert menage("apply", plan, "--yes").exit_code == 0
    stashed = next(p for p in (menage_home / "quarantine").rglob("b.txt"))
    (root / "q").symlink_to(stashed.parent)
    scan(menage, root)
    plan2 = make_plan(menage, tmp_path / "p2.json", "--duplicates")
    rewrite_plan(plan2, lambda line: {**line, "keep": str(root / "q" / "b.txt")})
    result = menage("apply", plan2, "--yes")
    assert result.exit_code == 6
    assert "inside Ménage's own folders" in result.stderr
    assert (root / "a.txt").exists() and (root / "c.txt").exists()


def test_a_plan_cannot_leave_the_scanned_folders_through_a_link(menage, tmp_path):
    """F8: `ln -s /elsewhere T/out`; `quarantine T/out/secret.txt` is refused."""
    root = tmp_path / "T"
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere / "secret.txt", b"secret", mtime=OLD)
    write(root / "notes.txt", b"n" * 100, mtime=OLD)
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "p.json", "--older-than", "1d")
    (root / "out").symlink_to(elsewhere)
    st = (elsewhere / "secret.txt").stat()

    def retarget(line):
        return {
            **line,
            "path": str(root / "out" / "secret.txt"),
            "inode": st.st_ino,
            "device": st.st_dev,
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
        }

    rewrite_plan(plan, retarget)
    line = next(
        n for n, text in enumerate(plan.read_text().splitlines(), 1) if "secret.txt" in text
    )
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 6, result.stderr
    assert f"line {line}:" in result.stderr
    assert "outside the scanned folders once symbolic links are resolved" in result.stderr
    assert (elsewhere / "secret.txt").read_bytes() == b"secret"


def test_a_folder_turned_into_a_link_during_the_apply_is_refused(menage, tmp_path, at_hook):
    """F8, as a race: the check passed, then a folder became a link leading out."""
    root = tmp_path / "T"
    elsewhere = tmp_path / "elsewhere"
    write(root / "a" / "first.tmp", b"1", mtime=OLD)
    write(root / "z" / "second.tmp", b"2", mtime=OLD)
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "p.json", "--temp")
    assert [Path(x["path"]).name for x in plan_lines(plan)] == ["first.tmp", "second.tmp"]

    def swap(_path: bytes) -> None:
        # z moves elsewhere and a link takes its name: same file, outside the roots
        (root / "z").rename(elsewhere)
        (root / "z").symlink_to(elsewhere)

    at_hook("apply.act", swap, match=lambda path: path.endswith(b"first.tmp"))
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3
    assert "second.tmp: outside the scanned folders" in result.stderr
    assert (elsewhere / "second.tmp").read_bytes() == b"2"
