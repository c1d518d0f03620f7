"""The journal's records: a run and its actions, as rows and as Python objects.

An action goes through these states, each committed *before* the file operation it
announces and *after* the one it reports:

    pending → intent → done → undoing → undone
                 ↘ skipped / failed       ↘ purging → purged

Each action names its **source** (``files``, ``imap``, ``mbox``, ``maildir``), the
source's **reference** to its item (``ref``: for files, the path; for mail, the
message's reference as JSON) and a **fingerprint** proper to the source (JSON; for
files: device, inode, size and modification time as the plan saw them; for mail: the
account, Message-ID, size, date and header hash). The other columns are the working
state of the operations. Format 1 had no source, reference or fingerprint; format 2
required a path of every action, which a message on a server has not (format 3 leaves
it empty for mail): :mod:`menage.clean.migrate` upgrades both.

Rows are checked as they are read: a state or path that Ménage never writes, or a
(source, kind) that no registered operation handles (:mod:`menage.clean.registry`),
means the file was damaged, and it is said so rather than acted on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

STATES = (
    "pending", "intent", "done", "skipped", "failed", "undoing", "undone", "purging", "purged",
)  # fmt: skip
#: states in which an action is half done: the next command settles it
IN_PROGRESS = ("intent", "undoing", "purging")
RUN_STATUSES = ("running", "interrupted", "done")
STASH_HOWS = (None, "rename", "copy", "link")

SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    finished REAL,
    status TEXT NOT NULL,
    plan_digest TEXT NOT NULL,
    plan_path TEXT,
    scan_id INTEGER,
    scan_after INTEGER,
    roots TEXT NOT NULL,
    command TEXT NOT NULL
);
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    line INTEGER NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    finding TEXT NOT NULL,
    category TEXT NOT NULL,
    path BLOB,
    keep BLOB,
    size INTEGER NOT NULL,
    dev INTEGER,
    ino INTEGER,
    mtime_ns INTEGER,
    is_dir INTEGER NOT NULL DEFAULT 0,
    mode INTEGER,
    uid INTEGER,
    gid INTEGER,
    atime_ns INTEGER,
    nlink INTEGER,
    state TEXT NOT NULL,
    reason TEXT,
    stash BLOB,
    stash_how TEXT,
    tmp BLOB,
    new_ino INTEGER,
    restored_to BLOB,
    done_at REAL,
    undone_at REAL,
    purged_at REAL,
    ref BLOB NOT NULL,
    fingerprint TEXT NOT NULL
);
CREATE INDEX actions_run ON actions (run_id, state);
CREATE INDEX actions_path ON actions (path);
CREATE TABLE IF NOT EXISTS unsubscriptions (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    source TEXT NOT NULL,
    sender TEXT NOT NULL,
    list_id TEXT,
    method TEXT NOT NULL,
    target TEXT,
    status TEXT NOT NULL,
    detail TEXT,
    messages INTEGER NOT NULL,
    bytes INTEGER NOT NULL
);
"""


@dataclass
class Entry:
    """One action as the journal holds it."""

    id: int
    run_id: int
    line: int
    source: str
    kind: str
    finding: str
    category: str
    #: the file's path (files, Maildir and mbox); None for a message on a server
    path: bytes | None
    keep: bytes | None
    size: int
    dev: int | None
    ino: int | None
    mtime_ns: int | None
    is_dir: int
    mode: int | None
    uid: int | None
    gid: int | None
    atime_ns: int | None
    nlink: int | None
    state: str
    reason: str | None
    stash: bytes | None
    stash_how: str | None
    tmp: bytes | None
    new_ino: int | None
    restored_to: bytes | None
    done_at: float | None
    undone_at: float | None
    purged_at: float | None
    #: the source's reference to the item (for files: the path, as planned)
    ref: bytes
    #: what identifies the item in its source, as planned (JSON)
    fingerprint: str

    @property
    def file(self) -> bytes:
        """The path of an action on a file (every source has one but a mail server)."""
        assert self.path is not None, "an action on a message on a server has no path"
        return self.path


ENTRY_COLUMNS = [f.name for f in fields(Entry)]
#: the columns an action's progress changes
MUTABLE = [
    "kind", "dev", "ino", "mtime_ns", "mode", "uid", "gid", "atime_ns", "nlink", "state",
    "reason", "stash", "stash_how", "tmp", "new_ino", "restored_to", "done_at", "undone_at",
    "purged_at",
]  # fmt: skip
RUN_COLUMNS = (
    "id, started, finished, status, plan_digest, plan_path, scan_id, scan_after, roots, command"
)


@dataclass
class Run:
    id: int
    started: float
    finished: float | None
    status: str
    plan_digest: str
    plan_path: str | None
    scan_id: int | None
    scan_after: int | None
    roots: list[str]
    command: str


def _is_path(value: Any, optional: bool = True) -> bool:
    if value is None:
        return optional
    return isinstance(value, bytes) and value.startswith(b"/") and b"\0" not in value


def entry_problem(row: tuple[Any, ...]) -> str | None:
    """What is wrong with an action row that Ménage could not have written, or None."""
    entry = Entry(*row)
    if entry.state not in STATES:
        return f"action {entry.id}: unknown state {entry.state!r}"
    if entry.stash_how not in STASH_HOWS:
        return f"action {entry.id}: unknown way of keeping {entry.stash_how!r}"
    # a message on a server has no path (its stash and kept copy name folders); an mbox
    # message's kept copy is another message of the mbox, not a file
    named = {"imap": ()}.get(entry.source, ("path", "keep", "stash", "tmp", "restored_to"))
    for name in named:
        if name == "keep" and entry.source == "mbox":
            continue
        if not _is_path(getattr(entry, name), optional=name != "path"):
            return f"action {entry.id}: {name} is not a path"
    if entry.source == "imap" and entry.path is not None:
        return f"action {entry.id}: a message on a server has no path"
    if not isinstance(entry.ref, bytes) or (entry.source == "files" and entry.ref != entry.path):
        return f"action {entry.id}: its reference is not its path"
    if not _is_fingerprint(entry.fingerprint):
        return f"action {entry.id}: its fingerprint cannot be read"
    return None


def _is_fingerprint(value: Any) -> bool:
    try:
        return isinstance(value, str) and isinstance(json.loads(value), dict)
    except ValueError:
        return False


def files_fingerprint(dev: int | None, ino: int | None, size: int, mtime_ns: int | None) -> str:
    """A file's fingerprint: what the plan saw of it (its content is compared with
    the kept copy's byte for byte at the last moment, never trusted from a digest)."""
    data = {"dev": dev, "ino": ino, "size": size, "mtime_ns": mtime_ns}
    return json.dumps(data, separators=(",", ":"))


def category_of(path: bytes) -> str:
    from menage.files.lint import category

    return category(path.rsplit(b"/", 1)[-1])
