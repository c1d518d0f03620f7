"""Opening the journal for a command that changes files: lock, then recover."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from menage.clean.errors import PlanInvalid
from menage.clean.journal import Journal, default_journal_path
from menage.clean.plan import Plan
from menage.clean.recovery import Recovered, recover
from menage.i18n import _


@contextlib.contextmanager
def cleanup_session(
    path: str | os.PathLike[str] | None = None, wait: float = 0, purging: bool = False
) -> Iterator[tuple[Journal, Recovered]]:
    """The locked journal, with whatever a killed command left half done settled.

    Args:
        path: the journal (default: the one in Ménage's data folder).
        wait: seconds to wait for another cleanup to end.
        purging: for ``purge``, which must run on a full disk (see
            :mod:`menage.clean.storage`).

    Raises:
        JournalBusy: another apply, undo or purge is running.
        JournalError: the journal cannot be used.
    """
    with Journal(path or default_journal_path(), lock=True, wait=wait, purging=purging) as journal:
        recovered = recover(journal)
        yield journal, recovered


def applied_by(digest: str, path: str | os.PathLike[str] | None = None) -> int | None:
    """The run whose moves of this very plan still stand, read without taking the lock
    (None when there is none, or no journal yet): asked before the confirmation, so
    that a plan applied twice says so in one line instead of skipping every action."""
    journal_path = Path(path or default_journal_path())
    if not journal_path.exists():
        return None
    with Journal(journal_path, lock=False, read_only=True) as journal:
        return journal.applied_run(digest)


def excluded_folders() -> tuple[bytes, ...]:
    """Folders no plan may touch, by their path: Ménage's own state (index, journal,
    quarantine). Every action also checks them by identity before it acts
    (:mod:`menage.clean.bounds`)."""
    from menage.home import menage_home

    return (os.fsencode(os.path.abspath(menage_home())),)


def check_paths(plan: Plan, shown: str) -> None:
    """Every path of a plan must lie in its roots once links are resolved, and outside
    Ménage's own folders (by identity): a hand-edited plan cannot reach elsewhere
    through a symbolic link.

    Raises:
        PlanInvalid: the first action that leaves them, with its line.
    """
    from menage.clean.bounds import Bounds
    from menage.files.names import escape

    bounds = Bounds(plan.roots)
    for number, action in enumerate(plan.actions, start=1):
        for path in (action.path, action.keep):
            if path is None:
                continue
            reason = bounds.refuse(path)
            if reason is not None:
                raise PlanInvalid(
                    path=shown,
                    line=action.line or number,
                    detail=_("{path} is {reason}").format(path=escape(path), reason=reason),
                )


def scan_roots(index_path: str | os.PathLike[str], scan_id: int) -> list[bytes] | None:
    """The roots of a scan, read without writing to the index (None: no such scan).

    A full disk is when people clean up, and SQLite cannot open a WAL database for
    writing there; the index is then read as an immutable file.

    Raises:
        MenageError: the index cannot be read at all.
    """
    from menage.errors import MenageError, NoSuchScan
    from menage.files.index import Index
    from menage.files.names import from_json

    try:
        with Index(index_path) as index:
            report = index.scan_report(scan_id)
        return [from_json(r) for r in report["roots"]]
    except NoSuchScan:
        return None
    except MenageError as error:
        try:
            return _read_roots_immutable(index_path, scan_id)
        except OSError:
            raise error from None


def _read_roots_immutable(path: str | os.PathLike[str], scan_id: int) -> list[bytes] | None:
    import json
    import sqlite3
    import urllib.parse
    import zlib

    from menage.files.names import from_json

    uri = "file:" + urllib.parse.quote(os.fspath(path)) + "?immutable=1"
    try:
        db = sqlite3.connect(uri, uri=True)
        try:
            row = db.execute("SELECT report FROM scans WHERE id = ?", (scan_id,)).fetchone()
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise OSError(str(exc)) from None
    if row is None:
        return None
    return [from_json(r) for r in json.loads(zlib.decompress(row[0]))["roots"]]


def check_against_index(plan: Plan, index: str | os.PathLike[str], shown: str) -> None:
    """A plan's roots must be those of its scan: a header edited to widen them is refused.

    Raises:
        PlanInvalid: the roots differ from the scan's, or the scan is unknown.
    """
    if plan.scan_id is None:
        return
    roots = scan_roots(index, plan.scan_id)
    if roots is None:
        raise PlanInvalid(
            path=shown,
            line=_header_line(shown),
            detail=_("scan {scan} is not in the index; make a new plan with `menage plan`").format(
                scan=plan.scan_id
            ),
        )
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


def check_archives(plan: Plan, archives: tuple[bytes, ...], shown: str) -> None:
    """No action of a plan may lie in a folder marked as archives (configured, or with a
    ``.menage-archives`` file): checked again at apply time, since a plan can be edited
    by hand or made before the mark.

    Raises:
        PlanInvalid: the first action in an archives folder, with its line.
    """
    from menage.clean.archives import Archives
    from menage.files.names import escape

    marked = Archives(archives, plan.roots)
    for number, action in enumerate(plan.actions, start=1):
        folder = marked.of(action.path)
        if folder is not None:
            raise PlanInvalid(
                path=shown,
                line=action.line or number,
                detail=_(
                    "{path} is in {folder}, a folder marked as archives: archives are never "
                    "cleaned (public archives may only be destroyed with the archives "
                    "service's approval). Remove the line, or the mark."
                ).format(path=escape(action.path), folder=escape(folder)),
            )
