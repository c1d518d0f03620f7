"""Reading settings from environment variables, and DATABASE_URL."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

N = TypeVar("N", int, float)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no environment variable (1/0, true/false, yes/no, on/off)."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected 1/0, true/false, yes/no or on/off")


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """An integer environment variable."""
    return _env_number(name, default, int, "a whole number")


def env_float(name: str, default: float) -> float:
    """A number of seconds (or any decimal) from an environment variable."""
    return _env_number(name, default, float, "a number")


def _env_number(name: str, default: N, parse: Callable[[str], N], expected: str) -> N:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return parse(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected {expected}") from None


def parse_database_url(url: str) -> dict[str, Any]:
    """Turn a database URL into a Django ``DATABASES`` entry.

    ``sqlite:////absolute/path.sqlite3``, ``postgresql://user:password@host:5432/name``;
    a Unix socket goes in the query (``postgresql:///name?host=/run/postgresql``); other
    query keys become connection options. ``pool=true`` turns on psycopg's pool.

    Raises:
        ImproperlyConfigured: for a scheme we do not support or a URL without a name.
    """
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("//"):  # sqlite:////abs/path → //abs/path
            path = path[1:]
        elif path.startswith("/"):  # sqlite:///relative/path
            path = path[1:]
        if not path:
            raise ImproperlyConfigured(f"{url!r}: no SQLite file in the URL")
        return sqlite_database(path)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(f"{parts.scheme!r}: DATABASE_URL must be sqlite or postgresql")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL has no database name")
    options: dict[str, Any] = {}
    host = unquote(parts.hostname or "") if parts.hostname else query.pop("host", "")
    query.pop("host", None)
    if query.pop("pool", "").lower() in _TRUE:
        options["pool"] = True
    conn_max_age = int(query.pop("conn_max_age", "0"))
    options["prepare_threshold"] = _prepare_threshold(query.pop("prepare_threshold", None))
    options.update(query)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 0 if options.get("pool") else conn_max_age,
        "OPTIONS": options,
    }


# Django turns psycopg's prepared statements off (prepare_threshold None) for the sake of
# poolers in transaction mode, and then psycopg ignores even ``prepare=True``: the one
# statement of each submission (core/hotsql.py) was parsed and planned at every post.
# A threshold no statement reaches prepares only the statements that ask for it (Django's
# own queries bind on the client and are never prepared); ``prepare_threshold=none`` in
# the URL turns preparing off again, behind such a pooler.
ONLY_WHEN_ASKED = 2**31 - 1


def _prepare_threshold(value: str | None) -> int | None:
    if value is None:
        return ONLY_WHEN_ASKED
    if value.strip().lower() in ("none", "off", "false"):  # 0 is psycopg's "prepare all"
        return None
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"prepare_threshold={value!r}: expected a whole number or none"
        ) from None


def sqlite_database(path: str | os.PathLike[str]) -> dict[str, Any]:
    """An SQLite entry tuned for a small web site: WAL, and writers queue instead of failing."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.fspath(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
