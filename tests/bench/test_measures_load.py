"""The measures load benchmark keeps working: a tiny run, every check on (no timing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.platform.postgres import postgres_bin, unavailable

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(900)  # initdb, migrate and gunicorn on a busy machine
@pytest.mark.parametrize("read_workers", ["0", "1"], ids=["one-pool", "reads-apart"])
def test_a_tiny_load_run_loses_nothing_and_counts_nothing_twice(tmp_path, read_workers):
    if postgres_bin() is None:
        unavailable("PostgreSQL server binaries (initdb, pg_ctl) not found")
    out = tmp_path / "load.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run_measures_load.py"), "--submissions", "120",
         "--preload", "50", "--schools", "3", "--workers", "2", "--concurrency", "6",
         "--readers", "1", "--quiet-reads", "3", "--read-workers", read_workers,
         "--json", str(out)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    results = json.loads(out.read_text())
    assert results["distinct_sent"] == results["distinct_stored"] == 120
    assert results["lost"] == results["double_counted"] == results["status_5xx"] == 0
    assert results["replays"] == 12 + 3  # one in ten again, one in fifty twice at once
    assert results["bytes_match"] and results["dashboard_matches"]
    assert sum(results["dashboard_reads"].values()) > 0
    assert results["read_workers"] == int(read_workers)
    assert results["quiet_cpu_ms_per_read"]["gunicorn"] > 0  # the pool the reads went to


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_same_tiny_run_under_granian_at_a_paced_rate(tmp_path):
    """``--server granian`` (measured against gunicorn, bench/README) and ``--rate``: the
    same checks, and no submission leaves before its moment."""
    if postgres_bin() is None:
        unavailable("PostgreSQL server binaries (initdb, pg_ctl) not found")
    out = tmp_path / "load.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run_measures_load.py"), "--server", "granian",
         "--submissions", "60", "--preload", "20", "--schools", "2", "--workers", "1",
         "--concurrency", "4", "--readers", "1", "--quiet-reads", "2", "--rate", "100",
         "--json", str(out)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    results = json.loads(out.read_text())
    assert results["server"] == "granian"
    assert results["distinct_sent"] == results["distinct_stored"] == 60
    assert results["lost"] == results["double_counted"] == results["status_5xx"] == 0
    assert results["bytes_match"] and results["dashboard_matches"]
    # the 60th submission is due 0.59 s after the first: paced, not as fast as answered
    assert results["rate"] == 100 and results["seconds"] >= 0.59
