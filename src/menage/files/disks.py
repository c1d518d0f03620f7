"""What kind of disk holds a folder, and so in which order to read its files.

On a rotational disk (a file server's hard disks, a NAS) a read costs a seek, and
reading files in the order the walk found them makes the head jump back and forth.
There Ménage reads with one reader, each stage in inode order, which on ext4 and XFS
follows the disk's layout closely and costs no system call (FIEMAP, which rmlint and
fclones ask per file for the exact position, cost rmlint 13 s per 200,000 files on
the bench machine). The native core first hashes on every core the files whose bytes
the page cache already holds (no seek there), and leaves the rest to that one reader.
On solid-state disks every core reads at once, biggest files first.

Linux says whether a block device is rotational in
``/sys/dev/block/MAJOR:MINOR/queue/rotational`` (a partition asks its disk; a
device-mapper or RAID device asks the disks below it). Virtual disks often say
"rotational" whatever is behind them (the benchmark machine's does): ``menage scan
--disk ssd`` overrides the detection, ``--disk hdd`` forces the careful order. Other
systems, network and in-memory filesystems are "unknown", read as solid-state.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

DISK_KINDS = ("auto", "ssd", "hdd")
_SYS_BLOCK = Path("/sys/dev/block")


def _rotational(device: Path, depth: int = 0) -> bool | None:
    flag = device / "queue" / "rotational"
    try:
        return flag.read_text(encoding="ascii").strip() == "1"
    except OSError:
        pass
    # a partition: its disk is the parent folder (…/block/sda/sda1)
    try:
        parent_flag = device.resolve().parent / "queue" / "rotational"
        return parent_flag.read_text(encoding="ascii").strip() == "1"
    except OSError:
        pass
    # device-mapper, RAID: rotational when any disk below is
    if depth < 4:
        try:
            below = list((device / "slaves").iterdir())
        except OSError:
            below = []
        found = [_rotational(slave, depth + 1) for slave in below]
        if any(f is True for f in found):
            return True
        if found and all(f is False for f in found):
            return False
    return None


def disk_kind(path: str | bytes | os.PathLike[str], sys_block: Path = _SYS_BLOCK) -> str:
    """``hdd``, ``ssd`` or ``unknown`` for the disk holding ``path``."""
    try:
        dev = os.stat(path).st_dev
    except OSError:
        return "unknown"
    major, minor = os.major(dev), os.minor(dev)
    if major == 0:  # tmpfs, overlay, NFS, FUSE: no block device behind
        return "unknown"
    rotational = _rotational(sys_block / f"{major}:{minor}")
    if rotational is None:
        return "unknown"
    return "hdd" if rotational else "ssd"


def read_order(roots: Sequence[bytes], disk: str = "auto") -> str:
    """``inode`` (one reader, inode order) or ``parallel``, for the disks under ``roots``.

    Args:
        roots: the folders scanned.
        disk: ``auto`` (detect), ``ssd`` or ``hdd`` (the user knows better).
    """
    if disk == "hdd":
        return "inode"
    if disk == "ssd":
        return "parallel"
    return "inode" if any(disk_kind(root) == "hdd" for root in roots) else "parallel"
