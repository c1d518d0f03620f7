"""The plan file: JSON Lines with comments, made to be read and edited by people.

    # comment lines start with #; blank lines are ignored
    {"menage_plan": 1, "scan": 3, "roots": ["/home/ana"], "created": "...", "keep": ["oldest"]}
    {"action": "quarantine", "path": "/home/ana/b.pdf", "finding": "duplicates", ...}

The first JSON line is the header; every other is one action. Delete a line (or put
``#`` in front of it) to leave a file alone; change ``action`` to ``quarantine``,
``trash``, ``hardlink`` or ``reflink``. Paths are JSON strings in UTF-8 where a byte
that is not UTF-8 is written ``\\udcNN`` (PEP 383), so any name round-trips.

Reading checks every line and reports mistakes with their line number; a plan with
a mistake is never applied, not even in part.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import IO, Any

from menage.clean.errors import PlanInvalid, PlanNotRead, PlanUnreadable
from menage.clean.photo_plan import group_title, photo_fields
from menage.clean.plan import (
    KINDS,
    LINK_KINDS,
    PHOTO_FINDINGS,
    QUARANTINE_DIRNAME,
    Action,
    Plan,
    plannable_kinds,
)
from menage.clean.rules import is_under
from menage.errors import os_error_text
from menage.files.names import escape, from_json, to_json
from menage.i18n import N_, _, format_size, ngettext

FORMAT = 1
_FIELDS = ("device", "inode", "size", "mtime_ns")
_KNOWN_KEYS = {
    "action", "path", "finding", "keep", "group", "detail", "keep_fingerprint", "confirmed",
    *_FIELDS,
}  # fmt: skip


def _dumps(data: dict[str, Any]) -> str:
    # readable UTF-8; a lone surrogate (a byte that is not UTF-8) becomes \udcNN, which
    # is exactly JSON's escape for it
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _comment(text: str) -> str:
    return "".join(f"# {line}\n" for line in text.splitlines())


def format_plan(plan: Plan) -> str:
    """The text of a plan file."""
    out: list[str] = []
    out.append(
        _comment(
            _(
                "Ménage cleanup plan, made by `menage plan` from scan {scan}.\n"
                "One action per line. To leave a file alone, delete its line or put # in "
                "front of it.\n"
                "Actions: quarantine (move to Ménage's quarantine), trash (system trash), "
                "hardlink or reflink (duplicates only: replace by a link to the kept copy).\n"
                "`menage apply` checks every file again before acting (unchanged since the "
                "scan, same content as the kept copy); `menage undo` puts everything back."
            ).format(scan=plan.scan_id)
        )
    )
    count = len(plan.actions)
    out.append(
        _comment(
            ngettext("{n} action, {size}.", "{n} actions, {size}.", count).format(
                n=count, size=format_size(plan.bytes)
            )
        )
    )
    for note in plan.notes:
        out.append(_comment(note_text(note)))
    header = {
        "menage_plan": FORMAT,
        "scan": plan.scan_id,
        "created": plan.created,
        "roots": [to_json(r) for r in plan.roots],
        "keep": plan.keep_rules,
        "selection": plan.selection,
    }
    out.append(_dumps(header) + "\n")
    group: int | None = None
    finding: str | None = None
    for action in plan.actions:
        if action.finding != finding:
            finding = action.finding
            out.append("\n" + _comment(_finding_title(finding)))
        if action.group is not None and action.group != group and action.keep is not None:
            group = action.group
            if action.finding in PHOTO_FINDINGS:
                out.append(_comment(group_title(action.group, action.keep, action.detail)))
                out.append(_dumps(action_to_dict(action)) + "\n")
                continue
            out.append(
                _comment(
                    _("group {n}, {size} each: keep {path} ({rule})").format(
                        n=group,
                        size=format_size(action.size),
                        path=escape(action.keep),
                        rule=rule_text(action.detail or ""),
                    )
                )
            )
        out.append(_dumps(action_to_dict(action)) + "\n")
    return "".join(out)


#: why a copy was kept, as plans record it, and how the comment says it
_KEEP_REASONS = {
    "oldest": N_("the oldest"),
    "newest": N_("the newest"),
    "shortest-path": N_("the shortest path"),
    "path": N_("the first by path"),
    "chosen": N_("chosen by you"),
    "in": N_("in a reference folder"),
}
_TIE = " (tie: first by path)"


def rule_text(detail: str) -> str:
    """The rule that kept a copy, in words (the plan stores its short English key)."""
    base = detail.removesuffix(_TIE)
    if base.startswith("in "):
        text = _("in {folder}").format(folder=base[3:])
    elif base.startswith("not-in "):
        text = _("outside {folder}").format(folder=base[7:])
    else:
        text = _(_KEEP_REASONS[base]) if base in _KEEP_REASONS else base
    if detail.endswith(_TIE):
        return _("{rule}; tie: the first by path").format(rule=text)
    return text


def _finding_title(finding: str) -> str:
    from menage.findings import kind_of

    return _(kind_of(finding).plan_title)


def note_text(note: str) -> str:
    key, _sep, value = note.partition(":")
    if key == "groups-all-protected":
        return ngettext(
            "{n} duplicate group has every copy in a reference folder: no action.",
            "{n} duplicate groups have every copy in a reference folder: no action.",
            int(value),
        ).format(n=value)
    if key == "photo-groups-left":
        return ngettext(
            "{n} group of similar photos left out: its best photo changed since the scan "
            "or is removed by another action (scan again).",
            "{n} groups of similar photos left out: their best photo changed since the scan "
            "or is removed by another action (scan again).",
            int(value),
        ).format(n=value)
    if key == "kept-copies-left":
        return ngettext(
            "{n} file is the kept copy of a duplicate group: left alone.",
            "{n} files are kept copies of duplicate groups: left alone.",
            int(value),
        ).format(n=value)
    if key == "archives-left":
        return ngettext(
            "{n} file is in a folder marked as archives: never planned.",
            "{n} files are in folders marked as archives: never planned.",
            int(value),
        ).format(n=value)
    if key == "rule-decided-nothing":
        return _(
            "--keep {rule!r} decided nothing: no duplicate group has a copy in that folder."
        ).format(rule=value)
    if key == "old-files-limited":
        from menage.units import format_age

        return _(
            "The scan listed only files older than its own --older-than ({age}); "
            "scan again with a smaller --older-than to see younger files."
        ).format(age=format_age(float(value)))
    if key == "big-files-limited":
        return ngettext(
            "The scan listed only its biggest file; scan again with a larger --top to see more.",
            "The scan listed only its {n} biggest files; scan again with a larger --top "
            "to see more.",
            int(value),
        ).format(n=value)
    return note


def action_to_dict(action: Action) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": action.kind,
        "path": to_json(action.path),
        "finding": action.finding,
    }
    if action.keep is not None:
        data["keep"] = to_json(action.keep)
    if not action.is_folder:
        data.update(
            size=action.size, device=action.device, inode=action.inode, mtime_ns=action.mtime_ns
        )
    if action.group is not None:
        data["group"] = action.group
    if action.detail is not None and action.finding in ("temp_files", *PHOTO_FINDINGS):
        data["detail"] = action.detail
    if action.finding in PHOTO_FINDINGS:
        data["keep_fingerprint"] = action.keep_fingerprint
        data["confirmed"] = bool(action.confirmed)
    return data


def write_plan(plan: Plan, target: str | os.PathLike[str] | IO[str]) -> None:
    """Write a plan to a file or to an open text stream.

    A file is written by the rules of :mod:`menage.output` (``-``: standard output; a
    regular file is replaced atomically; a device or FIFO is written in place).

    Raises:
        OutputNotWritten: the file cannot be written.
    """
    text = format_plan(plan)
    if isinstance(target, (str, os.PathLike)):
        from menage.output import write_output

        write_output(target, text.encode("utf-8"))
    else:
        target.write(text)


def plan_digest(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


def read_plan(path: str | os.PathLike[str], excluded: tuple[bytes, ...] = ()) -> Plan:
    """Read and check a plan file.

    Args:
        path: the plan file.
        excluded: folders no action may touch (Ménage's own state).

    Raises:
        PlanNotRead: the file cannot be opened.
        PlanUnreadable: the file is not UTF-8, or not a plan at all.
        PlanInvalid: the first mistake, with its line number (and how many more).
    """
    shown = os.fspath(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PlanNotRead(path=shown, detail=os_error_text(exc)) from None
    return parse_plan(raw, shown, excluded)


def parse_plan(raw: bytes, shown: str = "plan", excluded: tuple[bytes, ...] = ()) -> Plan:
    """Check and parse the text of a plan file (see :func:`read_plan`)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanInvalid(path=shown, line=line, detail=_("not UTF-8 text")) from None
    problems: list[tuple[int, str]] = []
    header: dict[str, Any] | None = None
    plan: Plan | None = None
    seen: dict[bytes, int] = {}
    for number, text_line in enumerate(text.splitlines(), start=1):
        stripped = text_line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            problems.append((number, _("not valid JSON ({error})").format(error=exc.msg)))
            continue
        if not isinstance(data, dict):
            problems.append((number, _("expected a JSON object {...}")))
            continue
        if header is None:
            header = data
            plan = _header(data, number, problems)
            continue
        if plan is None:
            continue
        action = _action(data, number, plan, excluded, problems)
        if action is None:
            continue
        if action.path in seen:
            problems.append(
                (
                    number,
                    _("{path} already has an action on line {other}").format(
                        path=escape(action.path), other=seen[action.path]
                    ),
                )
            )
            continue
        seen[action.path] = number
        plan.actions.append(action)
    if header is None and not problems:
        problems.append((0, _("no header line: this is not a Ménage plan")))
    if plan is not None:
        for action in plan.actions:
            if action.keep is not None and action.keep in seen:
                problems.append(
                    (
                        seen[action.keep],
                        _(
                            "{path} is the kept copy for line {other}: a kept copy cannot be "
                            "removed too"
                        ).format(path=escape(action.keep), other=action.line),
                    )
                )
    if problems:
        problems.sort()
        line, detail = problems[0]
        if len(problems) > 1:
            detail += ngettext(
                " (and {n} more mistake, on line {lines})",
                " (and {n} more mistakes, on lines {lines})",
                len(problems) - 1,
            ).format(n=len(problems) - 1, lines=", ".join(str(n) for n, _d in problems[1:11]))
        if line == 0:
            raise PlanUnreadable(path=shown, detail=detail)
        raise PlanInvalid(path=shown, line=line, detail=detail)
    assert plan is not None
    return plan


def _header(data: dict[str, Any], number: int, problems: list[tuple[int, str]]) -> Plan | None:
    version = data.get("menage_plan")
    if version is None:
        problems.append((number, _('the first line must be the plan\'s header ("menage_plan")')))
        return None
    if version != FORMAT:
        problems.append(
            (
                number,
                _("plan format {found} is not supported (this Ménage reads {supported})").format(
                    found=version, supported=FORMAT
                ),
            )
        )
        return None
    roots = data.get("roots")
    if not isinstance(roots, list) or not roots or not all(isinstance(r, str) for r in roots):
        problems.append((number, _('the header needs "roots": the scanned folders')))
        return None
    scan = data.get("scan")
    selection = data.get("selection")
    return Plan(
        scan_id=scan if isinstance(scan, int) else None,
        roots=[from_json(r) for r in roots],
        actions=[],
        created=str(data.get("created", "")),
        keep_rules=[str(k) for k in data.get("keep", [])],
        selection=selection if isinstance(selection, dict) else {},
    )


def _action(
    data: dict[str, Any],
    number: int,
    plan: Plan,
    excluded: tuple[bytes, ...],
    problems: list[tuple[int, str]],
) -> Action | None:
    def fail(message: str) -> None:
        problems.append((number, message))

    kind = data.get("action")
    if kind not in KINDS:
        fail(
            _("unknown action {action}; use one of {known}").format(
                action=json.dumps(kind), known=", ".join(KINDS)
            )
        )
        return None
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        fail(_("unknown field {field}").format(field=json.dumps(unknown[0])))
        return None
    finding = data.get("finding")
    known = plannable_kinds()
    if finding not in known:
        fail(
            _("unknown finding {finding}; use one of {known}").format(
                finding=json.dumps(finding), known=", ".join(known)
            )
        )
        return None
    path = _path(data.get("path"), "path", plan, excluded, fail)
    if path is None:
        return None
    keep = None
    if "keep" in data:
        keep = _path(data.get("keep"), "keep", plan, excluded, fail)
        if keep is None:
            return None
        if keep == path:
            fail(_('"keep" is the file itself'))
            return None
    if kind in LINK_KINDS and (finding != "duplicates" or keep is None):
        fail(_('{action} is only for duplicates with a kept copy ("keep")').format(action=kind))
        return None
    if finding == "duplicates" and keep is None:
        fail(_('a duplicate needs its kept copy ("keep")'))
        return None
    photo = photo_fields(data, finding, kind, keep, fail)
    if photo is None:
        return None
    values: dict[str, int] = {}
    if finding != "empty_dirs":
        for name in _FIELDS:
            value = data.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                fail(
                    _(
                        '"{field}" must be a whole number from the scan (lines are made by '
                        "`menage plan`)"
                    ).format(field=name)
                )
                return None
            values[name] = value
    group = data.get("group")
    detail = data.get("detail")
    return Action(
        kind=kind,
        path=path,
        finding=finding,
        size=values.get("size", 0),
        device=values.get("device"),
        inode=values.get("inode"),
        mtime_ns=values.get("mtime_ns"),
        keep=keep,
        group=group if isinstance(group, int) else None,
        detail=detail if isinstance(detail, str) else None,
        line=number,
        keep_fingerprint=photo[0],
        confirmed=photo[1],
    )


def _path(
    value: Any, name: str, plan: Plan, excluded: tuple[bytes, ...], fail: Any
) -> bytes | None:
    if not isinstance(value, str) or not value:
        fail(_('"{field}" must be a path').format(field=name))
        return None
    path = from_json(value)
    if not path.startswith(b"/") or os.path.normpath(path) != path:
        fail(_("{path} is not an absolute, normalised path").format(path=escape(path)))
        return None
    if not any(is_under(path, root) and path != root for root in plan.roots):
        fail(
            _("{path} is outside the scanned folders ({roots})").format(
                path=escape(from_json(value)), roots=", ".join(escape(r) for r in plan.roots)
            )
        )
        return None
    if b"/" + QUARANTINE_DIRNAME + b"/" in path + b"/" or any(is_under(path, f) for f in excluded):
        fail(_("{path} is inside Ménage's own folder or a quarantine").format(path=escape(path)))
        return None
    return path
