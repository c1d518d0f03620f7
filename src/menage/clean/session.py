"""Opening the journal for a command that changes files: lock, then recover."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from menage.clean.errors import PlanInvalid
from menage.clean.journal import Journal, default_journal_path
from menage.clean.plan import Plan
from menage.clean.recovery import Recovered, recover
from menage.i18n import _

if TYPE_CHECKING:
    from menage.files.index import Index


@contextlib.contextmanager
def cleanup_session(
    path: str | os.PathLike[str] | None = None, wait: float = 0
) -> Iterator[tuple[Journal, Recovered]]:
    """The locked journal, with whatever a killed command left half done settled.

    Raises:
        JournalBusy: another apply, undo or purge is running.
        JournalError: the journal cannot be used.
    """
    with Journal(path or default_journal_path(), lock=True, wait=wait) as journal:
        recovered = recover(journal)
        yield journal, recovered


def excluded_folders() -> tuple[bytes, ...]:
    """Folders no plan may touch: Ménage's own state (index, journal, quarantine)."""
    from menage.home import menage_home

    return (os.fsencode(os.path.abspath(menage_home())),)


def check_against_index(plan: Plan, index: Index, shown: str) -> None:
    """A plan's roots must be those of its scan: a header edited to widen them is refused.

    Raises:
        PlanInvalid: the roots differ from the scan's, or the scan is unknown.
    """
    from menage.errors import NoSuchScan
    from menage.files.names import from_json

    if plan.scan_id is None:
        return
    try:
        report = index.scan_report(plan.scan_id)
    except NoSuchScan:
        raise PlanInvalid(
            path=shown,
            line=_header_line(shown),
            detail=_("scan {scan} is not in the index; make a new plan with `menage plan`").format(
                scan=plan.scan_id
            ),
        ) from None
    roots = [from_json(r) for r in report["roots"]]
    if sorted(roots) != sorted(plan.roots):
        raise PlanInvalid(
            path=shown,
            line=_header_line(shown),
            detail=_("the roots differ from those of scan {scan}").format(scan=plan.scan_id),
        )


def _header_line(shown: str) -> int:
    with contextlib.suppress(OSError):
        for number, line in enumerate(Path(shown).read_text("utf-8", "replace").splitlines(), 1):
            if line.strip() and not line.strip().startswith("#"):
                return number
    return 1
