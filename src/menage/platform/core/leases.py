"""Rate budgets leased to each worker in blocks: most posts count without a write.

A busy participation code takes hundreds of posts a second; counting each one in its
budget's row (``RateLimitHit``) is a write per post on one hot row per code. Instead a
worker takes a **block** of the budget at once (one statement: the row's count grows by
the block only if it stays within the limit) and spends it in memory, one unit a post.

Exact: the units leased are counted in the row before any is spent, so the posts
accepted never exceed the budget, whatever the number of workers or machines. A worker
that dies loses at most its unspent block, which only makes the limit stricter. Blocks
shrink as the budget drains (:func:`block_size`: a sixty-fourth of what is left, at most
:data:`MOST`); when a block no longer fits, or would be a single unit, :func:`take`
answers ``False`` and the caller counts the post in the row as before (one unit, in its
own statement), so the last part of a budget is counted post by post, exactly.

A lease is kept only outside a transaction: a block counted inside one could be rolled
back while the worker spends it (then :func:`take` answers ``False`` too).
"""

from __future__ import annotations

import os
import threading

from django.db import connection

from menage.platform.core.hotsql import fetch_all
from menage.platform.core.models import RateLimitHit

#: the largest block a worker takes at once
MOST = 64
#: a block is at most this fraction of what is left of the budget
SHARE = 64

# (key, window, limit) -> units this worker may still spend; the count seen after its
# last lease, for the next block's size
_leases: dict[tuple[str, int, int], int] = {}
_seen: dict[tuple[str, int, int], int] = {}
_owner = os.getpid()
_lock = threading.Lock()


def block_size(limit: int, seen: int) -> int:
    """The next block for a budget of ``limit`` whose row counted ``seen`` (0: unknown)."""
    return max(0, min(MOST, (limit - seen) // SHARE))


def take(key: str, window: int, limit: int) -> bool:
    """Spend one unit of this worker's lease on the budget ``key`` in ``window`` (leasing
    a block first if none is left). ``False``: no lease, count the post in the row."""
    global _owner
    slot = (key, window, limit)
    with _lock:
        if os.getpid() != _owner:  # a forked worker starts with nothing of its parent's
            _leases.clear()
            _seen.clear()
            _owner = os.getpid()
        left = _leases.get(slot, 0)
        if left > 0:
            _leases[slot] = left - 1
            return True
        size = block_size(limit, _seen.get(slot, 0))
    if size < 2 or connection.in_atomic_block:
        return False
    counted = lease(key, window, limit, size)
    with _lock:
        if counted is None:  # the block does not fit: post by post from now on
            _seen[slot] = limit
            return False
        if len(_leases) > 10_000:  # past windows' leftovers
            _leases.clear()
            _seen.clear()
        _seen[slot] = counted
        _leases[slot] = _leases.get(slot, 0) + size - 1
    return True


def lease(key: str, window: int, limit: int, size: int) -> int | None:
    """Count ``size`` units in the budget's row if it stays within ``limit`` (one
    statement, atomic under concurrent workers): the row's new count, ``None`` if the
    block does not fit (then nothing is counted)."""
    q = connection.ops.quote_name
    table = q(RateLimitHit._meta.db_table)
    key_, window_, count_ = q("key"), q("window"), q("count")
    found = fetch_all(
        f"INSERT INTO {table} ({key_}, {window_}, {count_}) VALUES (%s, %s, %s) "
        f"ON CONFLICT ({key_}, {window_}) DO UPDATE SET {count_} = {table}.{count_} + %s "
        f"WHERE {table}.{count_} + %s <= %s RETURNING {count_}",
        [key, window, min(size, limit), size, size, limit],
    )
    return int(found[0][0]) if found else None


def unspent() -> int:
    """Units this worker holds and has not spent (for tests and the bench)."""
    with _lock:
        return sum(_leases.values()) if os.getpid() == _owner else 0


def forget() -> None:
    """Drop this worker's leases (their units stay counted: the limit only gets stricter)."""
    with _lock:
        _leases.clear()
        _seen.clear()
