"""The native core (``menage._native``, Rust) behind the file engine's Python functions.

:func:`menage.files.walk.walk` and :func:`menage.files.duplicates.find_duplicates` ask
this module whether the core is there (it is built with the package; see the README, "The
native core"): the same rules, the same results, without a Python object per file.
The pure-Python engine stays as the reference the tests compare the core with, and as
the engine of a source checkout whose core was not built. ``MENAGE_ENGINE=python`` (or
``native``) chooses one; the default takes the core when it can be imported.

The walk comes back as columns: every path in one buffer
(:class:`menage._native.PathBuffer`, a sequence of ``bytes``) and the numbers in
``array`` columns, so that a million files cost about 90 bytes each (a file is kept
as its name and its folder's number; its path is joined when asked for).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import ModuleType
from typing import Any

ENGINE_VARIABLE = "MENAGE_ENGINE"
#: a folder of this name is always one of Ménage's (a quarantine), whatever its identity
OWN_FOLDER_NAME = b".menage-quarantine"
ENGINES = ("auto", "native", "python")

_module: ModuleType | None = None
_tried = False


def load() -> ModuleType | None:
    """The compiled core, or None when it is not built."""
    global _module, _tried
    if not _tried:
        _tried = True
        try:
            import menage._native as core
        except ImportError:
            core = None  # type: ignore[assignment]
        _module = core
    return _module


def use_native(choice: str | None = None) -> bool:
    """Whether the native core does the work.

    Args:
        choice: ``auto``, ``native`` or ``python``; None reads ``MENAGE_ENGINE``.

    Raises:
        RuntimeError: ``native`` was asked for and the core is not built.
    """
    choice = choice or os.environ.get(ENGINE_VARIABLE, "auto") or "auto"
    if choice == "python":
        return False
    module = load()
    if choice == "native" and module is None:
        raise RuntimeError("the native core (menage._native) is not built: run `make venv`")
    return module is not None


def engine_name() -> str:
    """``native`` or ``python``: which engine a scan uses now."""
    return "native" if use_native() else "python"


def release_memory() -> None:
    """Give the memory freed so far back to the system, where the core can (glibc keeps
    what a stage freed, in pieces too small for the next stage's buffers: 13 MB of a
    million-file scan's peak). Nothing without the core."""
    core = load()
    if core is not None:
        core.release_memory()


def walk(
    roots: list[bytes],
    options: Any,
    own: Any,
    progress: Callable[[int, int], None] | None,
) -> dict[str, Any]:
    """The native core's walk of ``roots`` with ``options`` (a
    :class:`menage.files.walk.WalkOptions`) and Ménage's own folders and files ``own``
    (a :class:`menage.home.OwnFolders`): its columns, as
    :func:`menage.files.tree.from_columns` puts them in a tree."""
    core = load()
    assert core is not None
    found: dict[str, Any] = core.walk(
        list(roots),
        follow_links=options.follow_links,
        cross_devices=options.cross_devices,
        excludes=[os.fsencode(p) for p in options.excludes],
        min_size=options.min_size,
        threads=max(1, options.threads),
        # Ménage's own folders and files (menage.home.OwnFolders), when the options give them
        own_folders=sorted(own.folders),
        own_files=sorted(own.files),
        side_files=sorted(own.side_files),
        own_name=OWN_FOLDER_NAME,
        read_small=options.read_small,
        progress=progress,
    )
    return found
