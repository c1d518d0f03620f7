"""A plan: the list of actions a cleanup will carry out, built from a scan's findings.

Two ways: from kinds of findings and rules (:func:`build_plan`: ``menage plan
--duplicates --temp``), or from findings and items a person chose one by one
(:func:`plan_selection`: the review page). Either way each path gets at most one
action, and kinds are taken in their declared order (duplicates, temporary files,
empty files and folders, old or big files): an item taken by an earlier kind is left
to it. A copy kept for a group of duplicates is never acted on by another finding,
so no plan removes every copy. Anything under Ménage's own folder or a quarantine is
left out: the quarantine must never look like a copy.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from menage.clean.archives import Archives
from menage.clean.errors import NothingSelected
from menage.clean.rules import (
    DEFAULT_RULES,
    KeepRule,
    Member,
    choose,
    folder_rules_touching,
    is_under,
    parse_rule,
)
from menage.errors import MenageError
from menage.files.columnar import old_cutoff_ns
from menage.files.listing import FileRow
from menage.findings import (
    FileItem,
    Finding,
    FolderItem,
    Item,
    ScanFindings,
    TempFile,
    UnknownFinding,
    all_kinds,
    kind_of,
)
from menage.i18n import N_, _

KINDS = ("quarantine", "trash", "hardlink", "reflink")
#: findings whose actions are near-duplicate photos: confirmed one by one, and the
#: photo kept verified by its content hash (menage.clean.photo_operations)
PHOTO_FINDINGS = ("similar_photos", "bursts")  # as menage.clean.photo_plan
#: actions that replace a duplicate by a link to its kept copy
LINK_KINDS = ("hardlink", "reflink")
QUARANTINE_DIRNAME = b".menage-quarantine"


def plannable_kinds() -> tuple[str, ...]:
    """The kinds of findings a plan may act on: those whose items the cleanup knows
    how to act on (files and folders today), in their order."""
    return tuple(k.key for k in all_kinds() if k.plannable and k.item in ("file", "folder"))


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
    #: temporary file kind, or why the photo kept is the best, for the reader of the plan
    detail: str | None = None
    #: line in the plan file (0 when the plan was built in memory)
    line: int = 0
    #: a near-duplicate photo: the kept photo's identity and content hash when planned
    keep_fingerprint: dict[str, Any] | None = None
    #: a near-duplicate photo: the person confirmed its removal (None: not a photo)
    confirmed: bool | None = None

    @property
    def source(self) -> str:
        """The journal's source of the action: ``photos`` for a near-duplicate."""
        return "photos" if self.finding in PHOTO_FINDINGS else "files"

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
    #: folders marked as archives in the configuration (a marker file marks others)
    archives: Sequence[bytes] = ()
    now: float | None = None

    #: other kinds to act on (those of analysers that have no option of their own)
    kinds: Sequence[str] = ()

    def rules(self) -> list[KeepRule]:
        return [parse_rule(text) for text in (self.keep or DEFAULT_RULES)]

    def selected_kinds(self) -> list[str]:
        """The kinds of findings chosen, in the order a plan takes them."""
        chosen = set(self.kinds)
        if self.duplicates:
            chosen.add("duplicates")
        if self.empty:
            chosen.update(("empty_files", "empty_dirs"))
        if self.temp:
            chosen.add("temp_files")
        # --older-than and --larger choose among every file, both filters together
        if self.older_than_s is not None:
            chosen.add("old_files")
        elif self.larger is not None:
            chosen.add("big_files")
        return [k.key for k in all_kinds() if k.key in chosen]


class BadSelection(MenageError):
    template = N_("{id}: {detail}")


def _files(items: Iterable[Item]) -> Iterator[FileItem]:
    return (item for item in items if isinstance(item, FileItem))


def _action(
    kind: str,
    finding: str,
    item: Item,
    path: bytes | None = None,
    keep: bytes | None = None,
    group: int | None = None,
    detail: str | None = None,
) -> Action:
    """The action of ``kind`` on ``item`` (on ``path``, one of its links, if given)."""
    if isinstance(item, FolderItem):
        return Action(kind, item.path, finding)
    if not isinstance(item, FileItem):
        raise BadSelection(
            id=finding,
            detail=_("the cleanup cannot act on {source} items yet").format(source=item.source),
        )
    return Action(
        kind=kind,
        path=item.path if path is None else path,
        finding=finding,
        size=item.size,
        device=item.device,
        inode=item.inode,
        mtime_ns=item.mtime_ns,
        keep=keep,
        group=group,
        detail=detail,
    )


class _Builder:
    """A plan being made: each path once, kept copies never, Ménage's folders never."""

    def __init__(self, scanned: ScanFindings, options: PlanOptions) -> None:
        self.options = options
        self.rules = options.rules()
        self.excluded = [os.path.abspath(f) for f in options.excluded]
        self.archives = Archives(options.archives, scanned.roots)
        #: files left out because they are in archives folders
        self.archived: set[bytes] = set()
        self.plan = Plan(
            scan_id=scanned.scan_id,
            roots=list(scanned.roots),
            actions=[],
            keep_rules=[str(r) for r in self.rules],
        )
        self.taken: set[bytes] = set()
        self.kept: set[bytes] = set()
        self.kept_left = 0
        self.all_protected = 0
        self.groups_seen = 0
        #: temporary files being cleaned too: never the kept copy of a group
        self.temp_paths: set[bytes] = set()
        #: folder rules that had a copy in their folder in at least one group
        self.rules_used: set[str] = set()
        #: photo groups left alone: their kept photo changed or is removed by another action
        self.photos_left = 0
        #: near-duplicate actions are confirmed (the person picked them) or proposals
        self.confirmed = False
        # duplicates may be replaced by links; anything else is moved away
        self.simple_kind = "trash" if options.action == "trash" else "quarantine"

    def hidden(self, path: bytes) -> bool:
        if b"/" + QUARANTINE_DIRNAME + b"/" in path + b"/":
            return True
        if any(is_under(path, folder) for folder in self.excluded):
            return True
        if path in self.archived or self.archives.of(path) is not None:
            self.archived.add(path)
            return True
        return False

    def add(self, action: Action) -> None:
        if action.path in self.kept:
            if action.group is None:
                self.kept_left += 1
            return
        if action.path in self.taken or self.hidden(action.path):
            return
        self.taken.add(action.path)
        self.plan.actions.append(action)

    def group(self, finding: Finding, remove: Collection[int] | None = None) -> None:
        """Act on a group that keeps one item: the keep rules choose, or ``remove``
        (positions of items, from 0) says which go, and the others stay."""
        if finding.KIND in PHOTO_FINDINGS:
            self.photo_group(finding, remove)
            return
        files = [f for f in _files(finding.items) if not self.hidden(f.path)]
        if len(files) < 2:
            return
        by_path = {f.path: f for f in files}
        if remove is None:
            members = [Member(f.path, f.mtime_ns) for f in files if f.path not in self.temp_paths]
            if not members:
                return  # copies of one temporary file: --temp takes them all
            self.groups_seen += 1
            self.rules_used |= folder_rules_touching(members, self.rules)
            choice = choose(members, self.rules)
            keep = [m.path for m in choice.keep]
            gone = [m.path for m in choice.remove]
            gone += [f.path for f in files if f.path in self.temp_paths]
            reason = choice.reason + (" (tie: first by path)" if choice.tie else "")
        else:
            chosen = {finding.items[n].key for n in remove}
            keep = [f.path for f in files if f.path not in chosen]
            gone = [f.path for f in files if f.path in chosen]
            reason = "chosen"
        self.kept.update(keep)
        # the links of a kept inode are the same file: they stay too
        for path in keep:
            self.kept.update(by_path[path].links)
        if not gone:
            self.all_protected += 1
            return
        if not keep:
            return  # the copies not chosen are all in Ménage's folders: none may go
        for path in gone:
            item = by_path[path]
            # every link of a removed inode goes too, or no byte would be freed
            for each in (path, *item.links):
                self.add(
                    _action(
                        self.options.action,
                        finding.KIND,
                        item,
                        path=each,
                        keep=keep[0],
                        group=finding.number,
                        detail=reason,
                    )
                )

    def photo_group(self, finding: Finding, remove: Collection[int] | None = None) -> None:
        """Near-duplicate photos (:func:`menage.clean.photo_plan.choose`): the best shot
        stays; each removal is confirmed only when the person picked it."""
        from menage.clean.photo_plan import choose as choose_photos

        choice = choose_photos(finding, remove, lambda p: p in self.taken or self.hidden(p))
        if choice is None:
            self.photos_left += 1
            return
        self.kept.update(choice.staying)
        for item in choice.removed:
            action = _action(
                self.simple_kind,
                finding.KIND,
                item,
                keep=choice.keep,
                group=finding.number,
                detail=choice.why,
            )
            action.keep_fingerprint = choice.fingerprint
            action.confirmed = self.confirmed
            self.add(action)

    def items(self, finding: Finding, positions: Iterable[int] | None = None) -> None:
        """Act on the items of a finding (all of them, or those at ``positions``)."""
        detail = finding.temp_kind if isinstance(finding, TempFile) else None
        chosen = range(len(finding.items)) if positions is None else positions
        for n in chosen:
            self.add(_action(self.simple_kind, finding.KIND, finding.items[n], detail=detail))

    def finish(self) -> Plan:
        if self.groups_seen:
            for rule in self.rules:
                if rule.folder is not None and str(rule) not in self.rules_used:
                    self.plan.notes.append(f"rule-decided-nothing:{rule}")
        if self.all_protected:
            self.plan.notes.append(f"groups-all-protected:{self.all_protected}")
        if self.kept_left:
            self.plan.notes.append(f"kept-copies-left:{self.kept_left}")
        if self.photos_left:
            self.plan.notes.append(f"photo-groups-left:{self.photos_left}")
        if self.archived:
            self.plan.notes.append(f"archives-left:{len(self.archived)}")
        return self.plan


def build_plan(
    scanned: ScanFindings, options: PlanOptions, listing: Iterable[FileRow] | None = None
) -> Plan:
    """A plan from a scan's findings: the kinds chosen, the keep rules, the thresholds.

    Args:
        scanned: the scan's findings (``Index.scan_findings``).
        options: the kinds chosen, the keep rules, the action.
        listing: ``Index.listing`` of the scan's roots: ``--older-than`` and
            ``--larger`` then choose among every file, whatever thresholds the scan
            used for its own lists of old and biggest files.

    Raises:
        NothingSelected: no kind of finding was chosen.
        BadRule: a keep rule cannot be read.
    """
    selected = options.selected_kinds()
    if not selected:
        raise NothingSelected()
    builder = _Builder(scanned, options)
    builder.plan.selection = {
        "duplicates": options.duplicates,
        "empty": options.empty,
        "temp": options.temp,
        "older_than_s": options.older_than_s,
        "larger": options.larger,
        "action": options.action,
        **({"kinds": list(options.kinds)} if options.kinds else {}),
    }
    if options.temp:
        builder.temp_paths = {
            f.path for t in scanned.findings["temp_files"] for f in _files(t.items)
        }
    for key in selected:
        if key in ("old_files", "big_files"):
            _plan_old_or_big(scanned, options, builder, key, listing)
            continue
        keep_one = kind_of(key).keep_one
        for finding in scanned.findings[key]:
            if keep_one:
                builder.group(finding)
            else:
                builder.items(finding)
    return builder.finish()


def plan_selection(
    scanned: ScanFindings, chosen: Sequence[str], options: PlanOptions | None = None
) -> Plan:
    """A plan of the findings and items a person chose one by one (the review page).

    Args:
        scanned: the scan's findings (``Index.scan_findings``).
        chosen: ids: ``KIND/N`` for a whole finding (in a group that keeps one item,
            the keep rules choose it), ``KIND/N/M`` for the M-th item of a finding (in
            a group that keeps one, the items not chosen stay).
        options: the action and the keep rules (the kinds chosen there are ignored).

    Raises:
        NothingSelected: nothing was chosen.
        UnknownFinding: an id names no finding or item of this scan.
        BadSelection: the cleanup cannot act on that kind yet, or every item of a
            group that keeps one was chosen.
    """
    options = options or PlanOptions()
    if not chosen:
        raise NothingSelected()
    picked: dict[str, tuple[Finding, set[int] | None]] = {}
    for text in chosen:
        finding_id, item = _split_id(text)
        finding = scanned.findings.finding(finding_id)
        if not finding.kind.plannable:
            raise BadSelection(id=text, detail=_("the cleanup cannot act on this kind yet"))
        if item is not None and not 1 <= item <= len(finding.items):
            raise UnknownFinding(id=text)
        _known, positions = picked.get(finding.id, (finding, set()))
        if item is None or positions is None:
            picked[finding.id] = (finding, None)  # the whole finding
        else:
            picked[finding.id] = (finding, positions | {item - 1})
    builder = _Builder(scanned, options)
    # the person named each finding or photo: near-duplicates picked are confirmed
    builder.confirmed = True
    builder.plan.selection = {"chosen": list(chosen), "action": options.action}
    order = {kind.key: n for n, kind in enumerate(all_kinds())}
    for finding, positions in sorted(
        picked.values(), key=lambda pair: (order[pair[0].KIND], pair[0].number)
    ):
        if not finding.kind.keep_one:
            builder.items(finding, sorted(positions) if positions is not None else None)
        elif positions is not None and len(positions) == len(finding.items):
            raise BadSelection(id=finding.id, detail=_("every item was chosen: one must stay"))
        else:
            builder.group(finding, positions)
    return builder.finish()


def _split_id(text: str) -> tuple[str, int | None]:
    parts = text.split("/")
    if len(parts) == 2:
        return text, None
    if len(parts) == 3 and parts[2].isdigit():
        return f"{parts[0]}/{parts[1]}", int(parts[2])
    raise UnknownFinding(id=text)


def _plan_old_or_big(
    scanned: ScanFindings,
    options: PlanOptions,
    builder: _Builder,
    key: str,
    listing: Iterable[FileRow] | None,
) -> None:
    import time

    now = options.now if options.now is not None else time.time()
    kind = builder.simple_kind
    if listing is not None:
        cutoff_ns = (
            old_cutoff_ns(now, options.older_than_s) if options.older_than_s is not None else None
        )
        larger = options.larger
        for row in listing:
            if row.size == 0:
                continue  # empty files are chosen with --empty
            if cutoff_ns is not None and row.mtime_ns >= cutoff_ns:
                continue
            if larger is not None and row.size < larger:
                continue
            builder.add(
                _action(kind, key, FileItem(row.path, row.size, row.mtime_ns, row.dev, row.ino))
            )
        return
    items = [item for finding in scanned.findings[key] for item in _files(finding.items)]
    if options.older_than_s is not None:
        scanned_s = float(scanned.findings.settings.get("older_than_s") or 0)
        if options.older_than_s < scanned_s:
            builder.plan.notes.append(f"old-files-limited:{scanned_s}")
        cutoff_ns = old_cutoff_ns(now, options.older_than_s)
        items = [i for i in items if i.mtime_ns < cutoff_ns]
    elif items and options.larger is not None and min(i.size for i in items) >= options.larger:
        builder.plan.notes.append(f"big-files-limited:{len(items)}")
    if options.larger is not None:
        items = [i for i in items if i.size >= options.larger]
    for item in items:
        builder.add(_action(kind, key, item))
