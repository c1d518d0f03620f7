"""Taking messages out of an mbox file, as operations of the cleanup journal ("mbox", "quarantine").

An mbox file is never edited in place. To take a message out, Ménage locks the file,
reads it, finds the message by its SHA-256 (recorded by the analysis, with its
position), writes the message to the quarantine (fsynced), writes the mbox without
it under a new name (created exclusively, fsynced), checks that nobody changed the
mbox meanwhile (same inode, size and modification time) and renames the new file
over it, then fsyncs the folder. Undo appends the message back the same way.

A crash at any instruction leaves the mbox either as it was or without the message,
never half written; :func:`settle` decides which by counting the copies of the
message in the mbox against the count recorded (``nlink``) before acting.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from menage import hooks
from menage._fs import O_NOFOLLOW, fsync_dir, lock, temp_name
from menage.clean.registry import Operation, register
from menage.clean.verify import Refused
from menage.i18n import _

if TYPE_CHECKING:
    from menage.clean.bounds import Bounds
    from menage.clean.operations import Context
    from menage.clean.records import Entry
    from menage.clean.registry import Record

SOURCE = "mbox"


def segments(data: bytes) -> list[tuple[int, int]]:
    """Each message's bytes (``From`` line included), as Python's :mod:`mailbox` splits
    them: a message starts at every line beginning with ``From ``."""
    starts = [0] if data.startswith(b"From ") else []
    position = data.find(b"\nFrom ")
    while position != -1:
        starts.append(position + 1)
        position = data.find(b"\nFrom ", position + 1)
    return [(s, starts[i + 1] if i + 1 < len(starts) else len(data)) for i, s in enumerate(starts)]


def digest(chunk: bytes) -> str:
    return hashlib.sha256(chunk).hexdigest()


def digests(data: bytes) -> list[str]:
    return [digest(data[s:e]) for s, e in segments(data)]


def _sha(entry: Entry) -> str:
    return str(json.loads(entry.fingerprint)["sha256"])


@contextlib.contextmanager
def _locked(path: bytes) -> Iterator[tuple[bytes, os.stat_result | None]]:
    """The mbox's bytes and identity, under an exclusive lock (None: it is gone)."""
    try:
        fd = os.open(path, os.O_RDONLY | O_NOFOLLOW)
    except FileNotFoundError:
        yield b"", None
        return
    try:
        lock(fd)
        st = os.fstat(fd)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read()
        yield data, st
    finally:
        os.close(fd)


def _same(path: bytes, st: os.stat_result | None) -> bool:
    try:
        now = os.lstat(path)
    except FileNotFoundError:
        return st is None
    return st is not None and (now.st_ino, now.st_size, now.st_mtime_ns) == (
        st.st_ino,
        st.st_size,
        st.st_mtime_ns,
    )


def _write_new(target: bytes, content: bytes, mode: int = 0o600) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW, mode)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(
    path: bytes, tmp: bytes, content: bytes, st: os.stat_result | None, point: str
) -> None:
    """Write ``content`` as the new mbox through ``tmp``; refused if the mbox changed."""
    _write_new(tmp, content, (st.st_mode & 0o7777) if st is not None else 0o600)
    hooks.at(point, path)
    if not _same(path, st):
        os.unlink(tmp)
        raise Refused(_("the mbox file changed meanwhile (mail arrived?); left as it is"))
    os.rename(tmp, path)
    fsync_dir(os.path.dirname(path) or b".")


def _unlink(path: bytes | None) -> None:
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def check(entry: Entry, bounds: Bounds) -> str | None:
    return None


def prepare(entry: Entry, ctx: Context) -> None:
    assert entry.path is not None
    entry.stash = os.path.join(
        ctx.quarantine.home, b"run-%d" % ctx.run_id, b"mbox", b"%d.eml" % entry.id
    )
    entry.tmp = temp_name(os.path.dirname(entry.path), b"mbox")
    entry.nlink = None
    entry.state, entry.reason = "intent", None


def perform(entry: Entry, ctx: Context) -> list[bytes]:
    """Take the message out of the mbox (see the module docstring).

    Raises:
        Refused: the message, its kept copy or the mbox changed; nothing was changed.
    """
    assert entry.path is not None and entry.stash is not None and entry.tmp is not None
    sha = _sha(entry)
    try:
        with _locked(entry.path) as (data, st):
            spans = segments(data)
            found = [span for span in spans if digest(data[span[0] : span[1]]) == sha]
            if not found:
                raise Refused(_("no longer in the mbox as the analysis saw it; left alone"))
            start, end = found[0]
            rest = data[:start] + data[end:]
            if entry.keep is not None and json.loads(entry.keep)["sha256"] not in digests(rest):
                raise Refused(_("its kept copy is no longer in the mbox; left in place"))
            entry.nlink = len(found)
            ctx.record(entry)  # the count settle compares with is durable first
            os.makedirs(os.path.dirname(entry.stash), mode=0o700, exist_ok=True)
            _write_new(entry.stash, data[start:end])
            fsync_dir(os.path.dirname(entry.stash))
            _replace(entry.path, entry.tmp, rest, st, "apply.act")
            hooks.at("apply.acted", entry.path)
    except Refused as refused:
        settle(entry)
        entry.state, entry.reason = "pending", refused.reason
        raise
    except BaseException:
        settle(entry)
        raise
    entry.state, entry.done_at = "done", time.time()
    return []


def _count(path: bytes, sha: str) -> int:
    with _locked(path) as (data, _st):
        return digests(data).count(sha)


def _stash_holds(entry: Entry) -> bool:
    assert entry.stash is not None
    try:
        with open(entry.stash, "rb") as handle:
            return digest(handle.read()) == _sha(entry)
    except FileNotFoundError:
        return False


def settle(entry: Entry) -> None:
    """Taken out or not, from the copies of the message left in the mbox."""
    assert entry.path is not None
    _unlink(entry.tmp)
    taken = entry.nlink is not None and _count(entry.path, _sha(entry)) < entry.nlink
    if taken and _stash_holds(entry):
        entry.state, entry.done_at = "done", entry.done_at or time.time()
    elif taken:
        entry.state, entry.reason = "failed", _("vanished from the mbox while being moved")
    else:
        _unlink(entry.stash)
        entry.state = "pending"


def prepare_undo(entry: Entry) -> None:
    assert entry.path is not None
    entry.tmp = temp_name(os.path.dirname(entry.path), b"mbox")
    entry.nlink = None
    entry.state = "undoing"


def undo(entry: Entry, previous: str, bounds: Bounds, record: Record) -> None:
    """Append the message back at the end of its mbox (made again if it is gone).

    Raises:
        Refused: the message is no longer in the quarantine, or the mbox changed.
    """
    assert entry.path is not None and entry.stash is not None and entry.tmp is not None
    if not _stash_holds(entry):
        entry.state = previous
        raise Refused(_("no longer in the quarantine"))
    with open(entry.stash, "rb") as handle:
        chunk = handle.read()
    try:
        with _locked(entry.path) as (data, st):
            entry.nlink = digests(data).count(_sha(entry))
            record(entry)
            glue = b"\n" if data and not data.endswith(b"\n") else b""
            _replace(entry.path, entry.tmp, data + glue + chunk, st, "undo.act")
    except Refused:
        _unlink(entry.tmp)
        entry.state = previous
        raise
    except BaseException:
        settle_undo(entry, previous)
        raise
    _unlink(entry.stash)
    entry.state, entry.undone_at, entry.restored_to = "undone", time.time(), entry.path


def settle_undo(entry: Entry, previous: str) -> None:
    assert entry.path is not None
    _unlink(entry.tmp)
    if entry.nlink is not None and _count(entry.path, _sha(entry)) > entry.nlink:
        _unlink(entry.stash)
        entry.state, entry.undone_at = "undone", entry.undone_at or time.time()
        entry.restored_to = entry.path
    else:
        entry.state = previous


def purge(entry: Entry) -> int:
    """Delete the message from the quarantine for good, once verified."""
    assert entry.stash is not None
    if not _stash_holds(entry):
        raise Refused(_("it is not what was put in the quarantine; left there"))
    hooks.at("purge.act", entry.stash)
    os.unlink(entry.stash)
    entry.state, entry.purged_at = "purged", time.time()
    return entry.size


def settle_purge(entry: Entry) -> None:
    assert entry.stash is not None
    if os.path.lexists(entry.stash):
        entry.state = "done"
    else:
        entry.state, entry.purged_at = "purged", entry.purged_at or time.time()


QUARANTINE = register(
    Operation(
        source=SOURCE,
        kind="quarantine",
        check=check,
        prepare=prepare,
        perform=perform,
        settle=settle,
        prepare_undo=prepare_undo,
        undo=undo,
        settle_undo=settle_undo,
        purge=purge,
        settle_purge=settle_purge,
        points=("apply.act", "apply.acted", "undo.act", "purge.act"),
    )
)
