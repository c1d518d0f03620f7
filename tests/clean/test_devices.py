"""Other filesystems, a read-only quarantine and a full disk: nothing is ever lost.

These tests mount real tmpfs filesystems (root only: they skip locally with the
reason otherwise, and fail in CI where they must run).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.clean.conftest import OLD, make_plan, plan_lines, scan, snapshot, write


def small_tree(root: Path) -> None:
    for n in range(12):
        write(root / "a" / f"doc{n}.txt", b"%d" % n * 3000, mtime=OLD + n, mode=0o640)
        write(root / "b" / f"doc{n}.txt", b"%d" % n * 3000, mtime=OLD + 100 + n, mode=0o600)
    write(root / "b" / "cache.tmp", b"t" * 500)
    (root / "c" / "empty").mkdir(parents=True)


def contents_present(
    before: dict[bytes, tuple[str, int, int, int]], home: Path, extra_homes: tuple[Path, ...] = ()
) -> None:
    """Every file of ``before`` is at its path or in some quarantine with the same bytes."""
    stashed: dict[str, int] = {}
    for base in (home / "quarantine", *extra_homes):
        for folder, _dirs, files in os.walk(base):
            for name in files:
                data = (Path(folder) / name).read_bytes()
                key = __import__("hashlib").sha256(data).hexdigest()
                stashed[key] = stashed.get(key, 0) + 1
    for path, (digest, *_rest) in before.items():
        if digest in ("dir", "other"):
            continue
        if os.path.exists(path):
            continue
        assert stashed.get(digest), f"{path!r} is lost"


def test_other_filesystem_uses_its_own_quarantine(menage, tmp_path, mount_tmpfs, menage_home):
    disk = mount_tmpfs(tmp_path / "usb", size="8m")
    small_tree(disk / "tree")
    before = snapshot(disk / "tree")
    scan(menage, disk / "tree")
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates", "--temp", "--empty")
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 0, result.stderr
    stash = disk / ".menage-quarantine" / "run-1" / "tree" / "b" / "doc3.txt"
    assert stash.read_bytes() == b"3" * 3000
    assert not (menage_home / "quarantine" / "run-1").exists()
    assert menage("undo", "--yes").exit_code == 0
    assert snapshot(disk / "tree") == before


def test_copy_across_filesystems_when_no_quarantine_fits(
    menage, tmp_path, mount_tmpfs, menage_home
):
    disk = mount_tmpfs(tmp_path / "usb", size="8m")
    # something named like the quarantine blocks it: Ménage must copy to its home
    (disk / ".menage-quarantine").write_text("not a folder")
    small_tree(disk / "tree")
    before = snapshot(disk / "tree")
    scan(menage, disk / "tree")
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates", "--temp", "--empty")
    assert menage("apply", plan, "--yes").exit_code == 0
    home_stash = (
        menage_home / "quarantine" / "run-1" / str(disk / "tree" / "b" / "doc3.txt").lstrip("/")
    )
    assert home_stash.read_bytes() == b"3" * 3000
    assert home_stash.stat().st_mode & 0o777 == 0o600
    assert not (disk / "tree" / "b" / "doc3.txt").exists()
    assert menage("undo", "--yes").exit_code == 0
    assert snapshot(disk / "tree") == before


def _bind_readonly(folder: Path) -> None:
    for args in (
        ["mount", "--bind", str(folder), str(folder)],
        ["mount", "-o", "remount,ro,bind", str(folder)],
    ):
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make a read-only bind mount: {done.stderr.strip()}")


def test_read_only_quarantine(menage, tree, tmp_path, menage_home):
    quarantine = menage_home / "quarantine"
    quarantine.mkdir()
    from tests.clean.conftest import need_root_mounts

    need_root_mounts("make a read-only bind mount")
    _bind_readonly(quarantine)
    try:
        before = snapshot(tree)
        scan(menage, tree)
        plan = make_plan(menage, tmp_path / "p.json", "--duplicates", "--temp")
        result = menage("apply", plan, "--yes")
        assert result.exit_code == 3
        assert "read-only file system" in result.stderr
        assert snapshot(tree) == before, "nothing moved, nothing lost"
        runs = json.loads(menage("history", "--json").stdout)
        assert runs[0]["failed"] == len(plan_lines(plan)) and runs[0]["freed"]["files"] == 0
    finally:
        subprocess.run(["umount", "-l", str(quarantine)], capture_output=True)


def _fill(folder: Path, leave: int) -> None:
    """Fill the filesystem of ``folder`` until ``leave`` bytes are free."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    filler = folder / "filler"
    with open(filler, "wb") as handle:
        try:
            handle.write(b"\0" * max(0, free - leave))
        except OSError:
            pass


@pytest.mark.parametrize("leave", [0, 8_000, 40_000, 120_000], ids=lambda n: f"free{n}")
def test_full_disk_same_filesystem(menage, tmp_path, mount_tmpfs, monkeypatch, leave):
    disk = mount_tmpfs(tmp_path / "disk", size="2m")
    home = disk / "home"
    monkeypatch.setenv("MENAGE_HOME", str(home))
    small_tree(disk / "tree")
    before = snapshot(disk / "tree")
    scan(menage, disk / "tree")
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates", "--temp", "--empty")
    _fill(disk, leave)
    result = menage("apply", plan, "--yes")
    assert result.exit_code in (0, 3, 5), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 5:
        assert "no space left" in result.stderr
    contents_present(before, home)
    (disk / "filler").unlink()
    assert menage("history", "--json").exit_code == 0  # settles what was cut short
    undo = menage("undo", "--yes")
    assert undo.exit_code in (0, 1), undo.stderr
    assert snapshot(disk / "tree") == before


@pytest.mark.parametrize("leave", [0, 300_000, 500_000], ids=lambda n: f"free{n}")
def test_full_disk_while_copying_to_the_quarantine(
    menage, tmp_path, mount_tmpfs, monkeypatch, leave
):
    usb = mount_tmpfs(tmp_path / "usb", size="4m")
    full = mount_tmpfs(tmp_path / "home", size="2m")
    monkeypatch.setenv("MENAGE_HOME", str(full / "menage"))
    (usb / ".menage-quarantine").write_text("blocked")
    for n in range(10):  # 10 copies of 100 kB: more than the space left
        write(usb / "tree" / "a" / f"big{n}.bin", bytes([n]) * 100_000, mtime=OLD)
        write(usb / "tree" / "b" / f"big{n}.bin", bytes([n]) * 100_000, mtime=OLD + 9, mode=0o600)
    before = snapshot(usb / "tree")
    scan(menage, usb / "tree")
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates", "--temp")
    menage("history")  # the journal exists before the disk fills up
    _fill(full, leave)
    result = menage("apply", plan, "--yes")
    assert result.exit_code in (3, 5), result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if leave:
        assert "no space left to keep a copy in the quarantine" in result.stderr
    contents_present(before, full / "menage")
    leftovers = [
        n
        for _d, _s, names in os.walk(full)
        for n in names
        if n.endswith(b".partial" if isinstance(n, bytes) else ".partial")
    ]
    assert not leftovers, "a partial copy is never left behind"
    (full / "filler").unlink()
    assert menage("history", "--json").exit_code == 0
    assert menage("undo", "--yes").exit_code in (0, 1)
    assert snapshot(usb / "tree") == before
