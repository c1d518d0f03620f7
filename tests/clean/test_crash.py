"""kill -9 at random moments: no file is ever lost, the next command settles, undo restores.

Each round makes a tree of a few hundred files (duplicates, hardlinks, temporary and
empty files, an empty folder, odd modes and times, a name that is not UTF-8), scans
it, writes a plan (some duplicates as hardlinks), starts ``menage apply`` as a real
process and SIGKILLs it after a random delay. Then:

1. before anything else runs, every original file is at its path with its content,
   or in the quarantine under the stash its journal record names;
2. the next command (``menage history``) settles the interrupted run: no action is
   left in progress;
3. ``menage undo`` (itself killed at a random moment in a third of the rounds)
   brings back a tree identical to the original: content, mode and mtime of every
   file, hardlinks included, and leaves nothing in the quarantine.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.clean.conftest import snapshot

# 160 rounds in all, split over the workers: each kill lands at a random moment, and
# test_fault_steps.py crashes at every step in order; MENAGE_CRASH_ROUNDS for more
ROUNDS_PER_CHUNK = int(os.environ.get("MENAGE_CRASH_ROUNDS", "20"))
CHUNKS = 8


def make_tree(root: Path, rng: random.Random) -> None:
    contents = [bytes([65 + n % 26]) * rng.randint(1, 6000) + str(n).encode() for n in range(60)]
    base = 1_400_000_000
    for n in range(230):
        folder = root / f"d{n % 6}" / f"s{n % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        if n % 3 == 0:
            data = contents[n % len(contents)]  # duplicates across folders
        else:
            data = rng.randbytes(rng.randint(0, 3000))
        name = f"f{n}" + rng.choice([".txt", ".pdf", ".jpg", ".bak", ".tmp", "~", ""])
        path = folder / name
        path.write_bytes(data)
        os.chmod(path, rng.choice([0o600, 0o644, 0o640, 0o755, 0o400]))
        stamp = base + rng.randint(0, 10**8)
        os.utime(path, ns=(stamp * 10**9 + 123, stamp * 10**9 + rng.randint(0, 10**9 - 1)))
    (root / "d1" / "empty").mkdir()
    (root / "d2" / "nested" / "empty" / "too").mkdir(parents=True)
    odd = os.path.join(os.fsencode(root / "d3"), b"caf\xe9 non-utf8.txt")
    with open(odd, "wb") as handle:
        handle.write(contents[0])
    os.utime(odd, ns=(base * 10**9, base * 10**9 + 7))
    os.link(root / "d0" / "s0" / os.listdir(root / "d0" / "s0")[0], root / "d5" / "hardlink")


def make_plan(root: Path, home: Path, rng: random.Random) -> Path:
    from menage.clean import PlanOptions, build_plan, write_plan
    from menage.files.index import Index
    from menage.files.scan import ScanOptions, scan

    with Index(home / "index.sqlite") as index:
        result = scan([str(root)], ScanOptions(threads=1), index=index)
        scanned = index.scan_findings(result.scan_id)
    plan = build_plan(
        scanned,
        PlanOptions(
            duplicates=True, temp=True, empty=True, keep=("oldest",), excluded=(os.fsencode(home),)
        ),
    )
    hardlinks = rng.random() < 0.5
    for n, action in enumerate(plan.actions):
        if hardlinks and action.finding == "duplicates" and n % 2 == 0:
            # a hardlink is refused between files of different modes (it would change
            # this file's): only where they match, so that every action can be done
            assert action.keep is not None
            if os.stat(action.path).st_mode == os.stat(action.keep).st_mode:
                action.kind = "hardlink"
    target = home.parent / "plan.json"
    write_plan(plan, target)
    return target


@dataclass
class Timing:
    """When, in a full run, the first file moved and when the process ended (seconds)."""

    first_move: float
    end: float


def timed_full_run(args: list[str], env: dict[str, str], marker: Path) -> Timing:
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "menage", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    first = None
    while process.poll() is None:
        if first is None and marker.exists():
            first = time.monotonic() - started
        time.sleep(0.002)
    end = time.monotonic() - started
    _out, err = process.communicate()
    assert process.returncode == 0, err.decode()
    return Timing(first if first is not None else end / 2, end)


def run_and_kill(
    args: list[str], env: dict[str, str], rng: random.Random, timing: Timing, marker: Path
) -> None:
    """SIGKILL the command: mostly while files move, sometimes at any moment.

    Files start moving when the quarantine's run folder appears; the delay is drawn
    from then on, so that the machine's load (Python's start-up) does not decide where
    the kills land.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "menage", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if rng.random() < 0.2:
        time.sleep(rng.uniform(0, timing.end))
    else:
        deadline = time.monotonic() + 20
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(rng.uniform(0, max(0.01, timing.end - timing.first_move)))
    process.send_signal(signal.SIGKILL)
    _out, err = process.communicate()
    assert b"Traceback" not in err, err.decode()


def content(path: bytes) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def journal_rows(home: Path) -> list[tuple[bytes, str, bytes | None, str]]:
    path = home / "journal.sqlite"
    if not path.exists():
        return []
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT path, state, stash, kind FROM actions").fetchall()
    except sqlite3.OperationalError:  # killed before the schema was committed
        return []
    finally:
        db.close()


def check_nothing_lost(
    before: dict[bytes, tuple[str, int, int, int]], home: Path
) -> tuple[int, int]:
    """Every original file is in place or in its recorded stash. Returns (moved, in progress)."""
    rows = journal_rows(home)
    by_path = {r[0]: r for r in rows}
    moved = 0
    for path, (digest, _mode, _mtime, _links) in before.items():
        if digest in ("dir", "other"):
            if os.path.isdir(path):
                continue
            # an empty folder moves with its outermost empty parent
            parent, rest = path, b""
            while parent not in by_path and parent != b"/":
                parent, name = os.path.split(parent)
                rest = os.path.join(name, rest) if rest else name
            row = by_path.get(parent)
            assert row and row[2], f"folder lost: {path!r}"
            assert os.path.isdir(os.path.join(row[2], rest) if rest else row[2]), path
            moved += 1
            continue
        if content(path) == digest:
            continue  # in place (or replaced by a link to an identical kept copy)
        row = by_path.get(path)
        assert row is not None, f"{path!r} is gone and has no journal record"
        assert row[1] in ("intent", "done"), row
        assert row[2] is not None and content(row[2]) == digest, f"{path!r} is not in its stash"
        moved += 1
    quarantine = home / "quarantine"
    stashes = {r[2] for r in rows if r[2]} | {r[2] + b".partial" for r in rows if r[2]}
    for folder, _dirs, files in os.walk(os.fsencode(quarantine)):
        for name in files:
            stray = os.path.join(folder, name)
            assert stray in stashes or any(stray.startswith(s + b"/") for s in stashes), (
                f"a file in the quarantine has no journal record: {stray!r}"
            )
    return moved, sum(1 for r in rows if r[1] in ("intent", "undoing"))


@pytest.fixture
def env(menage_home):
    environment = dict(os.environ)
    environment["MENAGE_HOME"] = str(menage_home)
    environment.pop("CI", None)
    return environment


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_kill_apply_at_random_moments(chunk, tmp_path, menage, monkeypatch):
    rng = random.Random(1000 + chunk)
    stats = {"mid_run": 0, "in_progress": 0, "undo_killed": 0}
    timing: Timing | None = None
    for round_number in range(ROUNDS_PER_CHUNK):
        base = tmp_path / f"r{round_number}"
        home = base / "home"
        home.mkdir(parents=True)
        monkeypatch.setenv("MENAGE_HOME", str(home))
        environment = {**os.environ, "MENAGE_HOME": str(home)}
        root = base / "tree"
        make_tree(root, rng)
        plan = make_plan(root, home, rng)
        before = snapshot(root)
        planned = sum(1 for line in plan.read_text().splitlines() if line.startswith('{"action"'))

        marker = home / "quarantine" / "run-1"
        if timing is None:  # the first round runs to its end: when do files move?
            timing = timed_full_run(["apply", str(plan), "--yes"], environment, marker)
        else:
            run_and_kill(["apply", str(plan), "--yes"], environment, rng, timing, marker)

        moved, in_progress = check_nothing_lost(before, home)
        if 0 < moved < planned:
            stats["mid_run"] += 1
        if in_progress:
            stats["in_progress"] += 1

        settled = menage("history", "--json")  # the next command settles the run
        assert settled.exit_code == 0, settled.stderr
        assert all(r[1] not in ("intent", "undoing", "purging") for r in journal_rows(home))
        assert '"status": "running"' not in settled.stdout
        check_nothing_lost(before, home)

        if moved and round_number % 3 == 1:
            stats["undo_killed"] += 1
            run_and_kill(["undo", "--yes"], environment, rng, timing, marker.parent / ".")
            check_undo_consistent(before, home)
        result = menage("undo", "--yes")
        if result.exit_code == 1:
            assert "nothing to undo" in result.stderr
        else:
            assert result.exit_code == 0, result.stdout + result.stderr
        assert snapshot(root) == before, f"round {round_number}: the tree differs after undo"
        assert not any(files for _d, _s, files in os.walk(home / "quarantine"))
    # the kills must land while files are moving, not only before or after
    assert stats["mid_run"] >= ROUNDS_PER_CHUNK // 4, stats
    print(f"chunk {chunk}: {stats}, {timing}")


def check_undo_consistent(before: dict[bytes, tuple[str, int, int, int]], home: Path) -> None:
    """After a killed undo, each file is in place, beside it in its stash, or restored."""
    rows = {r[0]: r for r in journal_rows(home)}
    for path, (digest, *_rest) in before.items():
        if digest in ("dir", "other") or content(path) == digest:
            continue
        row = rows.get(path)
        assert row is not None and row[2] is not None, f"{path!r} lost during undo"
        assert content(row[2]) == digest, f"{path!r} is neither in place nor in its stash"
