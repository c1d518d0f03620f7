"""Walk folders and stat every entry, fast and without ever hanging.

The walk is iterative (no recursion limit: a 63-level ``node_modules`` chain is
nothing special), runs on a few threads (``scandir`` and ``lstat`` release the
GIL, and on a warm cache the walk is syscall-bound), never opens anything, and
keeps what it finds in a compact :class:`~menage.files.tree.Tree`.

The rules, which any other walker (the native core) must follow too:

1. **Each real folder is listed once**, keyed by (device, inode): symbolic link
   loops, bind mounts and links back into the roots cannot make the walk run
   forever or list a file twice under two folder paths.
2. **Ménage's own folders are never entered**, wherever they are reached (a
   subfolder, a root, a followed link, through a symbolic link higher up): those
   whose (device, inode) is in :class:`~menage.home.OwnFolders` ``folders``, and any
   folder named ``.menage-quarantine``. Files whose (device, inode) is in ``files``,
   and their SQLite side files (``side_files``, by folder identity and name), are
   not listed. Each is recorded in ``tree.own`` and counts as an entry of its
   parent folder (so that the parent is never "empty"). The identities are taken
   when the walk starts (:func:`menage.home.own_folders`, unless the options give
   them).
3. **Symbolic links are never followed** unless ``follow_links``; then a link to a
   folder is walked after every real folder has been (so that files keep their
   real paths when a link points inside the roots), and links found at any depth
   and in any folder are all walked.
4. **Other filesystems are not entered** unless ``cross_devices``; they are listed
   in ``tree.other_devices``.
5. Excluded names (or paths relative to the root, when a pattern has a ``/``) and
   files under ``min_size`` are counted, not listed. Special files (FIFOs, sockets,
   devices) are listed in ``tree.specials`` and never opened.
6. Nothing raises: an entry that cannot be read is an :class:`Issue`.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from queue import SimpleQueue

from menage.errors import NotADirectory, PathError, PathNotFound, os_error_text
from menage.files import native
from menage.files.tree import (
    ISSUE_KINDS,
    MAX_LINKS,
    SPECIAL_KINDS,
    Issue,
    Part,
    Tree,
    from_columns,
    merge,
)
from menage.home import OwnFolders

__all__ = [
    "ISSUE_KINDS",
    "SPECIAL_KINDS",
    "Issue",
    "ProgressCallback",
    "Tree",
    "WalkOptions",
    "resolve_roots",
    "walk",
]


@dataclass
class WalkOptions:
    """What to walk and how."""

    follow_links: bool = False
    cross_devices: bool = False
    excludes: Sequence[str] = ()
    min_size: int = 0
    threads: int = 2
    #: Ménage's own folders and files (None: :func:`menage.home.own_folders` now)
    own: OwnFolders | None = None
    #: ``native``, ``python`` or None (see :func:`menage.files.native.use_native`)
    engine: str | None = None
    #: hash whole, as its folder is listed, each small file whose size an earlier file
    #: had (the native core only; ``tree.walk_digests``): the content stage would read
    #: it anyway, and now finds its folder and inode in the kernel's caches
    read_small: bool = False


ProgressCallback = Callable[[int, int], None]
#: a folder to list: (id, path, parent id, root, device, inode)
_Job = tuple[int, bytes, int, bytes, int, int]


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
            raise PathError(path=shown, detail=os_error_text(exc)) from None
        if not stat.S_ISDIR(st.st_mode):
            raise NotADirectory(path=shown)
        root = os.path.abspath(path)
        if root not in roots:
            roots.append(root)
    return roots


def inside_own(root: bytes, own: OwnFolders) -> bool:
    """Whether a root is one of Ménage's own folders or inside one (links resolved)."""
    current = os.path.realpath(root)
    while True:
        try:
            st = os.stat(current)
        except OSError:
            return False
        if own.is_own_folder(st, os.path.basename(current)):
            return True
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent


def walk(
    roots: Sequence[bytes],
    options: WalkOptions | None = None,
    progress: ProgressCallback | None = None,
) -> Tree:
    """Walk ``roots`` (absolute folder paths, see :func:`resolve_roots`) by the rules above.

    Args:
        roots: folders to walk.
        options: links, devices, excludes, minimum size and Ménage's own folders.
        progress: called now and then with (folders listed, files found).

    Returns:
        The :class:`Tree` of what was found; entries that could not be read are
        in ``tree.issues``, never raised.
    """
    options = options or WalkOptions()
    own = options.own if options.own is not None else _own_now()
    if native.use_native(options.engine):
        return _native_walk(list(roots), options, own, progress)
    exclude_re, exclude_paths = _compile_excludes(options.excludes)
    min_size = options.min_size
    follow = options.follow_links
    cross = options.cross_devices
    root_strip = {r: len(r.rstrip(b"/")) + 1 for r in roots}

    queue: SimpleQueue[_Job | None] = SimpleQueue()
    lock = threading.Lock()
    # our own folders count as seen: a followed link or a bind mount never enters them
    visited: set[tuple[int, int]] = set(own.folders)
    #: symbolic links to folders, walked once every real folder has been
    deferred: list[tuple[bytes, int, bytes, int, int]] = []
    next_dir = iter(range(1 << 62)).__next__
    pending = 0
    counters = [0]  # folders listed, for progress
    parts: list[Part] = []
    threads = max(1, options.threads)
    side_folders = {(dev, ino) for dev, ino, _name in own.side_files}

    def enqueue(part: Part, path: bytes, parent: int, root: bytes, dev: int, ino: int) -> None:
        nonlocal pending
        dir_id = next_dir()
        part.dir_records.append((dir_id, path, parent))
        with lock:
            pending += 1
        queue.put((dir_id, path, parent, root, dev, ino))

    main_part = Part()
    parts.append(main_part)
    for root in roots:
        st = os.stat(root)
        key = (st.st_dev, st.st_ino)
        if inside_own(root, own):
            main_part.own.append(root)
            continue
        if key in visited:
            continue
        visited.add(key)
        enqueue(main_part, root, -1, root, st.st_dev, st.st_ino)
    if pending == 0:
        for _ in range(threads):
            queue.put(None)

    def list_dir(part: Part, job: _Job) -> None:
        dir_id, path, _parent, root, dev, ino = job
        try:
            iterator = os.scandir(path)
        except OSError as exc:
            part.unlisted.append(dir_id)
            part.issues.append(Issue(path, _issue_kind(exc), os_error_text(exc)))
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
        own_files = own.files
        side_here = (dev, ino) in side_folders
        with iterator:
            while True:
                try:
                    entry = next(iterator)
                except StopIteration:
                    break
                except OSError as exc:
                    # readdir failed half-way (e.g. the folder was removed): keep what we have.
                    part.unlisted.append(dir_id)
                    part.issues.append(Issue(path, _issue_kind(exc), os_error_text(exc)))
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
                        if own.is_own_folder(st, name):
                            part.own.append(entry.path)
                            entries += 1
                            continue
                        if st.st_dev != dev and not cross:
                            part.other_devices.append(entry.path)
                            entries += 1
                            continue
                        subdirs.append((entry.path, st.st_dev, st.st_ino))
                        continue
                    entries += 1
                    if entry.is_file(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        if (own_files and (st.st_dev, st.st_ino) in own_files) or (
                            side_here and (dev, ino, name) in own.side_files
                        ):
                            part.own.append(entry.path)
                            continue
                        if st.st_size < min_size:
                            part.excluded += 1
                            continue
                        paths.append(entry.path)
                        add_dir_of(dir_id)
                        add_size(st.st_size)
                        add_dev(st.st_dev)
                        add_ino(st.st_ino)
                        add_mtime(st.st_mtime_ns)
                        add_nlink(min(st.st_nlink, MAX_LINKS))
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
                                with lock:
                                    deferred.append(
                                        (link_path, dir_id, root, target.st_dev, target.st_ino)
                                    )
                    else:
                        st = entry.stat(follow_symlinks=False)
                        kind = SPECIAL_KINDS.get(stat.S_IFMT(st.st_mode), "other")
                        part.specials.append((entry.path, kind))
                except OSError as exc:
                    part.issues.append(Issue(entry.path, _issue_kind(exc), os_error_text(exc)))
        part.dir_entries[dir_id] = entries
        for sub_path, sub_dev, sub_ino in subdirs:
            key = (sub_dev, sub_ino)
            with lock:
                # a folder reached twice (a followed link, a bind mount, a loop such as
                # `self -> .`) is listed once only
                seen = key in visited
                visited.add(key)
            if not seen:
                enqueue(part, sub_path, dir_id, root, sub_dev, sub_ino)

    def worker() -> None:
        nonlocal pending
        part = Part()
        with lock:
            parts.append(part)
        while True:
            job = queue.get()
            if job is None:
                return
            try:
                list_dir(part, job)
            finally:
                with lock:
                    pending -= 1
                    counters[0] += 1
                    # every real folder is listed: walk the links found so far, in path
                    # order (the result must not depend on the threads); the others
                    # stay deferred until the walk is idle again
                    promote = pending == 0 and bool(deferred)
                    links = sorted(deferred) if promote else []
                    if promote:
                        deferred.clear()
                for link_path, parent, link_root, link_dev, link_ino in links:
                    if inside_own(link_path, own):
                        # a link into one of our own folders (a run of the quarantine, a
                        # subfolder of the data folder): left out, and said so
                        part.own.append(link_path)
                        continue
                    with lock:
                        seen = (link_dev, link_ino) in visited
                        visited.add((link_dev, link_ino))
                    if seen:
                        if (link_dev, link_ino) in own.folders:
                            part.own.append(link_path)
                        continue
                    enqueue(part, link_path, parent, link_root, link_dev, link_ino)
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
    tree = merge(list(roots), parts)
    if progress is not None:
        progress(len(tree.dirs), len(tree))
    return tree


def _own_now() -> OwnFolders:
    from menage.home import own_folders

    return own_folders()


def _native_walk(
    roots: list[bytes],
    options: WalkOptions,
    own: OwnFolders,
    progress: ProgressCallback | None,
) -> Tree:
    """The same walk by the native core (:func:`menage.files.native.walk`), by the same
    rules: a root inside one of Ménage's own folders is left out here, the rest there."""
    inside = [root for root in roots if inside_own(root, own)]
    walked = [root for root in roots if root not in inside]
    tree = Tree(roots)
    if walked:
        tree = from_columns(roots, native.walk(walked, options, own, progress))
    if inside:
        tree.own = sorted([*tree.own, *inside])
    if progress is not None:
        progress(len(tree.dirs), len(tree))
    return tree
