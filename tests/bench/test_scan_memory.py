"""bench/scan_memory.py: a scan's stages with their memory, on a small real tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_stage_is_reported_with_its_memory(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    for n in range(20):
        (tree / f"d{n % 3}").mkdir(parents=True, exist_ok=True)
        (tree / f"d{n % 3}" / f"f{n}").write_bytes(b"x" * (n % 4))
    # a process of its own: the script wraps the scan module's functions for good
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scan_memory.py"), str(tree),
         "--index", str(tmp_path / "index.sqlite")],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    rows = {line[:34].strip(): line[34:].split() for line in out.splitlines()[1:]}
    for stage in ("start", "walk", "find_duplicates", "analyser duplicates", "run_analysers",
                  "compressed_document", "record_scan", "scan"):  # fmt: skip
        seconds, after, peak = (float(v) for v in rows[stage])
        assert 0 <= seconds and 0 < after <= peak + 1, stage
    assert (tmp_path / "index.sqlite").exists()
