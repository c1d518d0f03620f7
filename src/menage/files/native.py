"""The native core (``menage._native``, Rust) behind the file engine's Python functions.

:func:`menage.files.walk.walk` and :func:`menage.files.duplicates.find_duplicates` call
this module when the core is there (it is built with the package; see the README, "The
native core"): the same rules, the same results, without a Python object per file.
The pure-Python engine stays as the reference the tests compare the core with, and as
the engine of a source checkout whose core was not built. ``MENAGE_ENGINE=python`` (or
``native``) chooses one; the default takes the core when it can be imported.

The walk comes back as columns: every path in one buffer
(:class:`menage._native.PathBuffer`, a sequence of ``bytes``) and the numbers in
``array`` columns, so that a million files cost about 130 bytes each.
"""

from __future__ import annotations

import os
from array import array
from types import ModuleType
from typing import TYPE_CHECKING, Any

from menage.files.walk import Issue, ProgressCallback, Tree, WalkOptions

if TYPE_CHECKING:
    from menage.files.duplicates import Digests, DuplicateResult, HashProgress

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
            from menage import _native
        except ImportError:
            _native = None  # type: ignore[assignment]
        _module = _native
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


def _column(typecode: str, data: bytes) -> array[int]:
    column = array(typecode)
    column.frombytes(data)
    return column


def walk(roots: list[bytes], options: WalkOptions, progress: ProgressCallback | None) -> Tree:
    """:func:`menage.files.walk.walk` in the native core."""
    core = load()
    assert core is not None
    own = getattr(options, "own", None)
    found: dict[str, Any] = core.walk(
        list(roots),
        follow_links=options.follow_links,
        cross_devices=options.cross_devices,
        excludes=[os.fsencode(p) for p in options.excludes],
        min_size=options.min_size,
        threads=max(1, options.threads),
        # Ménage's own folders and files (menage.home.OwnFolders), when the options give them
        own_folders=sorted(getattr(own, "folders", ())),
        own_files=sorted(getattr(own, "files", ())),
        side_files=sorted(getattr(own, "side_files", ())),
        own_name=OWN_FOLDER_NAME if own is not None else b"",
        progress=progress,
    )
    tree = Tree(roots=list(roots))
    tree.dirs = found["dirs"]
    tree.dir_parent = _column("q", found["dir_parent"])
    tree.dir_entries = _column("q", found["dir_entries"])
    tree.dir_unlisted = set(found["dir_unlisted"])
    tree.paths = found["paths"]
    tree.dir_of = _column("q", found["dir_of"])
    tree.size = _column("q", found["size"])
    tree.dev = _column("Q", found["dev"])
    tree.ino = _column("Q", found["ino"])
    tree.mtime_ns = _column("q", found["mtime_ns"])
    tree.nlink = _column("q", found["nlink"])
    tree.uid = _column("q", found["uid"])
    tree.symlinks = found["symlinks"]
    tree.broken_links = found["broken_links"]
    tree.specials = found["specials"]
    tree.other_devices = found["other_devices"]
    tree.excluded = found["excluded"]
    tree.issues = [Issue(path, kind, detail) for path, kind, detail in found["issues"]]
    if hasattr(tree, "own"):
        tree.own = found["own"]
    if progress is not None:
        progress(len(tree.dirs), len(tree))
    return tree


def find_duplicates(
    tree: Tree,
    cached: Digests | None,
    threads: int,
    progress: HashProgress | None,
    order: str,
) -> DuplicateResult:
    """:func:`menage.files.duplicates.find_duplicates` in the native core.

    Raises:
        KeyboardInterrupt: Ctrl-C; the digests computed so far are in ``cached``.
    """
    from menage.files.duplicates import (
        DigestColumn,
        Digests,
        DuplicateGroup,
        DuplicateResult,
    )

    core = load()
    assert core is not None
    digests = cached if cached is not None else Digests(len(tree))

    def keep(found: dict[str, Any]) -> None:
        for name in ("head", "tail", "full"):
            data, known = found[name]
            setattr(digests, name, DigestColumn.from_buffers(data, known))

    try:
        found: dict[str, Any] = core.find_duplicates(
            tree.paths,
            tree.size,
            tree.dev,
            tree.ino,
            tree.mtime_ns,
            tree.nlink,
            digests.head.buffers(),
            digests.tail.buffers(),
            digests.full.buffers(),
            threads=max(1, threads),
            order=order,
            progress=progress,
        )
    except KeyboardInterrupt as interrupt:
        partial = getattr(interrupt, "digests", None)
        if partial is not None:
            keep(partial)
        raise
    keep(found)
    paths, sizes = tree.paths, tree.size
    links: dict[int, list[int]] = dict(found["links"])
    full = digests.full
    groups = [
        DuplicateGroup(
            size=sizes[g[0]],
            digest=full[g[0]],
            files=g,
            links={i: links[i] for i in g if i in links},
        )
        for g in found["groups"]
    ]
    return DuplicateResult(
        groups=groups,
        empty=found["empty"],
        issues=[Issue(paths[i], kind, detail) for i, kind, detail in found["issues"]],
        links=links,
        digests=digests,
        computed=found["computed"],
        files_read=found["files_read"],
        bytes_read=found["bytes_read"],
    )
