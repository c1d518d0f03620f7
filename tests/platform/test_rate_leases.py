"""Rate budgets leased to workers in blocks (menage.platform.core.leases): exact across
processes on a real PostgreSQL, a dead worker's lease only makes the limit stricter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]

#: a worker process: spends the budget post by post as the API does (a leased unit, or
#: one unit counted in the row and refused over the limit); prints what it accepted and
#: what it holds unspent. ``die``: stop for good right after its first accepted post.
WORKER = """
import json, os, sys, threading
import django
from django.conf import settings
django.setup()
from django.db import connections
conf = settings.DATABASES["default"]
conf.clear()
conf.update(json.loads(sys.argv[1]))
connections.configure_settings(settings.DATABASES)
try:
    del connections["default"]
except AttributeError:
    pass
from menage.platform.core import leases, ratelimit
key, window, limit, attempts, die = sys.argv[2], *map(int, sys.argv[3:7])
accepted = []
def spend():
    mine = 0
    for _ in range(attempts):
        if leases.take(key, window, limit) or ratelimit.hit_keys([(key, window)])[0] <= limit:
            mine += 1
            if die:
                break
    accepted.append(mine)
    connections.close_all()
threads = [threading.Thread(target=spend) for _ in range(1 if die else 2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"accepted": sum(accepted), "unspent": leases.unspent()}), flush=True)
os._exit(0)  # as a killed worker: nothing given back
"""


def workers(
    database: dict[str, Any], key: str, limit: int, plan: list[tuple[int, int]]
) -> list[Any]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "menage.platform.settings.test"}
    started = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                json.dumps(database),
                key,
                "7",
                str(limit),
                str(attempts),
                str(die),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )  # fmt: skip
        for attempts, die in plan
    ]
    results = []
    for process in started:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(json.loads(out))
    return results


@pytest.fixture
def database(transactional_db: None, on_postgresql: bool) -> dict[str, Any]:
    if not on_postgresql:
        pytest.skip("several processes share the budget: runs with --platform-db=postgresql")
    from django.db import connection

    settings = dict(connection.settings_dict)
    connection.close()
    return {k: settings[k] for k in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")} | {
        "OPTIONS": settings.get("OPTIONS", {}),
    }


@pytest.mark.slow
def test_the_leased_budget_is_exact_across_processes(database):
    """Five processes (two threads each, one process dying after its first post with its
    block unspent) spend one budget three times over: the posts accepted never exceed the
    limit, and with what the workers hold unspent they make it exactly."""
    from menage.platform.core.models import RateLimitHit

    limit = 1_280  # blocks of 20 units at first (a sixty-fourth of what is left)
    results = workers(database, "code-a", limit, [(1, 1)])  # dies first, its block unspent
    results += workers(database, "code-a", limit, [(400, 0)] * 4)
    dead = results[0]
    assert dead["accepted"] == 1 and dead["unspent"] == 19
    accepted = sum(r["accepted"] for r in results)
    assert accepted == limit - sum(r["unspent"] for r in results) <= limit - 19
    # the row counted every leased unit and every post counted one by one (refused ones too)
    counted = RateLimitHit.objects.get(key="code-a", window=7).count
    assert counted >= limit


def test_a_block_is_leased_only_while_it_fits(database):
    """One statement leases a block only if the row stays within the limit; the sizes
    shrink as the budget drains; the last units go post by post."""
    from django.db import connection

    from menage.platform.core import leases
    from menage.platform.core.models import RateLimitHit

    assert leases.block_size(600, 0) == 9 and leases.block_size(1_000_000, 0) == leases.MOST
    assert leases.block_size(600, 500) == 1 and leases.block_size(600, 700) == 0
    assert not connection.in_atomic_block
    assert leases.lease("k", 1, 100, 60) == 60
    assert leases.lease("k", 1, 100, 60) is None  # 120 > 100: nothing counted
    assert leases.lease("k", 1, 100, 40) == 100
    assert RateLimitHit.objects.get(key="k", window=1).count == 100
    # a worker's takes: a block of 64 (one statement), then 63 units from memory
    spent = [leases.take("b", 1, 64 * 64) for _ in range(64)]
    assert all(spent) and leases.unspent() == 0
    assert RateLimitHit.objects.get(key="b", window=1).count == 64
    # inside a transaction no lease is kept: the caller counts the post itself
    from django.db import transaction

    with transaction.atomic():
        assert not leases.take("c", 1, 64 * 64)
    assert not RateLimitHit.objects.filter(key="c").exists()
