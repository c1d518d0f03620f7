"""The IMAP metadata cache: one SQLite file under the Ménage home.

Messages are keyed by (account, folder, UIDVALIDITY, UID): a UID means the same message
for as long as the folder's UIDVALIDITY holds (RFC 3501), so a second analysis fetches
only new messages and changed flags. Each batch is committed as it arrives, so a
dropped connection loses nothing already read. No body and no password is stored.

Each message is one row of plain columns (no JSON document to decode per message):
a second analysis reads a folder in one query and builds its messages straight from
the rows. A cache file of an older format is emptied and started again (it holds
nothing that cannot be fetched again).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from menage import _sqlite
from menage.home import menage_home
from menage.mail.model import Attachment, MessageMeta, MessageRef, Unsubscribe

APPLICATION_ID = 0x4D4E4D4C  # "MNML"
VERSION = 3

SCHEMA = """
CREATE TABLE folders (
    account TEXT NOT NULL,
    folder TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uidnext INTEGER,
    messages INTEGER,
    modseq INTEGER,
    complete INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, folder)
);
CREATE TABLE messages (
    account TEXT NOT NULL,
    folder TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    seen INTEGER NOT NULL,
    size INTEGER NOT NULL,
    message_id TEXT,
    date TEXT,
    header_hash TEXT NOT NULL,
    sender TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    timestamp REAL,
    list_id TEXT,
    bulk INTEGER NOT NULL,
    auto_submitted INTEGER NOT NULL,
    unsubscribe TEXT,
    attachments TEXT,
    defects TEXT,
    PRIMARY KEY (account, folder, uidvalidity, uid)
) WITHOUT ROWID;
CREATE TABLE results (
    account TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    generated REAL NOT NULL,
    valid_until REAL NOT NULL,
    data BLOB NOT NULL
)
"""
_COLUMNS = (
    "uid, seen, size, message_id, date, header_hash, sender, sender_name, subject, "
    "timestamp, list_id, bulk, auto_submitted, unsubscribe, attachments, defects"
)
_INSERT = (
    "INSERT OR REPLACE INTO messages (account, folder, uidvalidity, "
    + _COLUMNS
    + ") VALUES ("
    + ", ".join("?" * 19)
    + ")"
)


def _row(account: str, folder: str, uidvalidity: int, m: MessageMeta) -> tuple[object, ...]:
    """One message as the columns of its row (lists and the unsubscribe methods as
    compact JSON, NULL when empty)."""
    ref, unsub = m.ref, m.unsubscribe
    return (
        account,
        folder,
        uidvalidity,
        ref.uid,
        int(m.seen),
        ref.size,
        ref.message_id,
        ref.date,
        ref.header_hash,
        m.sender,
        m.sender_name,
        m.subject,
        m.timestamp,
        m.list_id,
        int(m.bulk),
        int(m.auto_submitted),
        None if unsub is None else json.dumps([unsub.one_click, unsub.http, unsub.mailto]),
        json.dumps([[a.filename, a.content_type, a.size] for a in m.attachments])
        if m.attachments
        else None,
        json.dumps(m.defects) if m.defects else None,
    )


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    uidnext: int | None
    messages: int | None
    modseq: int | None
    complete: bool


def default_cache_path() -> Path:
    return menage_home() / "mail-cache.sqlite"


class MailCache:
    """The cache file; a foreign or damaged file is moved aside and a new one started
    (it holds nothing that cannot be fetched again)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            app, version, empty = _sqlite.identity(db)
            if empty:
                _sqlite.create(db, SCHEMA, APPLICATION_ID, VERSION)
            elif app != APPLICATION_ID:
                raise sqlite3.DatabaseError("foreign file")
            elif version != VERSION:  # our own cache in an older format: start again
                db.execute("BEGIN IMMEDIATE")
                db.execute("DROP TABLE IF EXISTS messages")
                db.execute("DROP TABLE IF EXISTS folders")
                db.execute("DROP TABLE IF EXISTS results")
                db.execute("COMMIT")
                _sqlite.create(db, SCHEMA, APPLICATION_ID, VERSION)
            return db
        except sqlite3.DatabaseError:
            aside = self.path.with_name(self.path.name + ".damaged")
            self.path.replace(aside)
            db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            _sqlite.create(db, SCHEMA, APPLICATION_ID, VERSION)
            return db

    def close(self) -> None:
        self.db.close()

    def folder(self, account: str, folder: str) -> FolderState | None:
        row = self.db.execute(
            "SELECT uidvalidity, uidnext, messages, modseq, complete FROM folders "
            "WHERE account = ? AND folder = ?",
            (account, folder),
        ).fetchone()
        if row is None:
            return None
        return FolderState(row[0], row[1], row[2], row[3], bool(row[4]))

    def start_folder(self, account: str, folder: str, uidvalidity: int) -> None:
        """Record the folder as being read; a new UIDVALIDITY drops its old messages."""
        state = self.folder(account, folder)
        self.db.execute("BEGIN IMMEDIATE")
        if state is not None and state.uidvalidity != uidvalidity:
            self.db.execute(
                "DELETE FROM messages WHERE account = ? AND folder = ?", (account, folder)
            )
        self.db.execute(
            "INSERT INTO folders (account, folder, uidvalidity, complete) VALUES (?, ?, ?, 0) "
            "ON CONFLICT (account, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, "
            "complete = 0",
            (account, folder, uidvalidity),
        )
        self.db.execute("COMMIT")

    def finish_folder(
        self,
        account: str,
        folder: str,
        uidnext: int | None,
        messages: int | None,
        modseq: int | None,
    ) -> None:
        self.db.execute(
            "UPDATE folders SET uidnext = ?, messages = ?, modseq = ?, complete = 1 "
            "WHERE account = ? AND folder = ?",
            (uidnext, messages, modseq, account, folder),
        )

    def last_uid(self, account: str, folder: str, uidvalidity: int) -> int:
        """The highest UID cached for the folder (0 when none)."""
        row = self.db.execute(
            "SELECT max(uid) FROM messages WHERE account = ? AND folder = ? AND uidvalidity = ?",
            (account, folder, uidvalidity),
        ).fetchone()
        return int(row[0] or 0)

    def count(self, account: str, folder: str, uidvalidity: int) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM messages WHERE account = ? AND folder = ? AND uidvalidity = ?",
            (account, folder, uidvalidity),
        ).fetchone()
        return int(row[0])

    def uids(self, account: str, folder: str, uidvalidity: int) -> set[int]:
        rows = self.db.execute(
            "SELECT uid FROM messages WHERE account = ? AND folder = ? AND uidvalidity = ?",
            (account, folder, uidvalidity),
        )
        return {row[0] for row in rows}

    def store(
        self, account: str, folder: str, uidvalidity: int, metas: Iterable[MessageMeta]
    ) -> None:
        """Save one batch, in one transaction."""
        rows = [_row(account, folder, uidvalidity, m) for m in metas]
        self.db.execute("BEGIN IMMEDIATE")
        self.db.executemany(_INSERT, rows)
        self.db.execute("COMMIT")

    def forget(self, account: str, folder: str, uidvalidity: int, uids: Iterable[int]) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        self.db.executemany(
            "DELETE FROM messages WHERE account = ? AND folder = ? AND uidvalidity = ? AND uid = ?",
            [(account, folder, uidvalidity, uid) for uid in uids],
        )
        self.db.execute("COMMIT")

    def set_seen(self, account: str, folder: str, uidvalidity: int, seen: dict[int, bool]) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        self.db.executemany(
            "UPDATE messages SET seen = ? WHERE account = ? AND folder = ? AND uidvalidity = ? "
            "AND uid = ?",
            [(int(s), account, folder, uidvalidity, uid) for uid, s in seen.items()],
        )
        self.db.execute("COMMIT")

    def result(self, account: str, key: str, now: float) -> bytes | None:
        """The account's last findings stored under ``key``, if still valid at ``now``
        (see :mod:`menage.mail.reuse`)."""
        row = self.db.execute(
            "SELECT data FROM results WHERE account = ? AND key = ? "
            "AND generated <= ? AND ? < valid_until",
            (account, key, now, now),
        ).fetchone()
        return None if row is None else bytes(row[0])

    def store_result(
        self, account: str, key: str, generated: float, valid_until: float, data: bytes
    ) -> None:
        """Keep the account's findings (one stored result per account)."""
        self.db.execute(
            "INSERT OR REPLACE INTO results (account, key, generated, valid_until, data) "
            "VALUES (?, ?, ?, ?, ?)",
            (account, key, generated, valid_until, data),
        )

    def messages(self, account: str, folder: str, uidvalidity: int) -> Iterator[MessageMeta]:
        """The folder's messages in UID order, read in one query."""
        rows = self.db.execute(
            "SELECT " + _COLUMNS + " FROM messages "
            "WHERE account = ? AND folder = ? AND uidvalidity = ? ORDER BY uid",
            (account, folder, uidvalidity),
        ).fetchall()
        # the JSON columns of the whole folder decoded in one call, not one per row
        unsubs = _loads_all([row[13] for row in rows])
        attachment_lists = _loads_all([row[14] for row in rows])
        defect_lists = _loads_all([row[15] for row in rows])
        # built without the frozen dataclasses' __init__ (which sets each field through
        # object.__setattr__: a third of a second analysis' time); every field named, in order
        new, set_dict = object.__new__, object.__setattr__
        for k, (
            uid, seen, size, message_id, date, header_hash, sender, sender_name, subject,
            timestamp, list_id, bulk, auto, _unsub, _attachments, _defects,
        ) in enumerate(rows):  # fmt: skip
            ref = new(MessageRef)
            set_dict(
                ref,
                "__dict__",
                {
                    "folder": folder,
                    "uidvalidity": uidvalidity,
                    "uid": uid,
                    "key": None,
                    "message_id": message_id,
                    "size": size,
                    "date": date,
                    "header_hash": header_hash,
                },
            )
            unsub, attachments, defects = unsubs[k], attachment_lists[k], defect_lists[k]
            meta = new(MessageMeta)
            set_dict(
                meta,
                "__dict__",
                {
                    "ref": ref,
                    "sender": sender,
                    "sender_name": sender_name,
                    "subject": subject,
                    "timestamp": timestamp,
                    "seen": bool(seen),
                    "list_id": list_id,
                    "unsubscribe": None if unsub is None else Unsubscribe(*unsub),
                    "bulk": bool(bulk),
                    "auto_submitted": bool(auto),
                    "attachments": ()
                    if attachments is None
                    else tuple(Attachment(*a) for a in attachments),
                    "defects": () if defects is None else tuple(defects),
                },
            )
            yield meta


def _loads_all(texts: list[str | None]) -> list[Any]:
    """Each JSON text decoded (NULL as None), all in one ``json.loads``."""
    if not any(texts):
        return [None] * len(texts)
    decoded: list[Any] = json.loads("[" + ",".join("null" if t is None else t for t in texts) + "]")
    return decoded
