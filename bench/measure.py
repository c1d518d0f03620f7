"""Run one command and measure it the way the kernel accounts for it.

Wall time comes from a monotonic clock around the child's life, CPU time from ``wait4()``.
Peak memory needs care: Linux keeps a process's peak RSS across ``exec``, so a child forked
from this (Python, ~16 MiB) process would never report less than the harness's own size. The
command is therefore started through GNU time (``/usr/bin/time``, a small C program), which
forks the tool itself and reports the tool's own peak (``%M``). Without GNU time, the peak is
``ru_maxrss`` from ``wait4()``, a floor of the harness's size (said in ``peak_is_floor``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

GNU_TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Sample:
    """One finished run of a command."""

    wall_s: float
    user_s: float
    sys_s: float
    #: peak resident set size of the command, in bytes
    peak_rss: int
    exit_code: int
    timed_out: bool = False
    #: True when the peak could only be read as max(harness, tool) (no GNU time)
    peak_is_floor: bool = False


@dataclass(frozen=True)
class Spread:
    """Median, min and max of a series of numbers."""

    median: float
    min: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("no value to summarise")
        return cls(statistics.median(values), min(values), max(values))


def gnu_time_available() -> bool:
    return os.access(GNU_TIME, os.X_OK)


def run_measured(
    argv: Sequence[str],
    *,
    cwd: Path,
    stdout: Path | None,
    stderr: Path,
    env: Mapping[str, str] | None = None,
    timeout_s: float = 600.0,
) -> Sample:
    """Run ``argv`` to completion; its output goes to files (or nowhere), never to a pipe.

    Writing to a file keeps the harness out of the measured path: a pipe would make the
    tool wait on us. A run that outlives ``timeout_s`` is killed and marked ``timed_out``.
    """
    peak_file = Path(str(stderr) + ".peak")
    wrapped = list(argv)
    use_time = gnu_time_available()
    if use_time:
        wrapped = [GNU_TIME, "--format", "%M", "--output", str(peak_file), *wrapped]
    with contextlib.ExitStack() as files:
        out: IO[bytes] | int = (
            files.enter_context(open(stdout, "wb")) if stdout is not None else subprocess.DEVNULL
        )
        err = files.enter_context(open(stderr, "wb"))
        start = time.perf_counter()
        proc = subprocess.Popen(
            wrapped,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            start_new_session=True,  # so that a timeout can stop the tool, not only GNU time
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        # wait4 reaped the child: tell Popen, or it would try again (and warn)
        proc.returncode = os.waitstatus_to_exitcode(status)
    peak = _read_peak(peak_file) if use_time else None
    return Sample(
        wall_s=wall,
        user_s=usage.ru_utime,
        sys_s=usage.ru_stime,
        peak_rss=peak if peak is not None else usage.ru_maxrss * 1024,  # Linux: KiB
        exit_code=proc.returncode,
        timed_out=killed.is_set(),
        peak_is_floor=peak is None,
    )


def _read_peak(peak_file: Path) -> int | None:
    """GNU time's ``%M`` (KiB) as bytes: the last line (a status line may come first)."""
    try:
        lines = peak_file.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    finally:
        peak_file.unlink(missing_ok=True)
    return int(lines[-1]) * 1024 if lines and lines[-1].isdigit() else None
