"""The JSON form of a scan: a documented, stable schema (see the README).

Top level: ``menage`` (version), ``schema`` (1), ``scan_id``, ``started``,
``duration_s``, ``roots``, ``complete``, ``path_encoding``, ``options``, ``total``,
``categories``, ``duplicates``, ``duplicate_folders``, ``empty_files``,
``empty_dirs``, ``big_files``, ``old_files``, ``temp_files``, ``reclaimable``,
``impact``, ``by_folder``, ``by_owner``, ``errors``, ``special_files``, ``broken_links``,
``other_devices``. Paths follow :mod:`menage.files.names` (PEP 383 escapes).

Long lists are produced lazily and written as they are made
(:func:`write_scan_json`), so that a million-file scan does not hold its whole
report in memory.
"""

from __future__ import annotations

import json
import pwd
import zlib
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring_ascii as _encode_string
from typing import IO, Any

from menage import __version__
from menage.files.columns import json_file_items, json_group_items, mask, totals
from menage.files.folders import folder_of_depth
from menage.files.native import use_native as native_json_available
from menage.files.scan import ScanResult
from menage.impact.summary import storage_summary

SCHEMA = 1
PATH_ENCODING = "utf-8; undecodable bytes as U+DC80..U+DCFF (PEP 383 surrogateescape)"


class Raw(str):
    """A value already encoded as JSON text."""


def _string(path: bytes) -> str:
    """A path as a JSON string literal (PEP 383 escapes, ASCII only)."""
    return _encode_string(path.decode("utf-8", "surrogateescape"))


class Joined:
    """A long list encoded as JSON text by the native core: given the separator between
    items, the text of the items, chunk by chunk."""

    def __init__(self, make: Callable[[str], Iterator[str] | None]) -> None:
        self.make = make


class Lazy:
    """A list made on demand, item by item."""

    def __init__(self, make: Callable[[], Iterator[Any]]) -> None:
        self.make = make

    def __iter__(self) -> Iterator[Any]:
        return self.make()


def _owner_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _text(path: bytes) -> str:
    return path.decode("utf-8", "surrogateescape")


def scan_summary(result: ScanResult) -> dict[str, Any]:
    """The scan as JSON-ready data, with the long lists as :class:`Lazy` values.

    The totals are computed once per result; each call returns a new top-level dict.
    """
    if result.summary_cache is None:
        result.summary_cache = _summary(result)
    return {**result.summary_cache, "scan_id": result.scan_id}


def _summary(result: ScanResult) -> dict[str, Any]:
    tree = result.tree
    paths, sizes, mtimes, devs, inos = tree.paths, tree.size, tree.mtime_ns, tree.dev, tree.ino
    extra = result.extra_links
    groups = result.duplicates.groups
    in_group: set[int] = {i for g in groups for i in g.files}
    depth_of = folder_of_depth(tree, result.options.depth)
    uids = tree.uid
    counted = totals(tree, mask(len(tree), extra), mask(len(tree), in_group), depth_of)
    by_category, by_folder, by_owner = counted.categories, counted.by_folder, counted.by_owner

    # The long lists are encoded item by item straight to JSON text: building a dict
    # per file and encoding it costs three times as much on a 200,000-file scan.
    def file_json(i: int) -> str:
        return (
            f'{{"path":{_string(paths[i])},"size":{sizes[i]},"mtime_ns":{mtimes[i]},'
            f'"device":{devs[i]},"inode":{inos[i]}'
        )

    def files_of(indices: Sequence[int]) -> Lazy | Joined:
        if len(indices) > 20 and native_json_available():
            return Joined(lambda separator: json_file_items(tree, indices, separator))
        return Lazy(lambda: (Raw(file_json(i) + "}") for i in indices))

    def member_json(i: int, links: list[int]) -> str:
        linked = ",".join(_string(paths[j]) for j in links)
        return (
            f'{{"path":{_string(paths[i])},"device":{devs[i]},"inode":{inos[i]},'
            f'"mtime_ns":{mtimes[i]},"uid":{uids[i]},"links":[{linked}]}}'
        )

    def group_items() -> Iterator[Raw]:
        for g in groups:
            members = ",".join(_string(paths[i]) for i in g.files)
            files = ",".join(member_json(i, g.links.get(i, [])) for i in g.files)
            yield Raw(
                f'{{"size":{g.size},"hash":"{g.digest.hex()}",'
                f'"redundant_bytes":{g.redundant_bytes},"paths":[{members}],"files":[{files}]}}'
            )

    def group_list() -> Lazy | Joined:
        if len(groups) > 20 and native_json_available():
            return Joined(lambda separator: json_group_items(tree, groups, separator))
        return Lazy(group_items)

    def temp_items() -> Iterator[Raw]:
        for i, rule in result.temp_files:
            yield Raw(
                file_json(i) + f',"kind":{_string(rule.kind.encode())},'
                f'"rule":{_string(rule.pattern.encode())}}}'
            )

    redundant_bytes = result.redundant_bytes
    temp_bytes = sum(sizes[i] for i, _rule in result.temp_files)
    temp_outside_groups = sum(sizes[i] for i, _rule in result.temp_files if i not in in_group)
    folders = result.duplicate_folders
    options = result.options
    return {
        "menage": __version__,
        "schema": SCHEMA,
        "scan_id": result.scan_id,
        "started": result.started.isoformat(),
        "duration_s": round(result.duration_s, 3),
        "roots": [_text(r) for r in tree.roots],
        "complete": result.complete,
        "path_encoding": PATH_ENCODING,
        "options": {
            "follow_links": options.follow_links,
            "cross_devices": options.cross_devices,
            "excludes": list(options.excludes),
            "min_size": options.min_size,
            "older_than_s": options.older_than_s,
            "depth": options.depth,
            "region": options.region,
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
        "categories": {c: {"files": n, "bytes": b} for c, (n, b) in by_category.items()},
        "duplicates": {
            "groups": len(groups),
            "redundant_files": result.redundant_files,
            "redundant_bytes": redundant_bytes,
            "rate": round(result.duplicate_rate, 6),
            "items": group_list(),
        },
        "duplicate_folders": {
            "count": len(folders),
            "redundant_bytes": sum(f.redundant_bytes for f in folders),
            "items": [
                {
                    "paths": [_text(tree.dirs[d]) for d in f.dirs],
                    "files": f.files,
                    "size": f.size,
                    "redundant_bytes": f.redundant_bytes,
                }
                for f in folders
            ],
        },
        "empty_files": {
            "count": len(result.empty_files),
            "items": files_of(result.empty_files),
        },
        "empty_dirs": {
            "count": len(result.empty_dirs),
            "items": [_text(tree.dirs[d]) for d in result.empty_dirs],
        },
        "big_files": {
            "count": len(result.big_files),
            "bytes": sum(sizes[i] for i in result.big_files),
            "items": files_of(result.big_files),
        },
        "old_files": {
            "older_than_s": options.older_than_s,
            "count": len(result.old_files),
            "bytes": sum(sizes[i] for i in result.old_files),
            "items": files_of(result.old_files),
        },
        "temp_files": {
            "count": len(result.temp_files),
            "bytes": temp_bytes,
            "items": Lazy(temp_items),
        },
        "reclaimable": {
            "duplicates": redundant_bytes,
            "temp_files": temp_bytes,
            "total": redundant_bytes + temp_outside_groups,
        },
        "impact": storage_summary(redundant_bytes + temp_outside_groups, options.region).to_dict(),
        "by_folder": sorted(
            (
                {"path": _text(tree.dirs[d]), "files": n, "bytes": b, "duplicate_bytes": dup}
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
            key=lambda item: (-item["bytes"], item["uid"]),
        ),
        "errors": [
            {"path": _text(issue.path), "kind": issue.kind, "error": issue.detail}
            for issue in result.issues
        ],
        "special_files": [{"path": _text(p), "kind": k} for p, k in sorted(tree.specials)],
        "broken_links": [_text(p) for p in sorted(tree.broken_links)],
        "other_devices": [_text(p) for p in sorted(tree.other_devices)],
    }


_dumps = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode


def _write(value: Any, write: Callable[[str], object], depth: int) -> None:
    if isinstance(value, dict):
        write("{")
        for n, (key, item) in enumerate(value.items()):
            if n:
                write(",")
            write("\n" + "  " * (depth + 1) + _dumps(key) + ": ")
            _write(item, write, depth + 1)
        write("\n" + "  " * depth + "}")
    elif isinstance(value, Joined):
        separator = ",\n" + "  " * (depth + 1)
        started = False
        for text in value.make(separator) or ():
            if text:
                write((separator if started else "[\n" + "  " * (depth + 1)) + text)
                started = True
        write(("\n" + "  " * depth + "]") if started else "[]")
    elif isinstance(value, Lazy) or (isinstance(value, list) and len(value) > 20):
        # one item per line: greppable, and written as it is made, a thousand at a time
        separator = ",\n" + "  " * (depth + 1)
        write("[\n" + "  " * (depth + 1) if value else "[")
        chunk: list[str] = []
        first = True
        for item in value:
            chunk.append(item if isinstance(item, Raw) else _dumps(item))
            if len(chunk) == 1000:
                write(("" if first else separator) + separator.join(chunk))
                chunk, first = [], False
        if chunk:
            write(("" if first else separator) + separator.join(chunk))
        write(("\n" + "  " * depth + "]") if not (first and not chunk) else "]")
    else:
        write(_dumps(value))


def write_scan_json(
    result: ScanResult, stream: IO[str], summary: dict[str, Any] | None = None
) -> None:
    """Write the scan's JSON to ``stream`` without building it all in memory.

    The text is ASCII only (valid UTF-8 whatever the file names).
    """
    _write(summary if summary is not None else scan_summary(result), stream.write, 0)
    stream.write("\n")


def compressed_report(result: ScanResult, scan_id: int) -> bytes:
    """The report the index keeps: the JSON without the list of old files (the
    index's file listing has their dates), compressed."""
    summary = scan_summary(result)
    summary["scan_id"] = scan_id
    summary["old_files"] = {**summary["old_files"], "items": [], "items_omitted": True}
    compressor = zlib.compressobj(1)
    chunks: list[bytes] = []

    def write(text: str) -> None:
        chunks.append(compressor.compress(text.encode("ascii")))

    _write(summary, write, 0)
    chunks.append(compressor.flush())
    return b"".join(chunks)
