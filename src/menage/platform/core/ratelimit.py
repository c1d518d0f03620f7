"""Rate limiting for public forms, counted in the database, fair to shared connections.

A school, a library or a town-hall desk often sends everyone through one address.
So a post is counted against its **client address and its target** (the event, the
user name, the e-mail address it is about), and only when it **fails** (the form was
refused: a 4xx answer). Successful posts never count: a desk registering thirty
residents is never locked out; someone guessing one account's password is, after
``MENAGE_RATE_LIMIT`` failures in ``MENAGE_RATE_WINDOW`` seconds. Successes have a
budget of their own, ``SUCCESS_FACTOR`` times larger (nobody holds every place of a
workshop with made-up addresses); forms that send a mail to the target itself (a
password reset) count every post.

The client address is ``REMOTE_ADDR``, unless the request came through one of the
proxies listed in ``MENAGE_TRUSTED_PROXIES``: then it is the first address in
``X-Forwarded-For`` that is not a trusted proxy, read from the right (the proxies
append; the left part is whatever the client claimed). Counting in the database makes
the limit hold across gunicorn workers without Redis.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from menage.platform.core.hotsql import fetch_all
from menage.platform.core.models import RateLimitHit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies() -> list[Network]:
    """``MENAGE_TRUSTED_PROXIES`` as networks (an address alone is a /32 or /128)."""
    return list(_networks(tuple(settings.MENAGE_TRUSTED_PROXIES)))


@functools.lru_cache(maxsize=16)
def _networks(items: tuple[str, ...]) -> tuple[Network, ...]:
    # parsed once per setting's value (every post of the API asks), not per request
    return tuple(ipaddress.ip_network(item, strict=False) for item in items)


def _trusted(address: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's address, believing ``X-Forwarded-For`` only from trusted proxies."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    networks = trusted_proxies()
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _trusted(hop, networks):
            return hop
    return remote


def counter_key(scope: str, client: str, target: str) -> str:
    """The stored key of one budget (hashed: no address is kept in clear)."""
    return hashlib.sha256(f"{scope}\0{client}\0{target}".encode()).hexdigest()


def current_window(now: float | None) -> int:
    """The number of the rate window ``now`` falls in (the current one for None)."""
    return int((time.time() if now is None else now) // settings.MENAGE_RATE_WINDOW)


def count(scope: str, client: str, target: str = "", *, now: float | None = None) -> int:
    """Failures counted so far in the current window."""
    found = RateLimitHit.objects.filter(
        key=counter_key(scope, client, target), window=current_window(now)
    )
    return int(found.values_list("count", flat=True).first() or 0)


def hit(scope: str, client: str, target: str = "", *, now: float | None = None) -> int:
    """Count one failure by ``client`` on ``target`` and return the count in the window.

    One statement (an upsert returning the new count, on SQLite and PostgreSQL alike):
    atomic under concurrent posts, and one round trip on the API's hot path.
    """
    table = connection.ops.quote_name(RateLimitHit._meta.db_table)
    key, window, count_ = (connection.ops.quote_name(name) for name in ("key", "window", "count"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key}, {window}, {count_}) VALUES (%s, %s, 1) "
            f"ON CONFLICT ({key}, {window}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
            f"RETURNING {count_}",
            [counter_key(scope, client, target), current_window(now)],
        )
        row = cursor.fetchone()
    return int(row[0])


def hit_many(counters: list[tuple[str, str, str]], *, now: float | None = None) -> list[int]:
    """:func:`hit` for several (scope, client, target) counters in one statement (one
    round trip for the submissions' two budgets); the counts in the same order."""
    table = connection.ops.quote_name(RateLimitHit._meta.db_table)
    key, window, count_ = (connection.ops.quote_name(name) for name in ("key", "window", "count"))
    keys = [counter_key(*counter) for counter in counters]
    params: list[str | int] = []
    for each in dict.fromkeys(keys):  # one row per key: a statement updates a row once
        params += [each, current_window(now)]
    rows = ", ".join(["(%s, %s, 1)"] * (len(params) // 2))
    rows_found = fetch_all(
        f"INSERT INTO {table} ({key}, {window}, {count_}) VALUES {rows} "
        f"ON CONFLICT ({key}, {window}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
        f"RETURNING {key}, {count_}",
        params,
    )
    found = {str(k): int(n) for k, n in rows_found}
    return [found[each] for each in keys]


def purge_old(now: float | None = None) -> int:
    """Delete counters of past windows; returns how many went."""
    deleted, _kinds = RateLimitHit.objects.filter(window__lt=current_window(now)).delete()
    return deleted


ViewFunc = Callable[..., HttpResponseBase]
Target = Callable[[HttpRequest], str]


def by_path(request: HttpRequest) -> str:
    return request.path


def by_field(name: str) -> Target:
    """The target is a posted field (a user name, an e-mail address), case folded."""

    def target(request: HttpRequest) -> str:
        return str(request.POST.get(name, "")).strip().casefold()[:254]

    return target


SUCCESS_FACTOR = 5


def rate_limited(
    scope: str, target: Target = by_path, *, every_post: bool = False
) -> Callable[[ViewFunc], ViewFunc]:
    """Refuse with 429 a client whose posts to this target failed too often.

    Args:
        scope: the form's name, so that forms do not share counters.
        target: what the post is about (default: the page's address).
        every_post: count successes as failures too (a form that mails its target).
    """

    def decorate(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            client, about = client_address(request), target(request)
            limit = settings.MENAGE_RATE_LIMIT
            successes = f"{scope}:ok"
            if (
                count(scope, client, about) >= limit
                or count(successes, client, about) >= limit * SUCCESS_FACTOR
            ):
                response = render(
                    request,
                    "core/too_many_requests.html",
                    {"minutes": max(1, settings.MENAGE_RATE_WINDOW // 60)},
                    status=429,
                )
                response["Retry-After"] = str(settings.MENAGE_RATE_WINDOW)
                return response
            answer = view(request, *args, **kwargs)
            if every_post or 400 <= answer.status_code < 500:
                hit(scope, client, about)
            else:
                hit(successes, client, about)
            return answer

        return wrapper

    return decorate
