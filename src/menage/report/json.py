"""The JSON form of a scan: a documented, stable schema (``docs`` in the README).

Top level: ``menage`` (version), ``schema`` (1), ``scan_id``, ``started``,
``duration_s``, ``roots``, ``complete``, ``path_encoding``, ``total``,
``categories``, ``duplicates``, ``duplicate_folders``, ``empty_files``,
``empty_dirs``, ``big_files``, ``old_files``, ``temp_files``, ``reclaimable``,
``by_folder``, ``by_owner``, ``errors``, ``special_files``, ``broken_links``,
``other_devices``. Paths follow :mod:`menage.files.names` (PEP 383 escapes).
"""

from __future__ import annotations

import pwd
from collections import defaultdict
from typing import Any

from menage import __version__
from menage.files.folders import folder_of_depth
from menage.files.lint import CATEGORIES, category
from menage.files.names import to_json
from menage.files.scan import ScanResult

SCHEMA = 1
PATH_ENCODING = "utf-8; undecodable bytes as U+DC80..U+DCFF (PEP 383 surrogateescape)"


def _owner_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def aggregates(result: ScanResult) -> dict[str, Any]:
    """The totals of a scan in their JSON form: ``categories``, ``reclaimable``,
    ``by_folder`` and ``by_owner`` (one pass over the files, shared with the HTML report).
    """
    tree = result.tree
    paths, sizes = tree.paths, tree.size
    extra = result.extra_links
    groups = result.duplicates.groups
    in_group: set[int] = {i for g in groups for i in g.files}
    by_category: dict[str, list[int]] = {c: [0, 0] for c in CATEGORIES}
    depth_of = folder_of_depth(tree, result.options.depth)
    by_folder: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_owner: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for i in range(len(tree)):
        if i in extra:
            continue
        size = sizes[i]
        counts = by_category[category(paths[i].rsplit(b"/", 1)[-1])]
        counts[0] += 1
        counts[1] += size
        dup = size if i in in_group else 0
        for bucket in (by_folder[depth_of[tree.dir_of[i]]], by_owner[tree.uid[i]]):
            bucket[0] += 1
            bucket[1] += size
            bucket[2] += dup

    redundant_bytes = result.redundant_bytes
    temp_bytes = sum(sizes[i] for i, _rule in result.temp_files)
    temp_outside_groups = sum(sizes[i] for i, _rule in result.temp_files if i not in in_group)
    return {
        "categories": {c: {"files": n, "bytes": b} for c, (n, b) in by_category.items()},
        "reclaimable": {
            "duplicates": redundant_bytes,
            "temp_files": temp_bytes,
            "total": redundant_bytes + temp_outside_groups,
        },
        "by_folder": sorted(
            (
                {"path": to_json(tree.dirs[d]), "files": n, "bytes": b, "duplicate_bytes": dup}
                for d, (n, b, dup) in by_folder.items()
            ),
            key=lambda item: (-item["bytes"], item["path"]),
        ),
        "by_owner": sorted(
            (
                {
                    "uid": uid,
                    "owner": _owner_name(uid),
                    "files": n,
                    "bytes": b,
                    "duplicate_bytes": dup,
                }
                for uid, (n, b, dup) in by_owner.items()
            ),
            key=lambda item: -item["bytes"],
        ),
    }


def scan_to_dict(result: ScanResult) -> dict[str, Any]:
    """Everything a scan found, as plain JSON-ready data."""
    tree = result.tree
    paths, sizes = tree.paths, tree.size
    extra = result.extra_links

    def file_item(i: int) -> dict[str, Any]:
        return {
            "path": to_json(paths[i]),
            "size": sizes[i],
            "mtime_ns": tree.mtime_ns[i],
            "device": tree.dev[i],
            "inode": tree.ino[i],
        }

    groups = result.duplicates.groups
    totals = aggregates(result)
    temp_bytes = totals["reclaimable"]["temp_files"]
    return {
        "menage": __version__,
        "schema": SCHEMA,
        "scan_id": result.scan_id,
        "started": result.started.isoformat(),
        "duration_s": round(result.duration_s, 3),
        "roots": [to_json(r) for r in tree.roots],
        "complete": result.complete,
        "path_encoding": PATH_ENCODING,
        "options": {
            "follow_links": result.options.follow_links,
            "cross_devices": result.options.cross_devices,
            "excludes": list(result.options.excludes),
            "min_size": result.options.min_size,
            "older_than_s": result.options.older_than_s,
            "depth": result.options.depth,
        },
        "total": {
            "files": result.total_files,
            "bytes": result.total_bytes,
            "paths": len(tree),
            "folders": len(tree.dirs),
            "hardlinks": len(extra),
            "symlinks": len(tree.symlinks),
            "excluded": tree.excluded,
        },
        "categories": totals["categories"],
        "duplicates": {
            "groups": len(groups),
            "redundant_files": result.redundant_files,
            "redundant_bytes": result.redundant_bytes,
            "rate": round(result.duplicate_rate, 6),
            "items": [
                {
                    "size": g.size,
                    "hash": g.digest.hex(),
                    "redundant_bytes": g.redundant_bytes,
                    "paths": [to_json(paths[i]) for i in g.files],
                    "files": [
                        {
                            "path": to_json(paths[i]),
                            "device": tree.dev[i],
                            "inode": tree.ino[i],
                            "mtime_ns": tree.mtime_ns[i],
                            "uid": tree.uid[i],
                            "links": [to_json(paths[j]) for j in g.links.get(i, ())],
                        }
                        for i in g.files
                    ],
                }
                for g in groups
            ],
        },
        "duplicate_folders": {
            "count": len(result.duplicate_folders),
            "redundant_bytes": sum(f.redundant_bytes for f in result.duplicate_folders),
            "items": [
                {
                    "paths": [to_json(tree.dirs[d]) for d in f.dirs],
                    "files": f.files,
                    "size": f.size,
                    "redundant_bytes": f.redundant_bytes,
                }
                for f in result.duplicate_folders
            ],
        },
        "empty_files": {
            "count": len(result.empty_files),
            "items": [file_item(i) for i in result.empty_files],
        },
        "empty_dirs": {
            "count": len(result.empty_dirs),
            "items": [to_json(tree.dirs[d]) for d in result.empty_dirs],
        },
        "big_files": {
            "count": len(result.big_files),
            "bytes": sum(sizes[i] for i in result.big_files),
            "items": [file_item(i) for i in result.big_files],
        },
        "old_files": {
            "older_than_s": result.options.older_than_s,
            "count": len(result.old_files),
            "bytes": sum(sizes[i] for i in result.old_files),
            "items": [file_item(i) for i in result.old_files],
        },
        "temp_files": {
            "count": len(result.temp_files),
            "bytes": temp_bytes,
            "items": [
                {**file_item(i), "kind": rule.kind, "rule": rule.pattern}
                for i, rule in result.temp_files
            ],
        },
        "reclaimable": totals["reclaimable"],
        "by_folder": totals["by_folder"],
        "by_owner": totals["by_owner"],
        "errors": [
            {"path": to_json(issue.path), "kind": issue.kind, "error": issue.detail}
            for issue in result.issues
        ],
        "special_files": [{"path": to_json(p), "kind": k} for p, k in tree.specials],
        "broken_links": [to_json(p) for p in sorted(tree.broken_links)],
        "other_devices": [to_json(p) for p in sorted(tree.other_devices)],
    }
