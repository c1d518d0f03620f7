"""A workspace: where Ménage keeps its state, and the operations over it.

The command line and the Python API go through the same object::

    from menage import Workspace, PlanOptions

    ws = Workspace("/tmp/menage-state")          # or Workspace() for the default folder
    scanned = ws.scan(["~/Documents"])
    plan = ws.plan(PlanOptions(duplicates=True, keep=("oldest",)))
    outcome = ws.apply(plan)                      # files go to the quarantine
    print(ws.measures(outcome.run_id).as_dict())  # what left the folders, by finding
    ws.undo(outcome.run_id)                       # and everything is back

A workspace holds the index (scans and the hash cache), the journal (every cleanup
run, for undo and purge) and the quarantine. Its folder is the one its operations use
as Ménage's own: while an operation runs, :func:`menage.home.home_path` answers with
it, so the walk never enters it and no action touches it, whatever the path text.
Every operation keeps the guarantees of the command line: plans are checked against
their scan and their roots, every action re-checks its file at the last moment, and
only :meth:`Workspace.purge` deletes anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from menage.home import JOURNAL_NAME, home_path, menage_home, using_home

if TYPE_CHECKING:
    from menage.clean import Outcome, Plan, PlanOptions, PurgeOutcome, UndoOutcome
    from menage.clean.apply import ApplyProgress
    from menage.clean.measures import Measures
    from menage.clean.records import Run
    from menage.files.result import ScanOptions, ScanResult
    from menage.files.scan import ScanProgress
    from menage.findings import ScanFindings

__all__ = ["Workspace"]


class Workspace:
    """Ménage's state folder (index, journal, quarantine) and what can be done with it.

    Args:
        home: the folder; by default ``$MENAGE_HOME`` or the user data folder
            (``~/.local/share/menage`` on Linux). It is created on first use.
    """

    def __init__(self, home: str | os.PathLike[str] | None = None) -> None:
        self.home = Path(home).expanduser().absolute() if home is not None else home_path()

    def __repr__(self) -> str:
        return f"Workspace({str(self.home)!r})"

    @property
    def index_path(self) -> Path:
        return self.home / "index.sqlite"

    @property
    def journal_path(self) -> Path:
        return self.home / JOURNAL_NAME

    @property
    def quarantine_path(self) -> Path:
        return self.home / "quarantine"

    @contextmanager
    def active(self) -> Iterator[Path]:
        """Make this workspace the one Ménage's modules use, for the ``with`` block.

        Raises:
            HomeNotWritable: the folder cannot be created.
        """
        with using_home(self.home):
            yield menage_home()

    # -- files ------------------------------------------------------------------

    def scan(
        self,
        paths: Sequence[str | os.PathLike[str]],
        options: ScanOptions | None = None,
        progress: ScanProgress | None = None,
    ) -> ScanResult:
        """Scan folders; the scan and its findings are kept in the index.

        ``~`` in a path is expanded. With ``ScanOptions(photos=True)`` the photo
        analyser runs too, with the workspace's photo cache (``photos.sqlite``). See
        :func:`menage.files.scan.scan`.
        """
        from menage.files.index import Index
        from menage.files.scan import scan

        expanded = [os.path.expanduser(os.fspath(p)) for p in paths]
        with self.active(), Index(self.index_path) as index:
            if options is None or not options.photos:
                return scan(expanded, options, index=index, progress=progress)
            from menage.photos.cache import PhotoCache

            with PhotoCache(self.home / "photos.sqlite") as cache:
                return scan(expanded, options, index, progress, photo_cache=cache)

    def findings(self, scan_id: int | None = None) -> ScanFindings:
        """The findings of a stored scan (the latest by default).

        Raises:
            NoSuchScan: there is no such scan (or no scan yet).
        """
        from menage.files.index import Index

        with self.active(), Index(self.index_path) as index:
            return index.scan_findings(scan_id)

    def plan(
        self,
        options: PlanOptions | None = None,
        scan_id: int | None = None,
        picks: Sequence[str] = (),
    ) -> Plan:
        """A cleanup plan from a stored scan (the latest by default).

        Args:
            options: the kinds of findings, keep rules and action (default: duplicates,
                keep the oldest copy, quarantine).
            scan_id: the scan.
            picks: finding or item ids chosen one by one (``duplicates/3``,
                ``duplicates/3/2``, ``temp_files/5``): a plan of those only.

        Raises:
            NoSuchScan, NothingSelected, BadRule, UnknownFinding.
        """
        from menage.clean import PlanOptions, build_plan, excluded_folders, plan_selection
        from menage.files.index import Index

        if options is None:
            options = PlanOptions(duplicates=not picks)
        with self.active(), Index(self.index_path) as index:
            if not options.excluded:
                options = replace(options, excluded=excluded_folders())
            scanned = index.scan_findings(scan_id)
            if picks:
                return plan_selection(scanned, picks, options)
            listing = None
            if options.older_than_s is not None or options.larger is not None:
                listing = list(index.listing(scanned.roots))
            return build_plan(scanned, options, listing)

    def apply(self, plan: Plan, progress: ApplyProgress | None = None) -> Outcome:
        """Carry out a plan through the journal: nothing is deleted, everything can be
        undone. The plan is checked first, as ``menage apply`` checks a plan file.
        ``progress`` is called with (actions handled, actions in all, bytes handled).

        Raises:
            PlanInvalid: the plan's roots are not its scan's, or an action leaves them.
            JournalBusy: another cleanup is running.
        """
        from menage.clean import (
            apply_plan,
            check_against_index,
            check_paths,
            cleanup_session,
            format_plan,
            home_quarantine,
            plan_digest,
        )

        shown = repr(self)
        with self.active():
            check_against_index(plan, self.index_path, shown)
            check_paths(plan, shown)
            digest = plan_digest(format_plan(plan).encode("utf-8"))
            with cleanup_session(self.journal_path) as (journal, _recovered):
                return apply_plan(
                    plan, journal, home_quarantine(), digest, command="api", progress=progress
                )

    def undo(self, run_id: int | None = None) -> UndoOutcome:
        """Put back every file of a run (the latest with something to undo by default).

        Raises:
            NoSuchRun, NothingToUndo, JournalBusy.
        """
        from menage.clean import cleanup_session, run_to_undo, undo_run

        with self.active(), cleanup_session(self.journal_path) as (journal, _recovered):
            return undo_run(journal, run_to_undo(journal, run_id).id)

    def purge(self, run_id: int | None = None, older_than_s: float | None = None) -> PurgeOutcome:
        """Delete from the quarantine for good (a run's, or what is older than a delay;
        everything when neither is given). The only operation that deletes."""
        from menage.clean import cleanup_session, purge, purgeable

        with self.active():
            with cleanup_session(self.journal_path, purging=True) as (journal, _recovered):
                return purge(journal, purgeable(journal, older_than_s, run_id))

    def history(self) -> list[Run]:
        """Every cleanup run, oldest first."""
        from menage.clean.journal import Journal

        if not self.journal_path.exists():
            return []
        with self.active(), Journal(self.journal_path, lock=False) as journal:
            return journal.runs()

    def measures(self, run_id: int) -> Measures:
        """The measures of one run: files and bytes that left the folders (by finding,
        category and action), what was restored, and what a purge freed on disk, kept
        apart. The record ``menage submit`` sends, added up.

        Raises:
            NoSuchRun: there is no such run.
        """
        from menage.clean.errors import NoSuchRun
        from menage.clean.journal import Journal
        from menage.clean.measures import run_measures

        if not self.journal_path.exists():
            raise NoSuchRun(run=run_id)
        with self.active(), Journal(self.journal_path, lock=False) as journal:
            return run_measures(journal, journal.run(run_id))

    def all_measures(self) -> list[Measures]:
        """The measures of every run, oldest first."""
        from menage.clean.journal import Journal
        from menage.clean.measures import all_measures

        if not self.journal_path.exists():
            return []
        with self.active(), Journal(self.journal_path, lock=False) as journal:
            return all_measures(journal)
