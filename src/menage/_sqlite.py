"""What the index and the journal share: recognising and creating their SQLite files.

Each file carries an ``application_id`` (what it is) and a ``user_version`` (its
format), so that a file of another program is never written to.
"""

from __future__ import annotations

import sqlite3

#: SQLite's page cache, 2 MB, set on a connection once the file's page size is known:
#: left to its default, a connection to an index of 64 KiB pages let its cache grow to
#: some 30 MB (the fresh scan of a million files peaked at 252 MiB instead of 226; not so
#: with 4 KiB pages)
CACHE_SIZE = "PRAGMA cache_size=-2000"


def identity(db: sqlite3.Connection) -> tuple[int, int, bool]:
    """The file's application id, its format version, and whether it is empty."""
    application_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return application_id, version, tables == 0


def create(
    db: sqlite3.Connection,
    schema: str,
    application_id: int,
    version: int,
    page_size: int | None = None,
) -> None:
    """Create the tables of an empty file and stamp it, in one transaction (with pages of
    ``page_size`` bytes: set once, when the file is made)."""
    if page_size is not None:
        db.execute(f"PRAGMA page_size={int(page_size)}")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("BEGIN IMMEDIATE")
    try:
        for statement in schema.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(f"PRAGMA application_id={application_id}")
        db.execute(f"PRAGMA user_version={version}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
