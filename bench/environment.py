"""The corpus (built when missing), the page cache, and a description of the machine."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DEFAULT_FILES = 200_000


@dataclass(frozen=True)
class CorpusSpec:
    """Arguments of ``make_corpus.py``; None leaves the generator's default."""

    files: int = DEFAULT_FILES
    size_scale: float = 1.0
    large: int | None = None
    seed: int | None = None

    def default_dir(self) -> Path:
        """``bench/data/corpus`` for the default tree, a name saying the arguments otherwise."""
        name = "corpus" if self.files == DEFAULT_FILES else f"corpus-{self.files}"
        if self.size_scale != 1.0:
            name += f"-s{self.size_scale:g}"
        if self.large is not None:
            name += f"-l{self.large}"
        if self.seed is not None:
            name += f"-seed{self.seed}"
        return BENCH_DIR / "data" / name

    def generator_args(self) -> list[str]:
        args = ["--files", str(self.files), "--size-scale", repr(self.size_scale)]
        if self.large is not None:
            args += ["--large", str(self.large)]
        if self.seed is not None:
            args += ["--seed", str(self.seed)]
        return args

    def mismatch(self, generator: dict[str, Any]) -> str:
        """Why an existing corpus was not made with these arguments ("" when it was)."""
        wanted: dict[str, Any] = {"files_arg": self.files, "size_scale": self.size_scale}
        if self.large is not None:
            wanted["large"] = self.large
        if self.seed is not None:
            wanted["seed"] = self.seed
        problems = [
            f"{key}={generator.get(key)!r} (wanted {value!r})"
            for key, value in wanted.items()
            if generator.get(key) != value
        ]
        return ", ".join(problems)


class CorpusError(Exception):
    """The corpus cannot be used as asked."""


def ensure_corpus(corpus: Path, spec: CorpusSpec | None) -> dict[str, Any]:
    """Build the corpus when it is missing; check it matches ``spec``; return its truth summary.

    Without ``spec`` the corpus must exist and is taken as it is.
    """
    truth_file = corpus / "ground_truth.json"
    if not truth_file.exists() and spec is None:
        raise CorpusError(f"{corpus} holds no corpus (no ground_truth.json)")
    if spec is not None and not truth_file.exists():
        if (corpus / "tree").exists():
            raise CorpusError(
                f"{corpus}/tree exists without ground_truth.json (an interrupted build?):"
                " remove the folder and run again"
            )
        print(f"Building the corpus in {corpus} (make_corpus.py {' '.join(spec.generator_args())})")
        corpus.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(BENCH_DIR / "make_corpus.py"),
                str(corpus),
                *spec.generator_args(),
            ],
            check=True,
        )
    summary: dict[str, Any] = json.loads(truth_file.read_text(encoding="utf-8"))
    why = spec.mismatch(summary.get("generator", {})) if spec else ""
    if why:
        raise CorpusError(f"{corpus} was made with other arguments: {why}; give --corpus DIR")
    return summary


def prime_page_cache(corpus: Path) -> None:
    """Read every file once so that every tool runs on a warm cache (the issue's setting)."""
    subprocess.run(
        "find tree -type f -print0 | xargs -0 -r cat > /dev/null",
        shell=True,
        cwd=corpus,
        stderr=subprocess.DEVNULL,
        check=False,
    )


DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def can_drop_caches() -> bool:
    return os.access(DROP_CACHES, os.W_OK)


def drop_caches() -> None:
    """Write back, then empty the page cache and the kernel's folder and inode caches, so that
    the next run reads the tree from the disk: the setting of a tree larger than the memory
    (ten million files need 40 GB of page cache, one page a file). Needs root."""
    os.sync()
    DROP_CACHES.write_text("3\n", encoding="ascii")


def _first_match(path: str, pattern: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "?"
    found = re.search(pattern, text, re.MULTILINE)
    return found.group(1).strip() if found else "?"


def filesystem_of(path: Path) -> str:
    """Filesystem type and device the path lives on (longest mount point prefix)."""
    best = ("", "?", "?")
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return "?"
    resolved = str(path.resolve())
    for line in mounts:
        device, point, kind, *_ = line.split()
        inside = resolved == point or resolved.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best[0]):
            best = (point, kind, device)
    return f"{best[1]} on {best[2]}"


def git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO_DIR), "describe", "--always", "--dirty", "--abbrev=12"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return head.stdout.strip() or "?"


def machine(corpus: Path) -> dict[str, Any]:
    mem_kib = _first_match("/proc/meminfo", r"^MemTotal:\s+(\d+)")
    return {
        "cpu": _first_match("/proc/cpuinfo", r"^model name\s*:\s*(.+)$"),
        "cpus": os.cpu_count(),
        "memory_gib": round(int(mem_kib) / (1 << 20), 1) if mem_kib.isdigit() else None,
        "os": _first_match("/etc/os-release", r'^PRETTY_NAME="?([^"\n]+)"?$'),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "filesystem": filesystem_of(corpus),
        "root": os.geteuid() == 0,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "menage_commit": git_commit(),
    }
