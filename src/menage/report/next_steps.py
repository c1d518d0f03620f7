"""« What to do now? »: the three biggest gains of a scan and the command for each.

Copies and temporary files are cleaned through a plan (``menage plan … -o plan.json``
then ``menage apply plan.json``, undone by ``menage undo``); old and big files are
not copies, so they are looked at one by one on the review page (``menage review``).
Each step says what it frees (at most, for the ones chosen by hand).
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass

from menage.files.result import ScanResult
from menage.i18n import N_, _

#: steps shown
STEPS = 3
#: the plan file the commands write and apply
PLAN_FILE = "plan.json"


@dataclass(frozen=True)
class Step:
    """One thing to do: what, the command, what it frees."""

    kind: str
    title: str
    #: the commands to type, in order
    commands: tuple[str, ...]
    bytes: int
    #: True: what it frees is a most (the person chooses what goes)
    at_most: bool
    note: str


_TITLES = {
    "duplicates": N_("Remove the extra copies of duplicate files"),
    "temp_files": N_("Remove temporary and cache files"),
    "old_files": N_("Look through the old files"),
    "big_files": N_("Look through the biggest files"),
    "similar_photos": N_("Keep the best of similar photos"),
}
_NOTES = {
    "duplicates": N_(
        "One copy of each file stays (the oldest; --keep 'in FOLDER' chooses another). "
        "Read the plan before applying it; menage undo puts everything back."
    ),
    "temp_files": N_(
        "Programs make these files again when they need them. menage undo puts everything back."
    ),
    "old_files": N_(
        "Old is not useless: tick only what nobody needs any more. Public archives "
        "may only be destroyed with the archives service's agreement."
    ),
    "big_files": N_("Tick only what you no longer need; it goes to Ménage's bin, undo-able."),
    "similar_photos": N_("The best shot of each group stays; you confirm each group."),
}


def _quote(path: bytes) -> str:
    return shlex.quote(os.fsdecode(path))


def next_steps(result: ScanResult) -> list[Step]:
    """At most :data:`STEPS` steps: the plans that free the most, biggest first, then
    the review page for old (or else big) files, which people choose one by one."""
    findings = result.findings
    scan = [] if result.scan_id is None else [str(result.scan_id)]
    roots = " ".join(_quote(root) for root in result.tree.roots)
    plan = " ".join(["menage plan", *scan])
    apply = f"menage apply {PLAN_FILE}"
    candidates: list[tuple[int, str, tuple[str, ...], bool]] = []

    def add(key: str, freed: int, commands: tuple[str, ...], at_most: bool) -> None:
        if key in findings and freed > 0:
            candidates.append((freed, key, commands, at_most))

    def reclaimable(key: str) -> int:
        return findings[key].totals().reclaimable_bytes if key in findings else 0

    def total(key: str) -> int:
        return findings[key].totals().bytes if key in findings else 0

    add(
        "duplicates",
        reclaimable("duplicates"),
        (f"{plan} --duplicates -o {PLAN_FILE}", apply),
        False,
    )
    add("temp_files", reclaimable("temp_files"), (f"{plan} --temp -o {PLAN_FILE}", apply), False)
    add(
        "similar_photos",
        reclaimable("similar_photos"),
        (f"{plan} --similar-photos -o {PLAN_FILE}", apply),
        True,
    )
    candidates.sort(key=lambda c: -c[0])
    # then old (or else big) files, chosen by hand on the review page: not a sure gain
    review = (f"menage review {roots}",)
    add("old_files", total("old_files"), review, True)
    if all(key != "old_files" for _freed, key, _commands, _most in candidates):
        add("big_files", total("big_files"), review, True)
    steps = [
        Step(key, _(_TITLES[key]), commands, freed, at_most, _(_NOTES[key]))
        for freed, key, commands, at_most in candidates
    ]
    if len(steps) > STEPS and steps[-1].commands == review:
        # the review step stays: it is the only one for what is not a copy
        steps = [*steps[: STEPS - 1], steps[-1]]
    return steps[:STEPS]
