"""Reversible cleanup: plan → apply through a write-ahead journal → undo, purge.

Public API::

    from menage.clean import PlanOptions, build_plan, plan_selection, write_plan, read_plan
    from menage.clean import cleanup_session, apply_plan, undo_run, measures

Nothing is deleted by ``apply``: files go to a quarantine (or the system trash) and
``undo`` brings them back; only ``purge`` deletes, and only from the quarantine.
"""

from __future__ import annotations

from menage.clean import (
    file_operations,  # noqa: F401  (registers the operations on files)
    photo_operations,  # noqa: F401  (and on near-duplicate photos)
)
from menage.clean.apply import Outcome, apply_plan, dry_run, home_quarantine
from menage.clean.errors import AlreadyApplied, NothingSelected
from menage.clean.journal import Journal, default_journal_path
from menage.clean.measures import Measures, all_measures, measures
from menage.clean.plan import Action, BadSelection, Plan, PlanOptions, build_plan, plan_selection
from menage.clean.planfile import format_plan, parse_plan, plan_digest, read_plan, write_plan
from menage.clean.purge import PurgeOutcome, purge, purgeable
from menage.clean.recovery import Recovered, recover
from menage.clean.session import (
    applied_by,
    check_against_index,
    check_archives,
    check_paths,
    cleanup_session,
    excluded_folders,
)
from menage.clean.undo import UndoOutcome, run_to_undo, undo_run
from menage.mail import operations as mail_operations  # noqa: F401  (and on mail)

__all__ = [
    "Action",
    "AlreadyApplied",
    "BadSelection",
    "Journal",
    "Measures",
    "NothingSelected",
    "Outcome",
    "Plan",
    "PlanOptions",
    "PurgeOutcome",
    "Recovered",
    "UndoOutcome",
    "all_measures",
    "applied_by",
    "apply_plan",
    "build_plan",
    "check_against_index",
    "check_archives",
    "check_paths",
    "dry_run",
    "cleanup_session",
    "default_journal_path",
    "excluded_folders",
    "format_plan",
    "home_quarantine",
    "measures",
    "parse_plan",
    "plan_selection",
    "plan_digest",
    "purge",
    "purgeable",
    "read_plan",
    "recover",
    "run_to_undo",
    "undo_run",
    "write_plan",
]
