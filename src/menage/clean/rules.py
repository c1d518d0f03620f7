"""Keep rules: which copy of a duplicate group stays where it is.

Rules are applied in the order given, each narrowing the copies that may be kept:

* ``oldest`` / ``newest``: the copies with the earliest / latest modification time;
* ``shortest-path``: the copies with the shortest path;
* ``not-in DIR``: copies outside DIR (copies in DIR are removed first);
* ``in DIR``: a reference folder. Its copies are **never touched**; when a group has
  one there, every other copy is removed and the reference copies all stay. A group
  whose copies are all in reference folders gets no action.

Whatever remains after the rules, one copy is kept (the first by path, so that the
same scan always gives the same plan). A plan never removes every copy.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from menage.errors import EXIT_USAGE, MenageError
from menage.files.names import escape
from menage.i18n import N_

DEFAULT_RULES = ("oldest",)


class BadRule(MenageError):
    template = N_(
        "{rule!r} is not a keep rule; use oldest, newest, shortest-path, 'in DIR' or 'not-in DIR'"
    )
    exit_code = EXIT_USAGE


class KeepFolderMissing(BadRule):
    """A folder rule naming a folder that is not there: a mistyped reference folder would
    protect nothing, and its copies would be planned for removal."""

    template = N_(
        "--keep {rule!r}: {folder} is not a folder here. Check its spelling; nothing was planned."
    )


@dataclass(frozen=True)
class KeepRule:
    name: str
    folder: bytes | None = None

    def __str__(self) -> str:
        if self.folder is None:
            return self.name
        return f"{self.name} {escape(self.folder)}"


def parse_rule(text: str) -> KeepRule:
    """A rule from its text: ``oldest``, ``in ~/Reference``, ``not-in:/mnt/backup``.

    Raises:
        BadRule: not a known rule, or a folder rule without its folder.
        KeepFolderMissing: a folder rule whose folder does not exist.
    """
    stripped = text.strip()
    for name in ("not-in", "in"):
        for sep in (" ", ":", "="):
            if stripped.startswith(name + sep):
                folder = stripped[len(name) + 1 :].strip()
                if not folder:
                    raise BadRule(rule=text)
                absolute = under_folder(folder)
                if not os.path.isdir(absolute):
                    raise KeepFolderMissing(rule=text, folder=escape(absolute))
                return KeepRule(name, absolute)
    if stripped in ("oldest", "newest", "shortest-path"):
        return KeepRule(stripped)
    raise BadRule(rule=text)


def under_folder(folder: str | bytes) -> bytes:
    """The absolute form of a folder, as the scan writes its roots (no symlink resolution)."""
    return os.path.abspath(os.path.expanduser(os.fsencode(folder)))


def is_under(path: bytes, folder: bytes) -> bool:
    return path == folder or path.startswith(folder.rstrip(b"/") + b"/")


@dataclass(frozen=True)
class Member:
    """One copy in a duplicate group, as the rules see it."""

    path: bytes
    mtime_ns: int


@dataclass(frozen=True)
class Choice:
    """What the rules decided for one group."""

    keep: list[Member]
    remove: list[Member]
    #: the rule that decided (for the plan's comment)
    reason: str
    #: True when the copy kept was picked by path order among equals
    tie: bool = False


def folder_rules_touching(members: Sequence[Member], rules: Sequence[KeepRule]) -> set[str]:
    """The folder rules (as text) that have a copy of this group in their folder."""
    return {
        str(rule)
        for rule in rules
        if rule.folder is not None and any(is_under(m.path, rule.folder) for m in members)
    }


def choose(members: Sequence[Member], rules: Sequence[KeepRule]) -> Choice:
    """Split a duplicate group into the copies kept and the copies removed."""
    references = [r.folder for r in rules if r.name == "in" and r.folder is not None]
    protected = [m for m in members if any(is_under(m.path, f) for f in references)]
    if protected:
        others = [m for m in members if m not in protected]
        return Choice(protected, others, "in")
    candidates = sorted(members, key=lambda m: m.path)
    decided = "path"
    for rule in rules:
        narrowed = _narrow(candidates, rule)
        if narrowed and len(narrowed) < len(candidates):
            decided = str(rule)
        candidates = narrowed or candidates
        if len(candidates) == 1:
            break
    kept = candidates[0]
    tie = len(candidates) > 1
    return Choice([kept], [m for m in members if m is not kept], decided, tie)


def _narrow(candidates: list[Member], rule: KeepRule) -> list[Member]:
    if rule.name == "oldest":
        best = min(m.mtime_ns for m in candidates)
        return [m for m in candidates if m.mtime_ns == best]
    if rule.name == "newest":
        best = max(m.mtime_ns for m in candidates)
        return [m for m in candidates if m.mtime_ns == best]
    if rule.name == "shortest-path":
        shortest = min(len(m.path) for m in candidates)
        return [m for m in candidates if len(m.path) == shortest]
    if rule.name == "not-in" and rule.folder is not None:
        folder = rule.folder
        return [m for m in candidates if not is_under(m.path, folder)]
    return candidates
