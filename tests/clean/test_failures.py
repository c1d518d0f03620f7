"""F5, F6 and F7 (issue #8): entries that fail, the trash across mounts, metadata.

The mounts (tmpfs, bind mounts) need root: skipped locally otherwise, required in CI.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
from pathlib import Path

import pytest

from tests.clean.conftest import OLD, make_plan, need_root_mounts, plan_lines, scan, snapshot, write


def history(menage):
    result = menage("history", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def no_traceback(*results) -> None:
    for result in results:
        assert "Traceback" not in result.stderr and "This is a bug" not in result.stderr


# -- F5: a failed entry never wedges the journal --------------------------------------


def test_a_longest_name_whose_path_is_taken_comes_back_beside(menage, tmp_path):
    d = tmp_path / "d"
    long_name = "é" * 125 + ".txt"  # 254 bytes in UTF-8
    assert len(long_name.encode()) == 254
    write(d / "keep.txt", b"L" * 500, mtime=OLD)
    write(d / long_name, b"L" * 500, mtime=OLD + 5)
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates")
    assert menage("apply", plan, "--yes").exit_code == 0
    write(d / long_name, b"a new file with that name")
    undo = menage("undo", "--yes")
    assert undo.exit_code == 0, undo.stderr
    beside = [p for p in d.iterdir() if "(restored)" in p.name]
    assert len(beside) == 1 and len(os.fsencode(beside[0].name)) <= 255
    assert beside[0].read_bytes() == b"L" * 500
    assert beside[0].name.endswith(" (restored).txt")
    assert (d / long_name).read_bytes() == b"a new file with that name"
    for args in (("history",), ("purge", "--all", "--yes"), ("undo", "--yes")):
        again = menage(*args)
        no_traceback(again)
        assert again.exit_code in (0, 1), again.stderr


def test_a_loop_of_links_where_a_folder_was_does_not_wedge(menage, tmp_path):
    d = tmp_path / "d"
    write(d / "keep.txt", b"K" * 500, mtime=OLD)
    write(d / "sub" / "copy.txt", b"K" * 500, mtime=OLD + 5)
    write(d / "other.tmp", b"t")
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--temp")
    assert menage("apply", plan, "--yes").exit_code == 0
    os.rmdir(d / "sub")
    (d / "sub").symlink_to("sub")  # a loop where the folder was
    undo = menage("undo", "--yes")
    no_traceback(undo)
    assert undo.exit_code == 3
    assert "is no longer a folder" in undo.stderr
    assert (d / "other.tmp").exists(), "the other entries were put back"
    for args in (("history",), ("apply", plan, "--yes"), ("purge", "--older-than", "9d")):
        no_traceback(menage(*args))
    (d / "sub").unlink()
    assert menage("undo", "1", "--yes").exit_code == 0
    assert (d / "sub" / "copy.txt").read_bytes() == b"K" * 500


def test_an_undo_cut_short_on_a_name_too_long_is_settled(menage, tmp_path, menage_home):
    """The journal left `undoing` with a target that cannot even be looked at."""
    import sqlite3

    d = tmp_path / "d"
    write(d / "keep.txt", b"K" * 500, mtime=OLD)
    write(d / "copy.txt", b"K" * 500, mtime=OLD + 5)
    scan(menage, d)
    assert (
        menage("apply", make_plan(menage, tmp_path / "p", "--duplicates"), "--yes").exit_code == 0
    )
    db = sqlite3.connect(menage_home / "journal.sqlite")
    with db:
        db.execute(
            "UPDATE actions SET state = 'undoing', restored_to = ?",
            (os.fsencode(d / ("x" * 300)),),
        )
    db.close()
    for args in (("history",), ("undo", "--yes")):
        result = menage(*args)
        no_traceback(result)
        assert result.exit_code == 0, result.stderr
    assert (d / "copy.txt").read_bytes() == b"K" * 500


# -- F6: the trash across a bind mount ---------------------------------------------------


@pytest.fixture
def bind_mount(tmp_path):
    mounted: list[Path] = []

    def bind(source: Path, where: Path) -> Path:
        need_root_mounts("make a bind mount")
        where.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "--bind", str(source), str(where)], capture_output=True, text=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot make a bind mount: {done.stderr.strip()}")
        mounted.append(where)
        return where

    yield bind
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_the_trash_across_a_bind_mount_uses_the_quarantine(
    menage, tmp_path, bind_mount, monkeypatch, menage_home
):
    real = tmp_path / "real"
    write(real / "keep.txt", b"T" * 4000, mtime=OLD)
    write(real / "copy.txt", b"T" * 4000, mtime=OLD + 5)
    docs = bind_mount(real, tmp_path / "mnt")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    before = snapshot(docs)
    scan(menage, docs)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", "trash")
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "moved to Ménage's quarantine instead" in result.stderr
    assert not (tmp_path / "xdg" / "Trash" / "files" / "copy.txt").exists()
    assert history(menage)[0]["by_action"] == {"quarantine": {"files": 1, "bytes": 4000}}
    undo = menage("undo", "--yes")
    assert undo.exit_code == 0, undo.stderr
    assert snapshot(docs) == before


def test_the_trash_records_where_each_file_went(menage, tmp_path, monkeypatch):
    """Two files of the same name: the second gets another name in the trash."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    root = tmp_path / "docs"
    for folder in ("a", "b"):
        write(root / folder / "x.tmp", folder.encode() * 100)
    before = snapshot(root)
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "p", "--temp", "--action", "trash")
    assert menage("apply", plan, "--yes").exit_code == 0
    files = tmp_path / "xdg" / "Trash" / "files"
    assert sorted(p.name for p in files.iterdir()) == ["x 2.tmp", "x.tmp"]
    info = (tmp_path / "xdg" / "Trash" / "info" / "x 2.tmp.trashinfo").read_text()
    assert f"Path={root}/b/x.tmp" in info and "DeletionDate=" in info
    assert menage("undo", "--yes").exit_code == 0
    assert snapshot(root) == before
    assert not list((tmp_path / "xdg" / "Trash" / "info").iterdir())


# -- F7: metadata ----------------------------------------------------------------------


def _acl(uid: int) -> bytes:
    """A POSIX ACL as the kernel stores it: owner rw, user ``uid`` r, group r, mask r."""
    entries = [(0x01, 6, 0xFFFFFFFF), (0x02, 4, uid), (0x04, 4, 0xFFFFFFFF)]
    entries += [(0x10, 4, 0xFFFFFFFF), (0x20, 0, 0xFFFFFFFF)]
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in entries)


def _attributes(path: Path) -> dict[str, bytes]:
    return {name: os.getxattr(path, name) for name in os.listxattr(path)}


def test_a_copy_across_filesystems_keeps_attributes_acls_and_holes(
    menage, tmp_path, mount_tmpfs, monkeypatch
):
    usb = mount_tmpfs(tmp_path / "usb", size="16m")
    home = mount_tmpfs(tmp_path / "home", size="4m")
    monkeypatch.setenv("MENAGE_HOME", str(home / "menage"))
    (usb / ".menage-quarantine").write_text("blocked: the quarantine is a copy away")
    tagged = write(usb / "tree" / "tagged.bin", b"t" * 150_000, mtime=OLD)
    sparse = usb / "tree" / "sparse.img"
    with open(sparse, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # 200 MB, all hole but one block
        handle.seek(100 * 1024 * 1024)
        handle.write(b"data in the middle")
    os.utime(sparse, (OLD, OLD))
    try:
        os.setxattr(tagged, "user.origin", b"scanner 3")
        os.setxattr(tagged, "system.posix_acl_access", _acl(1234))
    except OSError as exc:
        pytest.skip(f"this kernel's tmpfs keeps no user attributes or ACLs: {exc}")
    attributes = _attributes(tagged)
    before = snapshot(usb / "tree")
    scan(menage, usb / "tree")
    plan = make_plan(menage, tmp_path / "p", "--larger", "100kB")
    assert len(plan_lines(plan)) == 2
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 0, result.stderr
    stashed = next((home / "menage" / "quarantine").rglob("tagged.bin"))
    assert _attributes(stashed) == attributes
    stashed_sparse = next((home / "menage" / "quarantine").rglob("sparse.img"))
    assert stashed_sparse.stat().st_blocks * 512 < 1024 * 1024
    assert menage("undo", "--yes").exit_code == 0
    assert snapshot(usb / "tree") == before
    assert _attributes(tagged) == attributes
    assert sparse.stat().st_blocks * 512 < 1024 * 1024
    # applied again and purged: the disk gets back what the file used, not its length
    scan(menage, usb / "tree")
    plan = make_plan(menage, tmp_path / "p2", "--larger", "100MB")
    assert menage("apply", plan, "--yes").exit_code == 0
    purged = menage("purge", "--all", "--yes")
    assert purged.exit_code == 0
    assert "MB freed" not in purged.stdout


def test_a_hardlink_across_owners_or_modes_is_refused(menage, tmp_path):
    d = tmp_path / "d"
    keep = write(d / "keep.txt", b"O" * 300, mtime=OLD, mode=0o600)
    copy = write(d / "copy.txt", b"O" * 300, mtime=OLD + 5, mode=0o644)
    if os.geteuid() == 0:
        os.chown(keep, 1234, 1234)
    before = snapshot(d)
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", "hardlink")
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3
    assert "another owner or permissions" in result.stderr
    assert snapshot(d) == before
    assert copy.stat().st_ino != keep.stat().st_ino


def test_a_hardlink_between_files_of_other_attributes_is_refused(menage, tmp_path):
    d = tmp_path / "d"
    write(d / "keep.txt", b"O" * 300, mtime=OLD)
    copy = write(d / "copy.txt", b"O" * 300, mtime=OLD + 5)
    os.setxattr(copy, "user.note", b"mine")
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", "hardlink")
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3
    assert "other extended attributes" in result.stderr
    assert os.getxattr(copy, "user.note") == b"mine"


def test_purge_then_undo_of_a_hardlink_keeps_attributes(menage, tmp_path):
    d = tmp_path / "d"
    keep = write(d / "keep.txt", b"A" * 300, mtime=OLD)
    copy = write(d / "copy.txt", b"A" * 300, mtime=OLD + 5)
    for path in (keep, copy):
        os.setxattr(path, "user.project", b"budget")
    before = snapshot(d)
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", "hardlink")
    assert menage("apply", plan, "--yes").exit_code == 0
    assert menage("purge", "--all", "--yes").exit_code == 0
    assert menage("undo", "--yes").exit_code == 0
    assert snapshot(d) == before
    assert os.getxattr(copy, "user.project") == b"budget"
    assert copy.stat().st_ino != keep.stat().st_ino


def test_purge_then_undo_of_a_reflink_keeps_attributes(menage, tmp_path, btrfs):
    d = btrfs / "d"
    write(d / "keep.txt", b"R" * 8192, mtime=OLD)
    copy = write(d / "copy.txt", b"R" * 8192, mtime=OLD + 5, mode=0o600)
    os.setxattr(copy, "user.project", b"its own")
    before = snapshot(d)
    scan(menage, d)
    plan = make_plan(menage, tmp_path / "p", "--duplicates", "--action", "reflink")
    assert menage("apply", plan, "--yes").exit_code == 0
    assert os.getxattr(copy, "user.project") == b"its own"
    assert menage("purge", "--all", "--yes").exit_code == 0
    assert menage("undo", "--yes").exit_code == 0
    assert snapshot(d) == before
    assert os.getxattr(copy, "user.project") == b"its own"
