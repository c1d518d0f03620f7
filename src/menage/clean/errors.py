"""Errors of the cleanup (plan, apply, undo, purge), with their exit codes.

* CleanError (exit 1)
  + PlanInvalid (exit 6): the plan file has mistakes; nothing was applied
  + PlanNotRead: the plan file cannot be opened (missing, permission denied)
  + JournalError (exit 7)
    - JournalCorrupted, JournalEmpty, JournalForeign, JournalTooNew, JournalBusy,
      JournalReadOnly, JournalUpgradeFailed
  + NotConfirmed (exit 8): the user said no, or there is no terminal to ask and no --yes
  + AlreadyApplied (exit 3): the same plan's earlier run still stands
  + NoSuchRun, NothingToUndo, NothingSelected
"""

from __future__ import annotations

from menage.errors import (
    EXIT_INCOMPLETE,
    EXIT_JOURNAL,
    EXIT_NOT_CONFIRMED,
    EXIT_PLAN,
    MenageError,
)
from menage.i18n import N_


class CleanError(MenageError):
    template = N_("{detail}")


class PlanInvalid(CleanError):
    """A plan file that cannot be applied; ``line`` is 1-based (0: the whole file)."""

    template = N_("{path}, line {line}: {detail}. Nothing was applied.")
    exit_code = EXIT_PLAN


class PlanUnreadable(PlanInvalid):
    template = N_("{path}: {detail}. Nothing was applied.")


class PlanNotRead(CleanError):
    """The plan file could not be opened (missing, no permission): not a plan with a
    mistake, so not exit 6."""

    template = N_("{path}: {detail}. Nothing was applied.")


class JournalError(CleanError):
    template = N_("cleanup journal {path}: {detail}")
    exit_code = EXIT_JOURNAL


class JournalCorrupted(JournalError):
    template = N_(
        "the cleanup journal {path} is damaged ({detail}). It was not changed. Quarantined "
        "files are still in {quarantine}, under their original paths."
    )


class JournalEmpty(JournalError):
    template = N_(
        "the cleanup journal {path} is empty (0 bytes): it was cut off, and without it "
        "Ménage no longer knows where the quarantined files are. It was not changed. They "
        "are still in {quarantine} (and in .menage-quarantine at the top of other disks), "
        "under their original paths: put back what you need by hand, then move the empty "
        "journal aside (mv {path} {path}.empty) to start a new one."
    )


class JournalReadOnly(JournalError):
    template = N_(
        "the cleanup journal {path} cannot be written ({detail}). Nothing was changed. "
        "Make {folder} writable, or set MENAGE_HOME to a folder you can write to (the "
        "journal of past runs stays in {folder})."
    )


class JournalForeign(JournalError):
    template = N_("{path} is not a Ménage cleanup journal; it was not changed.")


class JournalTooNew(JournalError):
    template = N_(
        "the cleanup journal {path} was written by a newer Ménage (format {found}, this "
        "version reads up to {supported}). Upgrade Ménage."
    )


class JournalUpgradeFailed(JournalError):
    template = N_(
        "the cleanup journal {path} is in format {found} and must be upgraded to format "
        "{supported}, which could not be written ({detail}). It was not changed. Free some "
        "space or make {folder} writable, then run the command again."
    )


class JournalBusy(JournalError):
    template = N_(
        "another Ménage cleanup is running (apply, undo or purge); try again when it ends."
    )


class NotConfirmed(CleanError):
    template = N_("{detail}")
    exit_code = EXIT_NOT_CONFIRMED


class NoSuchRun(CleanError):
    template = N_("there is no cleanup run {run}; `menage history` lists them.")


class AlreadyApplied(CleanError):
    """The same plan file was applied by a run whose moves still stand."""

    template = N_(
        "this plan was already applied by run {run}: nothing to do. "
        "`menage undo {run}` puts its files back."
    )
    exit_code = EXIT_INCOMPLETE


class NothingToUndo(CleanError):
    template = N_("nothing to undo: {detail}")


class NothingSelected(CleanError):
    template = N_(
        "choose what to clean: --duplicates, --empty, --temp, or --older-than / --larger. "
        "Ménage never plans to clean everything by default."
    )
