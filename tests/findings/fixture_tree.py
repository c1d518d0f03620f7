"""A small tree with one of each finding, its content fixed byte for byte.

The fixtures in ``data/`` were made from it (see ``data/README.md``): the same tree
scanned today must give a JSON with every key those had.
"""

from __future__ import annotations

import os
from pathlib import Path

#: 2015-01-01: older than any --older-than the fixtures use
OLD = 1_420_070_400
RECENT = 1_699_000_000


def _write(root: Path, relative: str | bytes, data: bytes, mtime: float = RECENT) -> Path:
    raw = os.path.join(os.fsencode(root), os.fsencode(relative))
    os.makedirs(os.path.dirname(raw), exist_ok=True)
    with open(raw, "wb") as handle:
        handle.write(data)
    os.utime(raw, (mtime, mtime))
    return Path(os.fsdecode(raw))


def build(root: Path) -> Path:
    """Write the tree under ``root`` and return it."""
    report = bytes(range(256)) * 40
    _write(root, "docs/report.pdf", report, OLD)
    _write(root, "backup/report.pdf", report)
    kept = _write(root, "downloads/report (1).pdf", report, OLD + 10)
    os.link(kept, root / "downloads" / "report-link.pdf")
    for base in ("Photos 2019", "Sauvegarde/Photos 2019 (copie)"):
        _write(root, f"{base}/a.jpg", b"photo a" * 300, OLD)
        _write(root, f"{base}/sub/b.jpg", b"photo b" * 200, OLD)
    _write(root, b"docs/caf\xe9 notes.txt", b"notes\n" * 50)
    _write(root, "docs/~$letter.docx", b"lock")
    _write(root, "docs/notes.txt~", b"backup of notes")
    _write(root, ".cache/thumbs/x.bin", b"cache" * 30)
    _write(root, "docs/empty.txt", b"")
    _write(root, "big/video.mp4", b"v" * 50_000, OLD)
    _write(root, "big/disk.iso", b"i" * 30_000)
    (root / "empty folder" / "nested").mkdir(parents=True)
    return root
