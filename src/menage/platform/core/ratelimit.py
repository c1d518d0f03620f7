"""A small rate limiter for public forms, counted in the database.

Counting in the database (not in a process's memory) makes the limit hold across
gunicorn workers without Redis. Only POST requests count: reading a form is free.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from menage.platform.core.models import RateLimitHit


def client_address(request: HttpRequest) -> str:
    """The client's address, from the header the reverse proxy sets (first hop)."""
    value = request.META.get(settings.MENAGE_CLIENT_IP_HEADER) or request.META.get(
        "REMOTE_ADDR", ""
    )
    return str(value).split(",")[0].strip()


def hit(scope: str, client: str, *, now: float | None = None) -> int:
    """Count one post by ``client`` to ``scope`` and return the count in the current window."""
    window = int((time.time() if now is None else now) // settings.MENAGE_RATE_WINDOW)
    key = hashlib.sha256(f"{scope}\0{client}".encode()).hexdigest()
    for _attempt in range(2):
        updated = RateLimitHit.objects.filter(key=key, window=window).update(count=F("count") + 1)
        if updated:
            break
        try:
            with transaction.atomic():
                RateLimitHit.objects.create(key=key, window=window, count=1)
            break
        except IntegrityError:
            continue  # another process created it first: count on it
    row = RateLimitHit.objects.filter(key=key, window=window).values_list("count", flat=True)
    return int(row.first() or 0)


def purge_old(now: float | None = None) -> int:
    """Delete counters of past windows; returns how many went."""
    window = int((time.time() if now is None else now) // settings.MENAGE_RATE_WINDOW)
    deleted, _kinds = RateLimitHit.objects.filter(window__lt=window).delete()
    return deleted


ViewFunc = Callable[..., HttpResponseBase]


def rate_limited(scope: str) -> Callable[[ViewFunc], ViewFunc]:
    """Refuse with 429 a client posting to this view more than MENAGE_RATE_LIMIT times a window."""

    def decorate(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method == "POST":
                count = hit(scope, client_address(request))
                if count > settings.MENAGE_RATE_LIMIT:
                    response = render(
                        request,
                        "core/too_many_requests.html",
                        {"minutes": max(1, settings.MENAGE_RATE_WINDOW // 60)},
                        status=429,
                    )
                    response["Retry-After"] = str(settings.MENAGE_RATE_WINDOW)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
