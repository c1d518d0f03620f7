"""Where a scan's memory goes: one ``menage.files.scan.scan`` in this process, with a fresh
index, and each stage's time, resident memory after it, and the peak within it.

    .venv/bin/python bench/scan_memory.py TREE [--index PATH]

The stages are the scan module's own functions (the walk, the duplicate search, each
analyser, the document, the index's write), wrapped while this runs; a thread reads the
resident size every 5 ms for the peaks (Linux: ``/proc/self/statm``). ``/usr/bin/time``
gives the whole process's peak; this says which stage makes it (see bench/README.md,
session 27).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MIB = 1 << 20
_PAGE = os.sysconf("SC_PAGE_SIZE")


def resident() -> int:
    """This process's resident bytes now."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * _PAGE


@dataclasses.dataclass
class Stage:
    name: str
    seconds: float
    after: int
    peak: int


class Recorder:
    """Wraps functions as stages and keeps a peak sampled by a thread."""

    def __init__(self) -> None:
        self.stages: list[Stage] = []
        self.peak = 0
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, resident())
            time.sleep(0.005)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def staged(*args: Any, **kwargs: Any) -> Any:
            self.peak, started = resident(), time.monotonic()
            out = function(*args, **kwargs)
            self.stages.append(
                Stage(name, time.monotonic() - started, resident(), max(self.peak, resident()))
            )
            return out

        return staged


def measure(tree: Path, index_path: Path) -> list[Stage]:
    """Scan ``tree`` into a new index at ``index_path``, stage by stage."""
    from menage.files.index import Index

    # the modules themselves: their packages export functions of the same names
    scan_module = importlib.import_module("menage.files.scan")
    registry = importlib.import_module("menage.findings.analysers")._ANALYSERS
    recorder = Recorder()
    for name in ("walk", "find_duplicates", "run_analysers", "compressed_document"):
        setattr(scan_module, name, recorder.wrap(name, getattr(scan_module, name)))
    for key, analyser in list(registry.items()):
        wrapped = recorder.wrap(f"  analyser {key}", analyser.run)
        registry[key] = dataclasses.replace(analyser, run=wrapped)
    scan_module.Index.record_scan = recorder.wrap("record_scan", Index.record_scan)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index_path}{suffix}").unlink(missing_ok=True)
    started, before = time.monotonic(), resident()
    with Index(index_path) as index:
        scan_module.scan([tree], index=index, keep_json=True)
    whole = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, resident())
    recorder.stages.insert(0, Stage("start", 0.0, before, before))
    recorder.stages.append(Stage("scan", time.monotonic() - started, resident(), whole))
    return recorder.stages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/scan_memory.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    ap.add_argument("tree", type=Path, help="the folder to scan")
    ap.add_argument("--index", type=Path, help="the index to make (default: a temporary one)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        stages = measure(args.tree, args.index or Path(tmp) / "index.sqlite")
    print(f"{'stage':34} {'s':>8} {'after MiB':>10} {'peak MiB':>9}")
    for stage in stages:
        after, peak = stage.after / MIB, stage.peak / MIB
        print(f"{stage.name:34} {stage.seconds:8.2f} {after:10.0f} {peak:9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
