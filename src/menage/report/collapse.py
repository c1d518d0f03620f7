"""Short lists for the HTML report: paths relative to the scanned folder, duplicate
folders on one line each, old files by folder.

The findings (and ``--json``) keep every group and every file; only the page is
shortened:

* :func:`shown_path`: a path relative to the folder scanned (the root is shown once,
  at the top of the page; with several roots, each path starts with its root's name);
* :func:`duplicates`: when whole folders are copies of each other (the
  ``duplicate_folders`` findings), one line per set of folders and none of their files
  as groups; two groups or more whose copies sit in the same two folders or more (a
  partial copy of a folder) on one line too; the rest as groups, largest first;
* :func:`old_by_folder`: old files counted by folder (count, size, oldest date), at the
  deepest level that keeps the list short.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from menage.files.names import escape
from menage.findings import DuplicateFolders, Duplicates, FileItem, Finding, FolderItem, SingleFile
from menage.i18n import format_date, format_number, format_size

#: rows of each short list (folder sets, groups, folders of old files)
ROWS = 10


def _base(root: bytes) -> bytes:
    return root.rstrip(b"/") or b"/"


def _name(root: bytes) -> bytes:
    return _base(root).rsplit(b"/", 1)[-1] or b"/"


def relative(path: bytes, roots: Sequence[bytes]) -> bytes | None:
    """``path`` below the first root that holds it (``b""`` for a root itself), with
    the root's name in front when several roots were scanned; None when outside."""
    for root in roots:
        base = _base(root)
        prefix = base if base.endswith(b"/") else base + b"/"
        if path == base:
            return _name(root) if len(roots) > 1 else b""
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            return _name(root) + b"/" + rest if len(roots) > 1 else rest
    return None


def shown_path(path: bytes, roots: Sequence[bytes]) -> str:
    """A path as the page shows it: relative to the scanned folder, escaped
    (:func:`menage.files.names.escape`); a root itself is shown by its name."""
    rest = relative(path, roots)
    if rest is None:
        return escape(path)
    return escape(rest or _name(path))


def _parent(path: bytes) -> bytes:
    return path.rsplit(b"/", 1)[0] if b"/" in path else b""


def _inside(path: bytes, folders: Iterable[bytes]) -> bool:
    return any(path.startswith(folder.rstrip(b"/") + b"/") for folder in folders)


def _folders(found: Finding) -> list[bytes]:
    return [item.path for item in found.items if isinstance(item, FolderItem)]


def _files(group: Finding) -> list[FileItem]:
    return [item for item in group.items if isinstance(item, FileItem)]


def duplicates(
    groups: Sequence[Finding], folders: Sequence[Finding], roots: Sequence[bytes]
) -> dict[str, Any]:
    """The duplicates as the page lists them: sets of folders, then single groups.

    Every group is either counted in one folder line or listed (up to :data:`ROWS`):
    none is shown twice, and the bytes the lines free add up to what the groups free.
    """
    whole = [f for f in folders if isinstance(f, DuplicateFolders)]
    covered: dict[int, list[Duplicates]] = defaultdict(list)
    by_folders: dict[tuple[bytes, ...], list[Duplicates]] = defaultdict(list)
    for group in groups:
        assert isinstance(group, Duplicates)
        paths = [item.path for item in _files(group)]
        owner = next(
            (n for n, found in enumerate(whole) if all(_inside(p, _folders(found)) for p in paths)),
            None,
        )
        if owner is not None:
            covered[owner].append(group)
        else:
            by_folders[tuple(sorted({_parent(p) for p in paths}))].append(group)
    rows: list[dict[str, Any]] = []
    single: list[Duplicates] = []
    collapsed: list[list[Duplicates]] = []
    for parents, shared in by_folders.items():
        if len(shared) < 2 or len(parents) < 2:
            single.extend(shared)
            continue
        collapsed.append(shared)
        size = sum(group.size for group in shared)
        freed = sum(group.reclaimable_bytes for group in shared)
        rows.append(_folder_row(list(parents), len(shared), size, freed, False))
    for n, found in enumerate(whole):
        inside = _folders(found)
        if not covered[n] and not any(
            _inside(item.path, inside) for group in single for item in _files(group)
        ):
            continue  # each of its files has a copy elsewhere too: shown on that line
        # what the groups on this line free, never more than the folders' copies: a file
        # with a copy outside these folders is counted on its own line, once
        freed = min(found.redundant_bytes, sum(g.reclaimable_bytes for g in covered[n]))
        rows.append(_folder_row(inside, found.files, found.size, freed, True))
    rows.sort(key=lambda row: (-row["freed"], row["paths"]))
    single.sort(key=lambda group: (-group.reclaimable_bytes, group.number))
    return {
        "folders": [_format_row(row, roots) for row in rows[:ROWS]],
        "more_folders": max(0, len(rows) - ROWS),
        "groups": [_group_row(group, roots) for group in single[:ROWS]],
        "more_groups": max(0, len(single) - ROWS),
        # which groups each line stands for (the tests check that none is shown twice)
        "group_numbers": {
            "folders": sorted(g.number for shared in covered.values() for g in shared)
            + sorted(g.number for shared in collapsed for g in shared),
            "listed": [group.number for group in single[:ROWS]],
        },
    }


def _folder_row(
    paths: list[bytes], files: int, size: int, freed: int, whole: bool
) -> dict[str, Any]:
    return {"paths": paths, "files": files, "size": size, "freed": freed, "whole": whole}


def _format_row(row: dict[str, Any], roots: Sequence[bytes]) -> dict[str, Any]:
    return {
        "paths": [shown_path(path, roots) for path in row["paths"]],
        "whole": row["whole"],
        "files": row["files"],
        "files_text": format_number(row["files"]),
        "size": format_size(row["size"]),
        "redundant": format_size(row["freed"]),
        "freed_bytes": row["freed"],
    }


def _group_row(group: Duplicates, roots: Sequence[bytes]) -> dict[str, Any]:
    files = _files(group)
    return {
        "number": group.number,
        "size": format_size(group.size),
        "copies": format_number(len(files)),
        "redundant": format_size(group.reclaimable_bytes),
        "paths": [(shown_path(f.path, roots), len(f.links)) for f in files[:ROWS]],
        "more": max(0, len(files) - ROWS),
    }


def old_by_folder(found: Sequence[Finding], roots: Sequence[bytes]) -> dict[str, Any]:
    """Old files by folder: the deepest folder level at which at most :data:`ROWS`
    folders hold them all (files right in a root count for the root)."""
    files = [finding.file for finding in found if isinstance(finding, SingleFile)]
    parents: list[tuple[bytes, ...]] = []
    for item in files:
        rest = relative(_parent(item.path), roots)
        parents.append(tuple(rest.split(b"/")) if rest else ())
    depth = max((len(p) for p in parents), default=0)
    while depth > 0 and len({p[:depth] for p in parents}) > ROWS:
        depth -= 1
    folders: dict[tuple[bytes, ...], list[FileItem]] = defaultdict(list)
    for item, parent in zip(files, parents, strict=True):
        folders[parent[:depth]].append(item)
    rows: list[dict[str, Any]] = []
    for key, items in folders.items():
        oldest = min(item.mtime_ns for item in items)
        when = datetime.fromtimestamp(oldest / 1e9)
        rows.append(
            {
                "bytes": sum(item.size for item in items),
                "folder": _folder_label(key, files, roots),
                "files": format_number(len(items)),
                "size": format_size(sum(item.size for item in items)),
                "oldest": format_date(when),
                "iso": when.date().isoformat(),
            }
        )
    rows.sort(key=lambda row: (-row["bytes"], row["folder"]))
    return {"folders": rows[:ROWS], "more": max(0, len(rows) - ROWS)}


def _folder_label(key: tuple[bytes, ...], files: list[FileItem], roots: Sequence[bytes]) -> str:
    if key:
        return escape(b"/".join(key))
    # files right in the (only) root: the root by its name
    return escape(_name(roots[0])) if roots else escape(_parent(files[0].path))
