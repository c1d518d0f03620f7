"""Trees to clean, snapshots to compare them, and real filesystems mounted for a test."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

IN_CI = os.environ.get("CI") == "true"
OLD = 1_500_000_000  # 2017


def write(path: Path, content: bytes, mtime: float = OLD, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.chmod(path, mode)
    os.utime(path, (mtime, mtime))
    return path


def snapshot(root: Path) -> dict[bytes, tuple[str, int, int, int]]:
    """Every entry under ``root``: (content hash or kind, mode, mtime_ns, inode links)."""
    found: dict[bytes, tuple[str, int, int, int]] = {}
    base = os.fsencode(root)
    for folder, dirs, files in os.walk(base):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode):
                with open(path, "rb") as handle:
                    kind = hashlib.sha256(handle.read()).hexdigest()
                found[path] = (kind, st.st_mode, st.st_mtime_ns, st.st_nlink)
            else:
                found[path] = ("dir" if stat.S_ISDIR(st.st_mode) else "other", st.st_mode, 0, 0)
    return found


def files_only(snap: dict[bytes, tuple[str, int, int, int]]) -> dict[bytes, tuple[str, int, int]]:
    return {p: v[:3] for p, v in snap.items() if v[0] not in ("dir", "other")}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small tree: duplicates (one in a reference folder), temp and empty files, a folder."""
    root = tmp_path / "tree"
    write(root / "docs" / "report.pdf", b"R" * 5000, mtime=OLD)
    write(root / "downloads" / "report.pdf", b"R" * 5000, mtime=OLD + 100, mode=0o600)
    write(root / "backup" / "report-copy.pdf", b"R" * 5000, mtime=OLD + 200)
    write(root / "photos" / "cat.jpg", b"C" * 3000, mtime=OLD + 50)
    write(root / "reference" / "cat.jpg", b"C" * 3000, mtime=OLD + 500)
    write(root / "reference" / "only-here.jpg", b"O" * 700)
    write(root / "reference" / "dog.jpg", b"D" * 900)
    write(root / "reference" / "sub" / "dog.jpg", b"D" * 900)
    write(root / "docs" / "notes.txt~", b"backup of notes")
    write(root / "docs" / "~$letter.docx", b"lock")
    write(root / "docs" / "empty.txt", b"")
    write(root / "docs" / "unique.txt", b"unique content")
    (root / "old project" / "nothing").mkdir(parents=True)
    return root


def scan(menage, root: Path) -> dict[str, Any]:
    result = menage("scan", root, "--json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def make_plan(menage, target: Path, *args: str) -> Path:
    result = menage("plan", *args, "-o", target)
    assert result.exit_code == 0, result.stderr
    return target


def plan_lines(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for line in path.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ][1:]


def rewrite_plan(path: Path, change) -> None:
    """Apply ``change(action_dict) -> dict | None`` to every action line (None drops it)."""
    out = []
    header_seen = False
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            out.append(line)
            continue
        if not header_seen:
            header_seen = True
            out.append(line)
            continue
        changed = change(json.loads(line))
        if changed is not None:
            out.append(json.dumps(changed))
    path.write_text("\n".join(out) + "\n")


def need_root_mounts(reason: str) -> None:
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail(f"CI must run as root to {reason}")
        pytest.skip(f"needs root to {reason}")


@pytest.fixture
def mount_tmpfs() -> Iterator[object]:
    """Mount small tmpfs filesystems for a test; all unmounted at teardown."""
    mounted: list[Path] = []

    def mount(where: Path, size: str = "2m", readonly: bool = False) -> Path:
        need_root_mounts("mount a tmpfs")
        where.mkdir(parents=True, exist_ok=True)
        options = f"size={size}" + (",ro" if readonly else "")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            if IN_CI:
                pytest.fail(f"cannot mount a tmpfs in CI: {done.stderr}")
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.fixture
def btrfs(tmp_path: Path) -> Iterator[Path]:
    """A small btrfs filesystem on a loop device (reflinks work there)."""
    need_root_mounts("mount a btrfs image")
    if shutil.which("mkfs.btrfs") is None:
        if IN_CI:
            pytest.fail("mkfs.btrfs is missing: scripts/system-deps.sh installs btrfs-progs")
        pytest.skip("mkfs.btrfs is missing (Debian package btrfs-progs)")
    image = tmp_path / "btrfs.img"
    with open(image, "wb") as handle:
        handle.truncate(120 * 1024 * 1024)
    made = subprocess.run(["mkfs.btrfs", "-q", str(image)], capture_output=True, text=True)
    where = tmp_path / "btrfs"
    where.mkdir()
    mounted = made.returncode == 0 and (
        subprocess.run(
            ["mount", "-o", "loop", str(image), str(where)], capture_output=True
        ).returncode
        == 0
    )
    if not mounted:
        if IN_CI:
            pytest.fail(f"cannot make or mount a btrfs image: {made.stderr}")
        pytest.skip("cannot mount a loop device here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
