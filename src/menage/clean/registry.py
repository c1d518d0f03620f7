"""Operations, registered per (source, kind): what an action of the journal does.

An action names its source (``files``; later ``imap``, ``mbox``, ``maildir``) and its
kind (``quarantine``, ``trash``, ``hardlink``, ``reflink`` for files). Apply, undo,
purge and recovery never branch on either: they look the pair up here and call the
operation's steps, in this order, each through the journal
(:mod:`menage.clean.records` has the states):

``check``
    Is the item still the one the plan saw (by its source's fingerprint), and is it
    within what the plan may touch? A reason to skip it, or None. No change.
``prepare``
    Decide where the item goes (its stash) and any temporary name; the entry is then
    saved as ``intent`` before anything changes.
``perform``
    Check again at the last moment, act, verify. Returns the folders to fsync before
    the entry is recorded ``done``. Raises :class:`~menage.clean.verify.Refused`
    (nothing changed, back to ``pending``) or ``OSError`` (already settled).
``settle``
    After a crash or an error, an ``intent`` becomes ``done``, ``pending`` or
    ``failed`` by looking at the item, never by trusting memory.
``prepare_undo`` / ``undo`` / ``settle_undo``
    Choose where the item goes back (saved as ``undoing``), put it back, or settle a
    restore that was cut short.
``purge`` / ``settle_purge``
    Delete the stash for good once verified against the record (``purging`` is saved
    first); or settle a purge that was cut short.

``points`` lists the hook points (:mod:`menage.hooks`) the operation passes between
its checks and its acts: the fault-injection test crashes at each of them, for each
registered operation, and checks that nothing was lost.

A (source, kind) that is not registered is refused when the journal is read, never
guessed (:func:`row_problem`). The operations on files are registered by
:mod:`menage.clean.file_operations`, which the package imports; a new source's module
registers its own the same way (``docs/architecture.md``, "Add an operation").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from menage.clean.records import Entry, entry_problem

if TYPE_CHECKING:
    from menage.clean.bounds import Bounds
    from menage.clean.operations import Context

Record = Callable[[Entry], None]


@dataclass(frozen=True)
class Operation:
    """The steps of one kind of action on one source."""

    source: str
    kind: str
    check: Callable[[Entry, Bounds], str | None]
    prepare: Callable[[Entry, Context], None]
    perform: Callable[[Entry, Context], list[bytes]]
    settle: Callable[[Entry], None]
    prepare_undo: Callable[[Entry], None]
    undo: Callable[[Entry, str, Bounds, Record], None]
    settle_undo: Callable[[Entry, str], None]
    purge: Callable[[Entry], int]
    settle_purge: Callable[[Entry], None]
    #: whether its stash is Ménage's to purge (the system trash is not)
    purgeable: bool = True
    #: whether it can still be undone once purged (a link is rebuilt from its kept copy)
    undoable_after_purge: bool = False
    #: the hook points it passes through, in order
    points: tuple[str, ...] = ()


_REGISTRY: dict[tuple[str, str], Operation] = {}


def register(operation: Operation) -> Operation:
    """Add an operation (a second one for the same pair is a programming error)."""
    key = (operation.source, operation.kind)
    if key in _REGISTRY and _REGISTRY[key] is not operation:
        raise ValueError(f"an operation is already registered for {key}")
    _REGISTRY[key] = operation
    return operation


def operations() -> list[Operation]:
    """Every registered operation, in the order of registration."""
    return list(_REGISTRY.values())


def operation_for(entry: Entry) -> Operation:
    """The operation of an entry read from the journal (checked by :func:`problem`)."""
    return _REGISTRY[(entry.source, entry.kind)]


def problem(entry: Entry) -> str | None:
    """Why no registered operation can act on this entry, or None."""
    if (entry.source, entry.kind) in _REGISTRY:
        return None
    if not any(source == entry.source for source, _kind in _REGISTRY):
        return f"action {entry.id}: unknown source {entry.source!r}"
    return f"action {entry.id}: unknown action {entry.kind!r}"


def row_problem(row: tuple[Any, ...]) -> str | None:
    """What is wrong with an action row of the journal, or None (it can be acted on)."""
    problem_ = entry_problem(row)
    if problem_ is not None:
        return problem_
    return problem(Entry(*row))
