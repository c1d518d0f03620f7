"""What Ménage's bin (the quarantine) holds, and when it may be emptied."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from menage.i18n import format_date, format_number, format_size
from menage.units import format_age, format_age_short

if TYPE_CHECKING:
    from menage.workspace import Workspace

#: the delay the page suggests before emptying the bin for good
SUGGESTED_DAYS = 30


def holdings(workspace: Workspace, now: float | None = None) -> dict[str, Any]:
    """Files and bytes in the quarantine, by run, and the day they may be purged.

    Nothing is ever purged by itself: ``menage purge`` empties the quarantine when the
    person asks. The page suggests waiting :data:`SUGGESTED_DAYS` days.
    """
    from menage.clean import purgeable
    from menage.clean.journal import Journal

    now = time.time() if now is None else now
    files = size = 0
    oldest: float | None = None
    runs: set[int] = set()
    if workspace.journal_path.exists():
        with workspace.active(), Journal(workspace.journal_path, lock=False) as journal:
            for entry in purgeable(journal, now=now):
                files += 1
                size += entry.size
                runs.add(entry.run_id)
                if entry.done_at is not None:
                    oldest = entry.done_at if oldest is None else min(oldest, entry.done_at)
    purge_from = None
    if oldest is not None:
        purge_from = format_date(datetime.fromtimestamp(oldest) + timedelta(days=SUGGESTED_DAYS))
    return {
        "files": files,
        "files_text": format_number(files),
        "size": format_size(size),
        "runs": len(runs),
        "purge_from": purge_from,
        "days": SUGGESTED_DAYS,
        "wait": format_age(SUGGESTED_DAYS * 86400),
        "wait_option": format_age_short(SUGGESTED_DAYS * 86400),
        "path": str(workspace.quarantine_path),
    }
