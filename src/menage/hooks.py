"""Hook points: named moments between a check and the act it guards.

Every operation that changes the user's files checks something (the file is the one
the scan saw, a restore target is free, a stash matches its journal record, an output
path is a regular file) and then acts on it. The gap between the two is where another
program can change things; each gap calls :func:`at` with the name of the point and
the path about to be acted on.

In normal use :data:`hook` is None and :func:`at` does nothing. Tests set it to make
races deterministic (the hook changes the file at exactly the worst moment) or to
inject faults (the hook raises). The points:

* ``apply.act``: an action's file and kept copy were just re-checked (identity, and
  content through the open files); the move, link or removal comes next;
* ``apply.copied``: an IMAP server without MOVE: the message was copied to the Trash
  (or archive folder) and is still in its folder; ``STORE \\Deleted`` + ``UID EXPUNGE``
  come next (``undo.copied``: the same, back to its folder);
* ``apply.acted``: the file was moved or linked; the final verification comes next;
* ``undo.act``: a restore target was just found free (or holding Ménage's own link);
  the rename into place comes next;
* ``purge.act``: a stash was just verified against its journal record; the deletion
  comes next;
* ``output.act``: an output path was just examined; the write or rename comes next;
* ``journal.upgrade``: an older journal was backed up and its new format written in
  its transaction; the commit comes next.
"""

from __future__ import annotations

from collections.abc import Callable

#: the documented points, with when they run
POINTS = (
    "apply.act",
    "apply.copied",
    "apply.acted",
    "undo.act",
    "undo.copied",
    "purge.act",
    "output.act",
    "journal.upgrade",
)

Hook = Callable[[str, bytes], None]

#: set by tests (``menage.hooks.hook = fn``); called as ``fn(point, path)``
hook: Hook | None = None


def at(point: str, path: bytes) -> None:
    """Run the hook, if any, at ``point`` before acting on ``path``."""
    if hook is not None:
        hook(point, path)
