"""Statements on the submissions' hot path, prepared once per database connection.

Django's PostgreSQL backend binds parameters on the client (it quotes them into the
text) and never prepares a statement, so every post makes PostgreSQL parse and plan
the same ``INSERT`` again, and psycopg quote every value in Python. The statement a
submission costs on PostgreSQL (the rate-limit upsert and the idempotent insert in one,
two statements on SQLite) goes through
:func:`fetch_all` instead: on PostgreSQL a psycopg cursor with server-side binding and
``prepare=True`` on Django's own connection (the same transaction, the same autocommit,
database errors wrapped as Django's); on any other database Django's cursor.
Connections are persistent (``conn_max_age``) in production, so a worker prepares each
statement once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.db import connection


def fetch_all(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` (``%s`` placeholders) and return its rows."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    import psycopg

    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    start = time.monotonic()
    try:
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return list(cursor.fetchall())
    finally:
        if connection.queries_logged:  # DEBUG, or a test counting queries: counted as Django's
            took = time.monotonic() - start
            connection.queries_log.append({"sql": sql, "time": f"{took:.3f}"})
