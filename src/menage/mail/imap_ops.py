"""Moving messages on an IMAP server, as operations of the cleanup journal ("imap", "move").

An action's ``ref`` is the message's :class:`~menage.mail.model.MessageRef` (folder,
UIDVALIDITY, UID, Message-ID, size, date, header hash) as JSON, its ``stash`` the
folder it goes to (the server's Trash, or an archive folder the user named), its
``keep`` (a duplicate) the kept copy's reference. It has no path.

* **apply**: the folder is opened read-write, the message found again by its UID and
  recognised (size, Message-ID, header hash, the same computation as the analysis);
  a duplicate's kept copy is checked present on the server right before; then one
  ``UID MOVE``, or ``UID COPY`` + ``UID STORE +FLAGS \\Deleted`` + ``UID EXPUNGE`` of
  exactly that UID (UIDPLUS). A server with neither is refused: a plain EXPUNGE would
  remove other messages marked deleted. Between the COPY and the EXPUNGE the message
  is in both folders, never in neither.
* **settle**: still under its UID in its folder: nothing happened (a copy left in the
  destination by an interrupted COPY is finished instead); else found in the
  destination: done; else it vanished.
* **undo**: found again in the destination by Message-ID and size (without a
  Message-ID: by size, date and the header hash), moved back to its folder. An undo
  cut between its COPY and its EXPUNGE is settled from its folder: the copy is there
  (other than a duplicate's kept copy), so the destination's one is removed.

A dropped connection is met by opening a new one and settling the action from what
the server shows, then trying once more; if the server stays out of reach, the
command stops with the action still recorded as in progress, and the next command
settles it (:mod:`menage.clean.recovery`).
"""

from __future__ import annotations

import imaplib
import json
import time
from typing import TYPE_CHECKING, Any

from menage import hooks
from menage.clean.registry import Operation, register
from menage.clean.verify import Refused
from menage.i18n import _
from menage.mail import sessions
from menage.mail.errors import CleanInterrupted
from menage.mail.model import MessageRef

if TYPE_CHECKING:
    from imapclient import IMAPClient

    from menage.clean.bounds import Bounds
    from menage.clean.operations import Context
    from menage.clean.records import Entry
    from menage.clean.registry import Record

SOURCE = "imap"
_LOST = (imaplib.IMAP4.abort, EOFError, ConnectionError, TimeoutError)
DELETED = b"\\Deleted"


def ref_of(entry: Entry) -> MessageRef:
    return MessageRef.from_json(json.loads(entry.ref))


def _account(entry: Entry) -> dict[str, Any]:
    return sessions.account_of(entry.fingerprint)


def _lost(exc: BaseException) -> bool:
    return isinstance(exc, _LOST) and not isinstance(exc, sessions.Unreachable)


def recognised(client: IMAPClient, folder: str, ref: MessageRef, uids: list[int]) -> list[int]:
    """Those of ``uids`` (in the selected ``folder``) that are the message ``ref``."""
    from menage.mail.imap_meta import FETCH_ITEMS, _meta

    if not uids:
        return []
    found = []
    items = [i for i in FETCH_ITEMS if i != b"BODYSTRUCTURE"]
    for uid, item in client.fetch(uids, items).items():
        if b"RFC822.SIZE" not in item:
            continue
        meta = _meta(folder, 0, int(uid), item)
        if (
            meta.ref.size == ref.size
            and meta.ref.message_id == ref.message_id
            and meta.ref.header_hash == ref.header_hash
        ):
            found.append(int(uid))
    return sorted(found)


def find(client: IMAPClient, folder: str, ref: MessageRef) -> list[int]:
    """The UIDs of the message in ``folder`` (selected read-write), by its identity."""
    if not client.folder_exists(folder):
        return []
    client.select_folder(folder)
    mid = ref.message_id
    if mid and mid.isascii():
        uids = client.search(["HEADER", "Message-ID", mid.strip("<>")])
    else:
        uids = client.search(["LARGER", str(max(ref.size - 1, 0)), "SMALLER", str(ref.size + 1)])
    return recognised(client, folder, ref, [int(u) for u in uids])


def at_its_uid(client: IMAPClient, ref: MessageRef) -> int | None:
    """The message's UID if it is still in its folder under the UID the analysis saw
    (found by identity when the folder's UIDVALIDITY changed)."""
    if not client.folder_exists(ref.folder):
        return None
    status = client.select_folder(ref.folder)
    if ref.uid is not None and int(status.get(b"UIDVALIDITY", -1)) == ref.uidvalidity:
        found = recognised(client, ref.folder, ref, [ref.uid])
    else:
        found = find(client, ref.folder, ref)
    return found[0] if found else None


def _can_move(client: IMAPClient) -> bool:
    caps = client.capabilities()
    if b"MOVE" in caps:
        return True
    if b"UIDPLUS" in caps:
        return False
    raise Refused(
        _(
            "the server offers neither MOVE nor UIDPLUS: removing one message would "
            "expunge every message marked deleted, so Ménage refuses"
        )
    )


def _move(
    client: IMAPClient, uid: int, folder: str, can_move: bool, point: str, ref: bytes
) -> None:
    if not client.folder_exists(folder):
        client.create_folder(folder)
    if can_move:
        client.move([uid], folder)
    else:
        client.copy([uid], folder)
        hooks.at(point, ref)  # copied, not yet removed: settle finishes it
        client.add_flags([uid], [DELETED])
        client.uid_expunge([uid])


def check(entry: Entry, bounds: Bounds) -> str | None:
    """Nothing to check offline: the server is asked at the last moment (perform)."""
    return None


def prepare(entry: Entry, ctx: Context) -> None:
    entry.state, entry.reason = "intent", None


def _kept_present(client: IMAPClient, entry: Entry) -> None:
    if entry.keep is None:
        return
    kept = MessageRef.from_json(json.loads(entry.keep))
    if at_its_uid(client, kept) is None:
        raise Refused(_("its kept copy is no longer on the server; left in place"))


def _perform(entry: Entry, client: IMAPClient) -> None:
    ref = ref_of(entry)
    assert entry.stash is not None
    can_move = _can_move(client)
    if entry.keep is not None:
        kept = MessageRef.from_json(json.loads(entry.keep))
        if kept.folder != ref.folder:
            _kept_present(client, entry)
    uid = at_its_uid(client, ref)
    if uid is None:
        raise Refused(
            _("no longer in {folder} as the analysis saw it; left alone").format(folder=ref.folder)
        )
    if entry.keep is not None and kept.folder == ref.folder:
        # same folder, still selected: checked right before the move
        if not recognised(client, ref.folder, kept, [kept.uid] if kept.uid else []):
            raise Refused(_("its kept copy is no longer on the server; left in place"))
    hooks.at("apply.act", entry.ref)
    _move(client, uid, entry.stash.decode("utf-8"), can_move, "apply.copied", entry.ref)
    hooks.at("apply.acted", entry.ref)
    entry.state = "done"
    entry.done_at = time.time()


def perform(entry: Entry, ctx: Context) -> list[bytes]:
    """Move the message (see the module docstring); nothing to fsync on this computer.

    Raises:
        Refused: the message or its kept copy changed; nothing was moved.
        CleanInterrupted: the server stayed out of reach; the action stays in progress.
    """
    account = _account(entry)
    for attempt in (1, 2):
        try:
            _perform(entry, sessions.client_for(account))
            return []
        except Refused as refused:
            entry.state, entry.reason = "pending", refused.reason
            raise
        except BaseException as exc:
            if not _lost(exc):
                raise
            sessions.drop(account)
            try:
                settle(entry)
            except OSError as again:
                raise CleanInterrupted(host=account["source"], detail=str(again)) from None
            if entry.state == "done" or attempt == 2:
                if entry.state != "done":
                    raise CleanInterrupted(host=account["source"], detail=str(exc)) from None
                return []
            entry.state = "intent"
    return []


def settle(entry: Entry) -> None:
    """Decide an interrupted move from what the server shows (see the module docstring).

    Raises:
        OSError: the server cannot be reached (left in progress).
    """
    account = _account(entry)
    ref = ref_of(entry)
    assert entry.stash is not None
    destination = entry.stash.decode("utf-8")
    try:
        client = sessions.client_for(account)
        uid = at_its_uid(client, ref)
        if uid is not None:
            copied = b"MOVE" not in client.capabilities() and find(client, destination, ref)
            client.select_folder(ref.folder)
            if copied:  # an interrupted COPY + EXPUNGE: finish it, the copy is there
                client.add_flags([uid], [DELETED])
                client.uid_expunge([uid])
                entry.state, entry.done_at = "done", entry.done_at or time.time()
            else:
                client.remove_flags([uid], [DELETED])
                entry.state = "pending"
            return
        if find(client, destination, ref):
            entry.state, entry.done_at = "done", entry.done_at or time.time()
        else:
            entry.state = "failed"
            entry.reason = _("vanished from the server while being moved")
    except BaseException as exc:
        if _lost(exc):
            sessions.drop(account)
            raise sessions.Unreachable(str(exc)) from None
        raise


def prepare_undo(entry: Entry) -> None:
    entry.state = "undoing"


def undo(entry: Entry, previous: str, bounds: Bounds, record: Record) -> None:
    """Move the message back from the Trash (or archive) to its folder.

    Raises:
        Refused: it is no longer there (the Trash was emptied).
        OSError: the server cannot be reached (settled from the server next time).
    """
    account = _account(entry)
    ref = ref_of(entry)
    assert entry.stash is not None
    destination = entry.stash.decode("utf-8")
    try:
        client = sessions.client_for(account)
        can_move = _can_move(client)
        uids = find(client, destination, ref)
        if not uids:
            entry.state = previous
            raise Refused(
                _("no longer in {folder} on the server (emptied?)").format(folder=destination)
            )
        hooks.at("undo.act", entry.ref)
        _move(client, uids[0], ref.folder, can_move, "undo.copied", entry.ref)
    except BaseException as exc:
        if _lost(exc):
            sessions.drop(account)
            settle_undo(entry, previous)
            if entry.state == "undone":
                return
            raise sessions.Unreachable(str(exc)) from None
        raise
    entry.state, entry.undone_at, entry.reason = "undone", time.time(), None


def _copied_back(client: IMAPClient, entry: Entry, ref: MessageRef) -> bool:
    """Whether the message is in its folder again (other than as its kept copy)."""
    found = set(find(client, ref.folder, ref))
    if entry.keep is not None:
        kept = MessageRef.from_json(json.loads(entry.keep))
        if kept.folder == ref.folder and kept.uid is not None:
            found.discard(kept.uid)
    return bool(found)


def settle_undo(entry: Entry, previous: str) -> None:
    """Gone from the Trash: put back. Still there: not put back, unless the server has
    no MOVE and the copy is already in its folder (an interrupted COPY + EXPUNGE): then
    the Trash's copy is removed, as the undo would have."""
    account = _account(entry)
    assert entry.stash is not None
    stash = entry.stash.decode("utf-8")
    ref = ref_of(entry)
    try:
        client = sessions.client_for(account)
        left = find(client, stash, ref)
        if left and b"MOVE" not in client.capabilities() and _copied_back(client, entry, ref):
            client.select_folder(stash)
            client.add_flags(left[:1], [DELETED])
            client.uid_expunge(left[:1])
            entry.state, entry.undone_at = "undone", entry.undone_at or time.time()
        elif left:
            entry.state = previous
        else:
            entry.state, entry.undone_at = "undone", entry.undone_at or time.time()
    except BaseException as exc:
        if _lost(exc):
            sessions.drop(account)
            raise sessions.Unreachable(str(exc)) from None
        raise


def purge(entry: Entry) -> int:
    raise Refused(_("the server's Trash is the server's business"))


def settle_purge(entry: Entry) -> None:
    entry.state = "done"


MOVE = register(
    Operation(
        source=SOURCE,
        kind="move",
        check=check,
        prepare=prepare,
        perform=perform,
        settle=settle,
        prepare_undo=prepare_undo,
        undo=undo,
        settle_undo=settle_undo,
        purge=purge,
        settle_purge=settle_purge,
        purgeable=False,
        points=("apply.act", "apply.copied", "apply.acted", "undo.act", "undo.copied"),
    )
)
