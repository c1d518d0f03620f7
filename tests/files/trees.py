"""Build real trees for the tests: content by name, hardlinks, links, FIFOs."""

from __future__ import annotations

import os
from pathlib import Path


def write(root: Path, relative: str | bytes, data: bytes = b"", mtime: float | None = None) -> Path:
    """Write ``data`` at ``root/relative`` (a bytes name may be any byte string)."""
    raw = os.path.join(os.fsencode(root), os.fsencode(relative))
    os.makedirs(os.path.dirname(raw), exist_ok=True)
    with open(raw, "wb") as handle:
        handle.write(data)
    if mtime is not None:
        os.utime(raw, (mtime, mtime))
    return Path(os.fsdecode(raw))


def sample_tree(root: Path) -> dict[str, Path]:
    """A small tree with one of each thing a scan must handle."""
    made = {
        "a": write(root, "docs/a.txt", b"same content\n" * 100),
        "a_copy": write(root, "backup/a.txt", b"same content\n" * 100),
        "a_copy2": write(root, ".hidden/a (1).txt", b"same content\n" * 100),
        "b": write(root, "docs/b.txt", b"other content\n" * 100),
        "lonely": write(root, "docs/lonely.bin", b"x" * 5000),
        "empty1": write(root, "docs/empty.txt", b""),
        "empty2": write(root, "backup/empty.txt", b""),
        "tmp": write(root, "docs/~$report.docx", b"lock"),
        "big": write(root, "media/big.bin", os.urandom(300_000)),
    }
    made["big_copy"] = write(root, "media/copy of big.bin", made["big"].read_bytes())
    (root / "empty_dir" / "nested").mkdir(parents=True)
    return made
