"""A plan: the list of actions a cleanup will carry out, built from a scan's findings.

Each path gets at most one action. Findings are taken in this order: duplicates
(the keep rules choose the copies that stay), temporary files, empty files and
folders, old or big files. A copy kept for a duplicate group is never acted on by
another finding, so no plan removes every copy. Anything under Ménage's own folder
or a quarantine is left out: the quarantine must never look like a copy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from menage.clean.errors import NothingSelected
from menage.clean.rules import DEFAULT_RULES, KeepRule, Member, choose, is_under, parse_rule
from menage.files.listing import FileRow
from menage.files.names import from_json

KINDS = ("quarantine", "trash", "hardlink", "reflink")
#: actions that replace a duplicate by a link to its kept copy
LINK_KINDS = ("hardlink", "reflink")
FINDINGS = ("duplicates", "temp_files", "empty_files", "empty_dirs", "old_files", "big_files")
QUARANTINE_DIRNAME = b".menage-quarantine"


@dataclass
class Action:
    """One action on one path. ``device``, ``inode``, ``mtime_ns`` are as the scan saw it."""

    kind: str
    path: bytes
    finding: str
    size: int = 0
    device: int | None = None
    inode: int | None = None
    mtime_ns: int | None = None
    keep: bytes | None = None
    group: int | None = None
    #: temporary file kind, for the reader of the plan
    detail: str | None = None
    #: line in the plan file (0 when the plan was built in memory)
    line: int = 0

    @property
    def is_folder(self) -> bool:
        return self.finding == "empty_dirs"


@dataclass
class Plan:
    """A whole plan: where it comes from and its actions."""

    scan_id: int | None
    roots: list[bytes]
    actions: list[Action]
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    keep_rules: list[str] = field(default_factory=list)
    selection: dict[str, Any] = field(default_factory=dict)
    #: notes for the reader (groups left alone, ...), written as comments
    notes: list[str] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(a.size for a in self.actions)


@dataclass
class PlanOptions:
    """What ``menage plan`` selects and how it chooses the copies kept."""

    duplicates: bool = False
    empty: bool = False
    temp: bool = False
    older_than_s: float | None = None
    larger: int | None = None
    keep: Sequence[str] = DEFAULT_RULES
    action: str = "quarantine"
    #: folders never acted on (Ménage's own state; set by the caller)
    excluded: Sequence[bytes] = ()
    now: float | None = None

    def rules(self) -> list[KeepRule]:
        return [parse_rule(text) for text in (self.keep or DEFAULT_RULES)]


def build_plan(
    report: dict[str, Any], options: PlanOptions, listing: Iterable[FileRow] | None = None
) -> Plan:
    """Turn a scan report (``Index.scan_report``) into a plan.

    ``listing`` (``Index.listing`` of the scan's roots) lets ``--older-than`` and
    ``--larger`` choose among every file, whatever thresholds the scan used for its
    own lists of old and biggest files.

    Raises:
        NothingSelected: no finding was chosen.
        BadRule: a keep rule cannot be read.
    """
    if not (
        options.duplicates
        or options.empty
        or options.temp
        or options.older_than_s is not None
        or options.larger is not None
    ):
        raise NothingSelected()
    rules = options.rules()
    excluded = [os.path.abspath(f) for f in options.excluded]

    def hidden(path: bytes) -> bool:
        if b"/" + QUARANTINE_DIRNAME + b"/" in path + b"/":
            return True
        return any(is_under(path, folder) for folder in excluded)

    plan = Plan(
        scan_id=report.get("scan_id"),
        roots=[from_json(r) for r in report["roots"]],
        actions=[],
        keep_rules=[str(r) for r in rules],
        selection={
            "duplicates": options.duplicates,
            "empty": options.empty,
            "temp": options.temp,
            "older_than_s": options.older_than_s,
            "larger": options.larger,
            "action": options.action,
        },
    )
    taken: set[bytes] = set()
    kept: set[bytes] = set()

    def add(action: Action) -> None:
        if action.path in taken or action.path in kept or hidden(action.path):
            return
        taken.add(action.path)
        plan.actions.append(action)

    if options.duplicates:
        _plan_duplicates(report, options, rules, plan, add, kept, hidden)
    simple_kind = "trash" if options.action == "trash" else "quarantine"
    if options.temp:
        for item in report["temp_files"]["items"]:
            add(_file_action(simple_kind, "temp_files", item, detail=item.get("kind")))
    if options.empty:
        for item in report["empty_files"]["items"]:
            add(_file_action(simple_kind, "empty_files", item))
        for path in report["empty_dirs"]["items"]:
            add(Action(simple_kind, from_json(path), "empty_dirs"))
    if options.older_than_s is not None or options.larger is not None:
        _plan_old_or_big(report, options, plan, add, simple_kind, listing)
    skipped_kept = sum(
        1
        for key in ("temp_files", "empty_files", "old_files", "big_files")
        for item in report[key]["items"]
        if from_json(item["path"]) in kept and _selected(key, options)
    )
    if skipped_kept:
        plan.notes.append(f"kept-copies-left:{skipped_kept}")
    return plan


def _selected(key: str, options: PlanOptions) -> bool:
    return {
        "temp_files": options.temp,
        "empty_files": options.empty,
        "old_files": options.older_than_s is not None,
        "big_files": options.older_than_s is None and options.larger is not None,
    }[key]


def _file_action(
    kind: str, finding: str, item: dict[str, Any], detail: str | None = None
) -> Action:
    return Action(
        kind=kind,
        path=from_json(item["path"]),
        finding=finding,
        size=int(item["size"]),
        device=int(item["device"]),
        inode=int(item["inode"]),
        mtime_ns=int(item["mtime_ns"]),
        detail=detail,
    )


def _plan_duplicates(
    report: dict[str, Any],
    options: PlanOptions,
    rules: list[KeepRule],
    plan: Plan,
    add: Any,
    kept: set[bytes],
    hidden: Any,
) -> None:
    kind = options.action
    all_protected = 0
    for number, group in enumerate(report["duplicates"]["items"], start=1):
        files = [f for f in group["files"] if not hidden(from_json(f["path"]))]
        if len(files) < 2:
            continue
        by_path = {from_json(f["path"]): f for f in files}
        choice = choose([Member(p, int(f["mtime_ns"])) for p, f in by_path.items()], rules)
        kept.update(m.path for m in choice.keep)
        # the links of a kept inode are the same file: they stay too
        for member in choice.keep:
            kept.update(from_json(link) for link in by_path[member.path].get("links", ()))
        if not choice.remove:
            all_protected += 1
            continue
        keep_path = choice.keep[0].path
        for member in choice.remove:
            item = by_path[member.path]
            # every link of a removed inode goes too, or no byte would be freed
            for path in [member.path, *(from_json(link) for link in item.get("links", ()))]:
                add(
                    Action(
                        kind=kind,
                        path=path,
                        finding="duplicates",
                        size=int(group["size"]),
                        device=int(item["device"]),
                        inode=int(item["inode"]),
                        mtime_ns=int(item["mtime_ns"]),
                        keep=keep_path,
                        group=number,
                        detail=choice.reason + (" (tie: first by path)" if choice.tie else ""),
                    )
                )
    if all_protected:
        plan.notes.append(f"groups-all-protected:{all_protected}")


def _plan_old_or_big(
    report: dict[str, Any],
    options: PlanOptions,
    plan: Plan,
    add: Any,
    kind: str,
    listing: Iterable[FileRow] | None,
) -> None:
    import time

    if listing is not None:
        finding = "old_files" if options.older_than_s is not None else "big_files"
        now = options.now if options.now is not None else time.time()
        cutoff_ns = (
            int((now - options.older_than_s) * 1e9) if options.older_than_s is not None else None
        )
        larger = options.larger
        for row in listing:
            if row.size == 0:
                continue  # empty files are chosen with --empty
            if cutoff_ns is not None and row.mtime_ns >= cutoff_ns:
                continue
            if larger is not None and row.size < larger:
                continue
            item = {
                "path": row.path.decode("utf-8", "surrogateescape"),
                "size": row.size,
                "mtime_ns": row.mtime_ns,
                "device": row.dev,
                "inode": row.ino,
            }
            add(_file_action(kind, finding, item))
        return
    if options.older_than_s is not None:
        finding = "old_files"
        scanned_s = float(report["old_files"].get("older_than_s") or 0)
        if options.older_than_s < scanned_s:
            plan.notes.append(f"old-files-limited:{scanned_s}")
        now = options.now if options.now is not None else time.time()
        cutoff_ns = int((now - options.older_than_s) * 1e9)
        items = [i for i in report["old_files"]["items"] if int(i["mtime_ns"]) < cutoff_ns]
    else:
        finding = "big_files"
        items = list(report["big_files"]["items"])
        if len(items) == report["big_files"]["count"] and items:
            smallest = min(int(i["size"]) for i in items)
            if options.larger is not None and smallest >= options.larger:
                plan.notes.append(f"big-files-limited:{len(items)}")
    if options.larger is not None:
        items = [i for i in items if int(i["size"]) >= options.larger]
    for item in items:
        add(_file_action(kind, finding, item))
