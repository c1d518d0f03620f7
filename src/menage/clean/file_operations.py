"""The operations on local files, registered as ("files", kind).

Each kind shares the steps of :mod:`menage.clean.operations` (apply, settle),
:mod:`menage.clean.restore` (undo) and :mod:`menage.clean.purge`, and brings its own
act: where the file goes and how it is put back. An empty folder is an action of the
``quarantine`` or ``trash`` kind on a folder (``is_dir``): made again in the stash,
then removed with ``rmdir``.
"""

from __future__ import annotations

from functools import partial

from menage.clean import operations, purge, restore
from menage.clean.registry import Operation, register
from menage.clean.verify import check

SOURCE = "files"


def _files(
    kind: str,
    apply_act: operations.Act,
    undo_act: restore.UndoAct,
    points: tuple[str, ...],
    purgeable: bool = True,
    undoable_after_purge: bool = False,
) -> Operation:
    return register(
        Operation(
            source=SOURCE,
            kind=kind,
            check=check,
            prepare=operations.prepare,
            perform=partial(operations.perform, act=apply_act),
            settle=operations.settle,
            prepare_undo=restore.prepare_undo,
            undo=partial(restore.perform_undo, act=undo_act),
            settle_undo=restore.settle_undo,
            purge=purge.purge_one,
            settle_purge=purge.settle_purge,
            purgeable=purgeable,
            undoable_after_purge=undoable_after_purge,
            points=points,
        )
    )


_ALL_POINTS = ("apply.act", "apply.acted", "undo.act", "purge.act")

QUARANTINE = _files("quarantine", operations.quarantine_act, restore.undo_quarantine, _ALL_POINTS)
#: the system trash is the trash's business: never purged by Ménage
TRASH = _files(
    "trash",
    operations.trash_act,
    restore.undo_trash,
    ("apply.act", "apply.acted", "undo.act"),
    purgeable=False,
)
HARDLINK = _files(
    "hardlink",
    operations.link_act,
    restore.undo_link,
    _ALL_POINTS,
    undoable_after_purge=True,
)
REFLINK = _files(
    "reflink",
    operations.link_act,
    restore.undo_link,
    _ALL_POINTS,
    undoable_after_purge=True,
)
