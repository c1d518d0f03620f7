"""What each kind of action does to files, and how an interrupted one is settled.

Every action is re-checked right before it acts (:func:`menage.clean.verify.recheck`:
its file and kept copy opened once, identity and content compared through them),
then acts, then verifies that neither changed meanwhile, and puts things back if
one did. Every operation is written so that a crash at any instruction leaves the
file either where it was or in its stash (quarantine or trash), and so that
:func:`settle` can tell which by looking at the files, never by trusting memory:

* **quarantine**: one rename into the quarantine (or a copy, fsync, compare, then
  the original moved aside by identity and removed, when the quarantine is on
  another filesystem); an empty folder is made again in the quarantine and the
  original removed with ``rmdir``;
* **trash**: one rename into the trash of the file's filesystem, or the quarantine
  when the trash is on another one (:mod:`menage.clean.trash`);
* **hardlink** / **reflink**: the original is linked (or copied) into the
  quarantine, a link to the kept copy (or a clone of it) is made next to the file
  under a random temporary name, and it takes the file's place only if the path
  still holds the checked file (:func:`menage.clean.fsops.replace_verified`). The
  path never stops existing, and the original stays in the quarantine until a purge.

Temporary names are random and recorded in the journal before the files are made
(exclusively): only what Ménage made is ever removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from menage import hooks
from menage._fs import fsync_dir, rename_noreplace, temp_name
from menage.clean import trash
from menage.clean.bounds import Bounds
from menage.clean.fsops import (
    NotTheFile,
    aside_name,
    link_open_file,
    lstat_or_none,
    put_back,
    reflink,
    remove_empty_tree,
    replace_verified,
    same_file,
    take_aside,
    unlink_if_exists,
)
from menage.clean.quarantine import (
    COPY,
    LINK,
    RENAME,
    Quarantine,
    copy_empty_tree,
    copy_in,
    partial_of,
    remove_partial,
    remove_stash,
)
from menage.clean.records import Entry
from menage.clean.verify import Opened, Refused, check, recheck
from menage.i18n import N_, _

LINK_KINDS = ("hardlink", "reflink")
CHANGED = N_("changed just before the move; left in place")


def _no_record(entry: Entry) -> None:
    """Used when no journal is at hand (tests of single operations)."""


@dataclass
class Context:
    quarantine: Quarantine
    run_id: int
    bounds: Bounds
    #: saves one entry durably (a second destination, decided while acting)
    record: Callable[[Entry], None] = field(default=_no_record)


def prepare(entry: Entry, ctx: Context) -> None:
    """Decide where the file goes; the entry is then saved as an intent."""
    assert entry.dev is not None and entry.ino is not None
    entry.tmp = None
    if entry.kind == "trash":
        entry.stash, entry.stash_how = None, None
    else:
        stash, how = ctx.quarantine.destination(
            ctx.run_id, entry.id, entry.file, entry.dev, bool(entry.is_dir)
        )
        entry.stash = stash
        entry.stash_how = how if entry.kind == "quarantine" else (LINK if how == RENAME else COPY)
    folder = os.path.dirname(entry.file)
    if entry.kind in LINK_KINDS:
        entry.tmp = temp_name(folder, b"link")
    elif entry.stash_how == COPY and not entry.is_dir:
        entry.tmp = temp_name(folder, b"moving")  # where the original waits to be removed
    entry.state = "intent"
    entry.reason = None


#: what a kind does to the file, once it was re-checked (and opened)
Act = Callable[[Entry, Opened, Context], None]


#: the last check before the act: the files opened and verified, or Refused
Recheck = Callable[[Entry, Bounds], Opened]


def perform(entry: Entry, ctx: Context, act: Act, last_check: Recheck = recheck) -> list[bytes]:
    """Carry out an action whose intent is durable: ``act`` moves or links the file.

    ``last_check`` opens and verifies the file and its kept copy right before the act
    (:func:`~menage.clean.verify.recheck`: a duplicate's bytes; a near-duplicate photo
    has its own, :mod:`menage.clean.photo_operations`).

    Returns:
        Folders to fsync before the action is recorded as done.

    Raises:
        Refused: the last check failed, or the file or its kept copy changed during
            the act (which was undone); nothing was moved, the entry is back to
            ``pending`` with its reason.
        OSError: the action failed; :func:`settle` has already put things back.
    """
    assert entry.dev is not None and entry.ino is not None
    opened: Opened | None = None
    try:
        if entry.is_dir:
            _remove_folder(entry, ctx)
        else:
            opened = last_check(entry, ctx.bounds)
            hooks.at("apply.act", entry.file)
            act(entry, opened, ctx)
    except Refused as refused:
        settle(entry)
        if entry.state == "done":
            return _dirs(entry)
        entry.state, entry.reason = "pending", refused.reason
        raise
    except OSError:
        settle(entry)
        if entry.state == "done":  # the move happened before the error: keep it
            return _dirs(entry)
        raise
    except BaseException:
        settle(entry)  # Ctrl-C, or a fault: settled, and it goes on up
        raise
    finally:
        if opened is not None:
            opened.close()
    if entry.state != "done":
        entry.state = "done"
        entry.done_at = time.time()
    return _dirs(entry)


def _dirs(entry: Entry) -> list[bytes]:
    return [os.path.dirname(p) for p in (entry.file, entry.stash) if p is not None]


def quarantine_act(entry: Entry, opened: Opened, ctx: Context) -> None:
    """Move the file into the quarantine (by rename, or a verified copy)."""
    assert entry.stash is not None and entry.dev is not None and entry.ino is not None
    os.makedirs(os.path.dirname(entry.stash), mode=0o700, exist_ok=True)
    if entry.stash_how == RENAME:
        try:
            rename_noreplace(entry.file, entry.stash)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            # a mount point in between (a bind mount): copy after all
            entry.stash_how = COPY
            entry.tmp = temp_name(os.path.dirname(entry.file), b"moving")
            ctx.record(entry)  # the name the original waits under is durable first
        else:
            if not same_file(os.lstat(entry.stash), entry.dev, entry.ino):
                # another file took its place between the check and the move
                put_back(entry.stash, entry.file)
                raise Refused(_(CHANGED))
            hooks.at("apply.acted", entry.file)
            reason = opened.changed(entry)
            if reason is not None:
                try:
                    rename_noreplace(entry.stash, entry.file)
                except FileExistsError:
                    # a new file stands at its path: it stays in the quarantine, recorded
                    entry.reason = reason
                    return
                raise Refused(reason)
            return
    assert entry.tmp is not None
    copy_in(opened.item, entry.stash)
    hooks.at("apply.acted", entry.file)
    reason = opened.changed(entry)
    if reason is not None:
        remove_stash(entry.stash)
        raise Refused(reason)
    try:
        take_aside(entry.file, entry.tmp, entry.dev, entry.ino)
    except NotTheFile:
        remove_stash(entry.stash)
        raise Refused(_(CHANGED)) from None
    os.unlink(entry.tmp)
    fsync_dir(os.path.dirname(entry.file))


def trash_act(entry: Entry, opened: Opened, ctx: Context) -> None:
    """Send the file to the trash of its filesystem (the quarantine across devices)."""
    assert entry.dev is not None and entry.ino is not None
    try:
        stored = trash.send(entry.file, entry.dev, entry.ino)
    except NotTheFile:
        raise Refused(_(CHANGED)) from None
    except trash.CrossDevice:
        # the trash would copy it across filesystems: the quarantine moves it checked
        entry.kind = "quarantine"
        entry.stash, entry.stash_how = ctx.quarantine.destination(
            ctx.run_id, entry.id, entry.file, entry.dev
        )
        if entry.stash_how == COPY:
            entry.tmp = temp_name(os.path.dirname(entry.file), b"moving")
        entry.reason = _(
            "the trash is on another filesystem (another mount): moved to Ménage's "
            "quarantine instead"
        )
        ctx.record(entry)  # where it goes is durable before it moves
        note = entry.reason
        quarantine_act(entry, opened, ctx)
        entry.reason = entry.reason or note
        return
    entry.stash = stored
    hooks.at("apply.acted", entry.file)
    reason = opened.changed(entry)
    if reason is not None:
        if put_back(stored, entry.file) == entry.file:
            trash.forget(stored, entry.file)
            entry.stash = None
            raise Refused(reason)
        entry.reason = reason


def link_act(entry: Entry, opened: Opened, ctx: Context) -> None:
    """Keep the original in the quarantine and put a link to (or a clone of) the kept
    copy in its place."""
    assert entry.keep and entry.stash and entry.tmp and opened.keep is not None
    assert entry.dev is not None and entry.ino is not None
    try:
        if entry.kind == "hardlink":
            link_open_file(opened.keep, entry.keep, entry.tmp)
        else:
            reflink(opened.keep, entry.tmp, like=opened.item)
    except FileExistsError:
        entry.tmp = None  # someone else's file has that name: never ours to remove
        raise
    except NotTheFile:
        raise Refused(opened.changed(entry) or _(CHANGED)) from None
    os.makedirs(os.path.dirname(entry.stash), mode=0o700, exist_ok=True)
    try:
        if entry.stash_how == LINK:
            link_open_file(opened.item, entry.file, entry.stash)
        else:
            copy_in(opened.item, entry.stash)
    except NotTheFile:
        raise Refused(_(CHANGED)) from None
    reason = opened.changed(entry)
    if reason is not None:
        raise Refused(reason)
    try:
        replace_verified(entry.tmp, entry.file, entry.dev, entry.ino)
    except NotTheFile:
        raise Refused(_(CHANGED)) from None
    hooks.at("apply.acted", entry.file)
    entry.new_ino = os.lstat(entry.file).st_ino


def _remove_folder(entry: Entry, ctx: Context) -> None:
    """An empty folder: made again in the quarantine (or the trash), then removed with
    rmdir only."""
    reason = check(entry, ctx.bounds)
    if reason is not None:
        raise Refused(reason)
    hooks.at("apply.act", entry.file)
    if entry.kind == "trash":
        assert entry.dev is not None
        entry.stash = trash.claim_for_folder(entry.file, entry.dev)
        entry.stash_how = COPY
        ctx.record(entry)  # where its tree is made is durable first
    assert entry.stash is not None
    os.makedirs(os.path.dirname(entry.stash), mode=0o700, exist_ok=True)
    tmp = partial_of(entry.stash)
    no_longer_empty = _("no longer empty: something was saved in it")
    try:
        copy_empty_tree(entry.file, tmp)
    except OSError as exc:
        if exc.errno == errno.ENOTEMPTY:
            raise Refused(no_longer_empty) from None
        raise
    rename_noreplace(tmp, entry.stash)
    hooks.at("apply.acted", entry.file)
    try:
        remove_empty_tree(entry.file)
    except OSError as exc:
        remove_stash(entry.stash)
        if entry.kind == "trash":
            trash.forget(entry.stash, entry.file)
        if exc.errno == errno.ENOTEMPTY:
            raise Refused(no_longer_empty) from None
        raise
    fsync_dir(os.path.dirname(entry.file) or b"/")


def settle(entry: Entry) -> None:
    """Settle an ``intent`` after a crash or an error: ``done``, or back to ``pending``.

    The file decides: if the original (same device and inode) is still at its path,
    nothing happened and every partial stash or temporary file of Ménage's is
    removed; if it is gone and its stash exists, the action is done. Neither: the
    file vanished (someone else removed it), which is recorded as a failure.
    """
    assert entry.dev is not None and entry.ino is not None
    if entry.kind == "trash" and not entry.is_dir:
        _settle_trash(entry)
        return
    if entry.tmp is not None:
        _recover_aside(entry)
    here = lstat_or_none(entry.file)
    original_here = same_file(here, entry.dev, entry.ino)
    if entry.is_dir:
        original_here = here is not None and original_here
        if original_here and entry.stash is not None and lstat_or_none(entry.stash):
            _restore_subfolders(entry.stash, entry.file)
    if entry.kind in LINK_KINDS:
        unlink_if_exists(entry.tmp)  # our link or clone, never placed
    remove_partial(entry.stash)
    stash = lstat_or_none(entry.stash)
    if original_here:
        # nothing was moved: whatever reached the quarantine is our complete copy or
        # a second link of the file that is still in place
        ours = entry.stash_how == COPY or same_file(stash, entry.dev, entry.ino)
        if stash is not None and ours:
            assert entry.stash is not None
            with contextlib.suppress(OSError):
                remove_stash(entry.stash)
                if entry.kind == "trash":
                    trash.forget(entry.stash, entry.file)
        entry.state = "pending"
        return
    if stash is not None:
        if entry.kind in LINK_KINDS and here is not None:
            entry.new_ino = here.st_ino
        _mark_done(entry)
        return
    _mark_failed(entry, _("vanished while being moved (another program removed it)"))


def _recover_aside(entry: Entry) -> None:
    """Put back what a move aside left, when it was cut short."""
    assert entry.tmp is not None
    aside = aside_name(entry.tmp) if entry.kind in LINK_KINDS else entry.tmp
    st = lstat_or_none(aside)
    if st is None:
        return
    if not same_file(st, entry.dev, entry.ino):
        put_back(aside, entry.file)  # another file, moved by mistake: where it was
        return
    stashed = lstat_or_none(entry.stash)
    placed = entry.kind in LINK_KINDS and not os.path.lexists(entry.tmp)
    if stashed is not None and (placed or entry.kind == "quarantine"):
        os.unlink(aside)  # the original is safe in the quarantine: finish the move
    else:
        put_back(aside, entry.file)


def _restore_subfolders(stash: bytes, path: bytes) -> None:
    """Make again the subfolders of ``path`` that an interrupted rmdir removed."""
    for folder, dirs, _files in os.walk(stash):
        for name in dirs:
            relative = os.path.relpath(os.path.join(folder, name), stash)
            with contextlib.suppress(FileExistsError):
                os.mkdir(os.path.join(path, relative), 0o755)


def _settle_trash(entry: Entry) -> None:
    assert entry.dev is not None and entry.ino is not None
    if same_file(lstat_or_none(entry.file), entry.dev, entry.ino):
        entry.state = "pending"
        return
    found = trash.locate(entry.file, entry.dev, entry.ino)
    if found is not None:
        entry.stash = found[0]
        _mark_done(entry)
    else:
        _mark_failed(entry, _("vanished while being moved to the trash"))


def _mark_done(entry: Entry) -> None:
    entry.state = "done"
    entry.done_at = entry.done_at or time.time()


def _mark_failed(entry: Entry, reason: str) -> None:
    entry.state = "failed"
    entry.reason = reason
