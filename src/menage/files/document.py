"""The JSON document of a files scan: schema 1, documented in the README.

Top level: ``menage`` (version), ``schema`` (1), ``scan_id``, ``started``,
``duration_s``, ``roots``, ``complete``, ``path_encoding``, ``options``, ``total``,
``categories``, then one section per kind of finding (``duplicates``,
``duplicate_folders``, ``temp_files``, ``empty_files``, ``empty_dirs``,
``old_files``, ``big_files``, and those of any other analyser: see
:mod:`menage.findings.jsonform`), ``reclaimable``, ``impact``, ``by_folder``,
``by_owner``, ``errors``, ``special_files``, ``broken_links``, ``other_devices``.
Paths follow :mod:`menage.files.names` (PEP 383 escapes).

``menage scan --json`` writes it (:mod:`menage.report.json`), and the index keeps it,
compressed, in two parts: its lists, and the rest (:func:`compressed_document`,
:mod:`menage.files.report_store`).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from menage._fs import owner_name
from menage._jsonstream import Lazy, write_json
from menage._version import __version__
from menage.files.columnar import mask, totals
from menage.files.folders import folder_of_depth
from menage.files.report_store import CLOCK_LISTS, ListsWriter, StoredLists, placeholder
from menage.files.result import ScanResult
from menage.findings import SCHEMA, sections
from menage.impact.summary import storage_summary

PATH_ENCODING = "utf-8; undecodable bytes as U+DC80..U+DCFF (PEP 383 surrogateescape)"


def _owner_name(uid: int) -> str:
    return owner_name(uid)


def _text(path: bytes) -> str:
    return path.decode("utf-8", "surrogateescape")


def scan_summary(result: ScanResult) -> dict[str, Any]:
    """The scan as JSON-ready data, with the long lists made as they are written.

    The totals are computed once per result; each call returns a new top-level dict.
    """
    if result.summary_cache is None:
        result.summary_cache = _summary(result)
    return {**result.summary_cache, "scan_id": result.scan_id}


def _summary(result: ScanResult) -> dict[str, Any]:
    tree = result.tree
    extra = result.extra_links
    in_group = chain.from_iterable(g.files for g in result.duplicates.groups)
    depth_of = folder_of_depth(tree, result.options.depth)
    # in the native core when it is built, without a Python loop per file
    counted = totals(tree, mask(len(tree), extra), mask(len(tree), in_group), depth_of)
    by_category, by_folder, by_owner = counted.categories, counted.by_folder, counted.by_owner

    options = result.options
    reclaimable = result.findings.reclaimable()
    facts = document_facts(result)
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
        **sections(result.findings, facts),
        **({"photos": result.photos} if result.photos is not None else {}),
        "reclaimable": reclaimable.to_json(),
        "impact": storage_summary(reclaimable.total, options.region).to_dict(),
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


def document_facts(result: ScanResult) -> dict[str, Any]:
    """What the kinds' sections may need from the scan (see
    :func:`menage.findings.jsonform.section`)."""
    return {"scanned_bytes": result.total_bytes, "older_than_s": result.options.older_than_s}


@dataclass
class StoredDocument:
    """What the index keeps of a scan (see :mod:`menage.files.report_store`)."""

    #: the document without its lists (each a ``{"$list":N}``), compressed
    skeleton: bytes
    #: each list's length in bytes and all their text, compressed (in a temporary file
    #: until stored); None: the lists given to :func:`compressed_document` were used as
    #: they are
    lengths: list[int | None] | None
    texts: ListsWriter | None
    #: the row whose lists stand where ``lengths`` says None (only the lists that
    #: depend on the clock were made again)
    base: int | None = None
    #: the whole document, read again from the skeleton and ``texts`` when printed
    #: (``keep_text``); it then owns ``texts``
    text: ListedText | None = None


def _count_lazy(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_count_lazy(item) for item in value.values())
    return 1 if isinstance(value, Lazy) else 0


def compressed_document(
    result: ScanResult,
    scan_id: int,
    full: Callable[[bytes], object] | None = None,
    previous: StoredLists | None = None,
    summary: dict[str, Any] | None = None,
    keep_text: bool = False,
) -> StoredDocument:
    """What the index keeps of a scan: its JSON document in two parts, compressed.

    With ``full``, the whole document (as ``menage scan --json`` prints it, newline
    included) is given to it too, in the same pass: each part is encoded once. With
    ``keep_text``, ``full`` is not called: the document's ``text`` reads the whole
    again from the skeleton's text and the compressed lists (see :class:`ListedText`).
    With
    ``previous`` (an earlier scan's lists, known to be this one's), the lists are taken
    from it, neither encoded nor compressed again (when a file crossed the age limit
    since, the old files' list is made again and the lists stored anew). ``summary``
    (an earlier scan's skeleton with this one's number and times, its lists those of
    ``previous``: :meth:`menage.files.report_store.ReusedScan.summary`) stands for the
    result's, which is then not made.
    """
    if summary is None:
        summary = scan_summary(result)
        summary["scan_id"] = scan_id
    if previous is not None and _count_lazy(summary) != len(previous.lengths):
        previous = None
    skeleton = zlib.compressobj(1)
    parts: list[bytes] = []
    lists = ListsWriter() if previous is None or not previous.timely else None
    lengths: list[int | None] = []
    length = 0

    # the skeleton's text and each list's number, in order, when the text is kept
    pieces: list[bytes | int] | None = [] if keep_text else None
    if pieces is not None:
        full = None

    def to_both(text: str) -> None:
        data = text.encode("ascii")
        parts.append(skeleton.compress(data))
        if full is not None:
            full(data)
        if pieces is not None:
            pieces.append(data)

    def to_lists(text: str) -> None:
        nonlocal length
        data = text.encode("ascii")
        length += len(data)
        assert lists is not None
        lists.write(data)
        if full is not None:
            full(data)

    def lazy(value: Lazy, depth: int) -> None:
        nonlocal length
        number = len(lengths)
        parts.append(skeleton.compress(placeholder(number).encode("ascii")))
        if pieces is not None:
            pieces.append(number)
        if previous is not None and (previous.timely or value.name not in CLOCK_LISTS):
            # taken as stored; after a crossing, left in their row (this one's base)
            if full is not None:
                for block in previous.take(number):
                    full(block)
            lengths.append(None)
            return
        if previous is not None and full is not None:
            for _block in previous.take(number):
                pass  # made again below (with pieces: skipped when printed)
        length = 0
        write_json(value, to_lists, depth)
        lengths.append(length)

    write_json(summary, to_both, 0, lazy)
    if full is not None:
        full(b"\n")
    parts.append(skeleton.flush())
    if pieces is not None:
        pieces.append(b"\n")
    if lists is None:
        stored = previous
        text = None
        if pieces is not None and stored is not None:
            text = ListedText(pieces, stored.take, stored.close)
            stored.kept = True
        return StoredDocument(b"".join(parts), None, None, text=text)
    text = None
    if pieces is not None:
        close = lists.close
        if previous is not None:
            previous.kept = True
            close = _both(lists.close, previous.close)
        text = ListedText(pieces, _each_list(lists.lists(lengths), lengths, previous), close)
    return StoredDocument(
        b"".join(parts), lengths, lists, previous.root if previous is not None else None, text
    )


def _both(first: Callable[[], None], second: Callable[[], None]) -> Callable[[], None]:
    def close() -> None:
        try:
            first()
        finally:
            second()

    return close


def _each_list(
    made: Callable[[int], Iterator[bytes]], lengths: list[int | None], stored: StoredLists | None
) -> Callable[[int], Iterator[bytes]]:
    """List ``n``'s text: made in this scan, or (``lengths[n]`` None) as ``stored`` holds
    it; the stored lists are read in order, those made again skipped."""

    def take(number: int) -> Iterator[bytes]:
        if stored is not None:
            kept = stored.take(number)
            if lengths[number] is None:
                yield from kept
                return
            for _block in kept:
                pass  # made again
        yield from made(number)

    return take


class ListedText:
    """A scan's whole document, printed from the skeleton's text (a few KB) with each
    list read again where it stands, from the lists' compressed blocks: those made in
    this scan from the writer's temporary file, those an earlier scan stored from its
    row. A 200,000-file scan's 57 MB of text are neither written to a temporary file
    nor read back from one, only decompressed. Printed once."""

    def __init__(
        self,
        pieces: list[bytes | int],
        take: Callable[[int], Iterator[bytes]],
        close: Callable[[], None] | None = None,
    ) -> None:
        self._pieces = pieces
        self._take = take
        self._close = close

    def blocks(self) -> Iterator[bytes]:
        for piece in self._pieces:
            if isinstance(piece, bytes):
                yield piece
            else:
                yield from self._take(piece)

    def close(self) -> None:
        if self._close is not None:
            self._close()
