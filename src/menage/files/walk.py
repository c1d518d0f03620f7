"""Walk folders and stat every entry, fast and without ever hanging.

The walk is iterative (no recursion limit: a 63-level ``node_modules`` chain is
nothing special), runs on a few threads (``scandir`` and ``lstat`` release the
GIL, and on a warm cache the walk is syscall-bound), never opens anything, and
visits each real folder once, keyed by (device, inode), so that symbolic link
loops and bind mounts cannot make it run forever.

What it collects is kept column by column in compact arrays (:class:`Tree`):
a million files cost about a hundred bytes each, not the kilobyte a
``os.stat_result`` and a path string would.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
import threading
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from queue import SimpleQueue
from typing import Any

from menage.errors import NotADirectory, PathError, PathNotFound
from menage.i18n import N_

#: Kinds of entries that are listed but never opened.
SPECIAL_KINDS = {
    stat.S_IFIFO: "fifo",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "char-device",
    stat.S_IFBLK: "block-device",
}


@dataclass(frozen=True)
class Issue:
    """An entry that could not be scanned, or not completely."""

    path: bytes
    kind: str
    detail: str


# Issue kinds, with the sentence shown for each; ``detail`` carries the OS message.
ISSUE_KINDS = {
    "unreadable": N_("cannot be read"),
    "vanished": N_("disappeared during the scan"),
    "changed": N_("changed during the scan; not compared"),
}


@dataclass
class WalkOptions:
    """What to walk and how."""

    follow_links: bool = False
    cross_devices: bool = False
    excludes: Sequence[str] = ()
    min_size: int = 0
    threads: int = 2
    #: ``native``, ``python`` or None (see :func:`menage.files.native.use_native`)
    engine: str | None = None


@dataclass
class Tree:
    """Everything the walk found, as parallel columns.

    File ``i`` is ``paths[i]``, in folder ``dirs[dir_of[i]]``; its metadata is
    ``size[i]``, ``dev[i]``, ``ino[i]``, ``mtime_ns[i]``, ``nlink[i]`` and ``uid[i]``.
    Files and folders are sorted by path (so a folder comes before its content).
    Hardlinks appear once per path; callers collapse them by (dev, ino).
    """

    roots: list[bytes]
    #: a list, or the native core's PathBuffer (all paths in one buffer)
    dirs: Sequence[bytes] = field(default_factory=list)
    dir_parent: array[int] = field(default_factory=lambda: array("q"))
    #: entries in each folder that are not folders (files, links, specials, excluded)
    dir_entries: array[int] = field(default_factory=lambda: array("q"))
    #: folders whose listing failed: they are neither empty nor complete
    dir_unlisted: set[int] = field(default_factory=set)
    paths: Sequence[bytes] = field(default_factory=list)
    dir_of: array[int] = field(default_factory=lambda: array("q"))
    size: array[int] = field(default_factory=lambda: array("q"))
    dev: array[int] = field(default_factory=lambda: array("Q"))
    ino: array[int] = field(default_factory=lambda: array("Q"))
    mtime_ns: array[int] = field(default_factory=lambda: array("q"))
    nlink: array[int] = field(default_factory=lambda: array("q"))
    uid: array[int] = field(default_factory=lambda: array("q"))
    symlinks: list[bytes] = field(default_factory=list)
    broken_links: list[bytes] = field(default_factory=list)
    specials: list[tuple[bytes, str]] = field(default_factory=list)
    other_devices: list[bytes] = field(default_factory=list)
    excluded: int = 0
    issues: list[Issue] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.paths)

    def path(self, i: int) -> bytes:
        """The full path of file ``i``."""
        return self.paths[i]


ProgressCallback = Callable[[int, int], None]


class _Part:
    """What one worker thread collects; merged into a :class:`Tree` at the end."""

    def __init__(self) -> None:
        self.dir_records: list[tuple[int, bytes, int]] = []
        self.dir_entries: dict[int, int] = {}
        self.unlisted: list[int] = []
        self.paths: list[bytes] = []
        self.dir_of = array("q")
        self.size = array("q")
        self.dev = array("Q")
        self.ino = array("Q")
        self.mtime_ns = array("q")
        self.nlink = array("q")
        self.uid = array("q")
        self.symlinks: list[bytes] = []
        self.broken_links: list[bytes] = []
        self.specials: list[tuple[bytes, str]] = []
        self.other_devices: list[bytes] = []
        self.excluded = 0
        self.issues: list[Issue] = []


def _compile_excludes(patterns: Sequence[str]) -> tuple[re.Pattern[bytes] | None, bool]:
    """One regex for all patterns; the flag says whether some match whole paths."""
    if not patterns:
        return None, False
    parts = [fnmatch.translate(p.rstrip("/")) for p in patterns]
    regex = re.compile(os.fsencode("|".join(f"(?:{p})" for p in parts)))
    return regex, any("/" in p.rstrip("/") for p in patterns)


def _issue_kind(exc: OSError) -> str:
    if exc.errno in (errno.ENOENT, errno.ESTALE):
        return "vanished"
    return "unreadable"


def resolve_roots(paths: Sequence[str | bytes | os.PathLike[str]]) -> list[bytes]:
    """Absolute, normalised roots; each must be an existing folder.

    Raises:
        PathNotFound: a path does not exist.
        NotADirectory: a path is not a folder.
        PathError: a path cannot be examined.
    """
    roots: list[bytes] = []
    for raw in paths:
        path = os.fsencode(raw)
        shown = os.fsdecode(path)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise PathNotFound(path=shown) from None
        except OSError as exc:
            raise PathError(path=shown, detail=exc.strerror or str(exc)) from None
        if not stat.S_ISDIR(st.st_mode):
            raise NotADirectory(path=shown)
        root = os.path.abspath(path)
        if root not in roots:
            roots.append(root)
    return roots


def walk(
    roots: Sequence[bytes],
    options: WalkOptions | None = None,
    progress: ProgressCallback | None = None,
) -> Tree:
    """Walk ``roots`` (absolute folder paths, see :func:`resolve_roots`).

    Args:
        roots: folders to walk.
        options: links, devices, excludes and minimum size.
        progress: called now and then with (folders listed, files found).

    Returns:
        The :class:`Tree` of what was found; entries that could not be read are
        in ``tree.issues``, never raised.
    """
    options = options or WalkOptions()
    from menage.files import native

    if native.use_native(options.engine):
        return _native_tree(list(roots), native.walk(list(roots), options, progress), progress)
    exclude_re, exclude_paths = _compile_excludes(options.excludes)
    min_size = options.min_size
    follow = options.follow_links
    cross = options.cross_devices
    root_strip = {r: len(r.rstrip(b"/")) + 1 for r in roots}

    queue: SimpleQueue[tuple[int, bytes, int, bytes, int] | None] = SimpleQueue()
    lock = threading.Lock()
    visited: set[tuple[int, int]] = set()
    #: symbolic links to folders, walked once every real folder has been
    deferred: list[tuple[bytes, int, bytes, int, int]] = []
    next_dir = iter(range(1 << 62)).__next__
    pending = 0
    counters = [0]  # folders listed, for progress
    parts: list[_Part] = []
    threads = max(1, options.threads)

    def enqueue(part: _Part, path: bytes, parent: int, root: bytes, dev: int) -> None:
        nonlocal pending
        dir_id = next_dir()
        part.dir_records.append((dir_id, path, parent))
        with lock:
            pending += 1
        queue.put((dir_id, path, parent, root, dev))

    main_part = _Part()
    parts.append(main_part)
    for root in roots:
        st = os.stat(root)
        key = (st.st_dev, st.st_ino)
        if key in visited:
            continue
        visited.add(key)
        enqueue(main_part, root, -1, root, st.st_dev)
    if pending == 0:
        for _ in range(threads):
            queue.put(None)

    def list_dir(part: _Part, dir_id: int, path: bytes, root: bytes, dev: int) -> None:
        try:
            iterator = os.scandir(path)
        except OSError as exc:
            part.unlisted.append(dir_id)
            part.issues.append(Issue(path, _issue_kind(exc), exc.strerror or str(exc)))
            return
        entries = 0
        subdirs: list[tuple[bytes, int, int]] = []
        paths = part.paths
        add_dir_of = part.dir_of.append
        add_size = part.size.append
        add_dev = part.dev.append
        add_ino = part.ino.append
        add_mtime = part.mtime_ns.append
        add_nlink = part.nlink.append
        add_uid = part.uid.append
        with iterator:
            while True:
                try:
                    entry = next(iterator)
                except StopIteration:
                    break
                except OSError as exc:
                    # readdir failed half-way (e.g. the folder was removed): keep what we have.
                    part.unlisted.append(dir_id)
                    part.issues.append(Issue(path, _issue_kind(exc), exc.strerror or str(exc)))
                    break
                name = entry.name
                if exclude_re is not None:
                    subject = entry.path[root_strip[root] :] if exclude_paths else name
                    if exclude_re.match(name) or (exclude_paths and exclude_re.match(subject)):
                        part.excluded += 1
                        entries += 1
                        continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        if st.st_dev != dev and not cross:
                            part.other_devices.append(entry.path)
                            entries += 1
                            continue
                        subdirs.append((entry.path, st.st_dev, st.st_ino))
                        continue
                    entries += 1
                    if entry.is_file(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        if st.st_size < min_size:
                            part.excluded += 1
                            continue
                        paths.append(entry.path)
                        add_dir_of(dir_id)
                        add_size(st.st_size)
                        add_dev(st.st_dev)
                        add_ino(st.st_ino)
                        add_mtime(st.st_mtime_ns)
                        add_nlink(st.st_nlink)
                        add_uid(st.st_uid)
                    elif entry.is_symlink():
                        link_path = entry.path
                        part.symlinks.append(link_path)
                        try:
                            target = os.stat(link_path)
                        except OSError:
                            # dangling, or a loop of links (a -> b -> a): nothing behind it
                            part.broken_links.append(link_path)
                            continue
                        if follow and stat.S_ISDIR(target.st_mode):
                            if target.st_dev != dev and not cross:
                                part.other_devices.append(link_path)
                            else:
                                # walked last, so that files keep their real paths when a
                                # link points inside the roots (see `worker`)
                                deferred.append(
                                    (link_path, dir_id, root, target.st_dev, target.st_ino)
                                )
                    else:
                        st = entry.stat(follow_symlinks=False)
                        kind = SPECIAL_KINDS.get(stat.S_IFMT(st.st_mode), "other")
                        part.specials.append((entry.path, kind))
                except OSError as exc:
                    part.issues.append(Issue(entry.path, _issue_kind(exc), exc.strerror or ""))
        part.dir_entries[dir_id] = entries
        for sub_path, sub_dev, sub_ino in subdirs:
            key = (sub_dev, sub_ino)
            with lock:
                # a folder reached twice (a followed link, a bind mount, a loop such as
                # `self -> .`) is listed once only
                seen = key in visited
                visited.add(key)
            if not seen:
                enqueue(part, sub_path, dir_id, root, sub_dev)

    def worker() -> None:
        nonlocal pending
        part = _Part()
        with lock:
            parts.append(part)
        while True:
            item = queue.get()
            if item is None:
                return
            dir_id, path, _parent, root, dev = item
            try:
                list_dir(part, dir_id, path, root, dev)
            finally:
                with lock:
                    pending -= 1
                    counters[0] += 1
                    promote = pending == 0 and bool(deferred)
                    # in path order, so that the result does not depend on the threads
                    links = sorted(deferred) if promote else []
                    if promote:
                        deferred.clear()
                for link_path, parent, link_root, link_dev, link_ino in links:
                    with lock:
                        seen = (link_dev, link_ino) in visited
                        visited.add((link_dev, link_ino))
                    if not seen:
                        enqueue(part, link_path, parent, link_root, link_dev)
                with lock:
                    done = pending == 0 and not deferred
                if done:
                    for _ in range(threads):
                        queue.put(None)
                if progress is not None and counters[0] % 64 == 0:
                    progress(counters[0], sum(len(p.paths) for p in parts))

    workers = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        # join with a timeout so that Ctrl-C reaches the main thread
        while thread.is_alive():
            thread.join(0.2)
    tree = _merge(list(roots), parts)
    if progress is not None:
        progress(len(tree.dirs), len(tree))
    return tree


def _merge(roots: list[bytes], parts: list[_Part]) -> Tree:
    """One tree from the threads' parts, folders and files sorted by path.

    Sorting makes every later step deterministic whatever order the threads took,
    and puts a folder before everything inside it. Parts are freed as they are
    merged, so that the peak memory is not twice the tree.
    """
    records = sorted(
        (path, old, parent) for part in parts for old, path, parent in part.dir_records
    )
    remap = {old: new for new, (_path, old, _parent) in enumerate(records)}
    tree = Tree(roots=roots)
    dirs = [path for path, _old, _parent in records]
    tree.dirs = dirs
    tree.dir_parent = array("q", (remap[p] if p >= 0 else -1 for _path, _old, p in records))
    del records
    entries = array("q", bytes(8 * len(dirs)))
    paths: list[bytes] = []
    columns = ("size", "dev", "ino", "mtime_ns", "nlink", "uid")
    for part in parts:
        for old, count in part.dir_entries.items():
            entries[remap[old]] = count
        tree.dir_unlisted.update(remap[d] for d in part.unlisted)
        paths.extend(part.paths)
        part.paths = []
        tree.dir_of.extend(remap[d] for d in part.dir_of)
        part.dir_of = array("q")
        for name in columns:
            getattr(tree, name).extend(getattr(part, name))
            setattr(part, name, array("q"))
        tree.symlinks.extend(part.symlinks)
        tree.broken_links.extend(part.broken_links)
        tree.specials.extend(part.specials)
        tree.other_devices.extend(part.other_devices)
        tree.excluded += part.excluded
        tree.issues.extend(part.issues)
    tree.dir_entries = entries
    order = sorted(range(len(paths)), key=paths.__getitem__)
    tree.paths = list(map(paths.__getitem__, order))
    for name in ("dir_of", *columns):
        column = getattr(tree, name)
        setattr(tree, name, array(column.typecode, map(column.__getitem__, order)))
    for listing in (tree.symlinks, tree.broken_links, tree.specials, tree.other_devices):
        listing.sort()
    tree.issues.sort(key=lambda issue: issue.path)
    return tree


def _column(typecode: str, data: bytes) -> array[int]:
    column = array(typecode)
    column.frombytes(data)
    return column


def _native_tree(
    roots: list[bytes], found: dict[str, Any], progress: ProgressCallback | None
) -> Tree:
    """The tree of the native core's walk (:func:`menage.files.native.walk`): every path
    in one buffer (a sequence of ``bytes``), the numbers in ``array`` columns."""
    tree = Tree(roots=roots)
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
