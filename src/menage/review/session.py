"""One review: the folders offered and chosen, the scan running in the background, the
last findings, and when the person was last seen (the server stops when idle).

A :class:`Review` is shared by the server's threads; its fields change under its lock.
Everything it does to files goes through the :class:`~menage.Workspace`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from menage.errors import MenageError
from menage.files.result import ScanOptions
from menage.i18n import N_
from menage.review.folders import Offered

if TYPE_CHECKING:
    import ssl

    from menage.clean import Plan
    from menage.findings import ScanFindings
    from menage.review.mailbox import Mailbox
    from menage.workspace import Workspace

#: the progress stages of a scan, as the page names them
STAGES = {
    "walk": N_("Listing files"),
    "hash:whole": N_("Comparing small files"),
    "hash:head": N_("Comparing beginnings"),
    "hash:tail": N_("Comparing ends"),
    "hash:full": N_("Comparing contents"),
    "photos:decode": N_("Looking at the photos"),
    "photos:walk": N_("Looking for photos"),
}


@dataclass
class ScanJob:
    """A scan running in a thread, and what it said last."""

    roots: list[Path]
    stage: str = "walk"
    done: int = 0
    total: int | None = None
    finished: bool = False
    scan_id: int | None = None
    error: str | None = None
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def state(self) -> str:
        if not self.finished:
            return "running"
        return "error" if self.error is not None else "done"


@dataclass
class CleanJob:
    """A cleanup running in a thread (a big one: the page shows its progress)."""

    total: int
    done: int = 0
    bytes: int = 0
    finished: bool = False
    run_id: int | None = None
    error: str | None = None
    thread: threading.Thread | None = field(default=None, repr=False)


class Review:
    """The state of one review page.

    Args:
        workspace: where scans, the journal and the quarantine live.
        offered: the folders the page may scan; nothing else is accepted.
        timeout_s: seconds without a request after which the server stops.
        clock: the monotonic clock (tests pass their own).
    """

    def __init__(
        self,
        workspace: Workspace,
        offered: Sequence[Offered],
        timeout_s: float = 1800.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.workspace = workspace
        self.offered = list(offered)
        self.timeout_s = timeout_s
        self.clock = clock
        self.lock = threading.Lock()
        self.last_seen = clock()
        self.roots: list[Path] = []
        self.job: ScanJob | None = None
        self.notice: str | None = None
        self.busy = 0
        #: the language the person chose on the page (None: Ménage's, French first)
        self.lang: str | None = None
        #: the mailbox added on the page (its password in memory only)
        self.mailbox: Mailbox | None = None
        #: trusted certificates for one-click unsubscribing (None: the system's)
        self.ssl_context: ssl.SSLContext | None = None
        self._findings: dict[int, ScanFindings] = {}
        #: the cleanup running in the background, if any
        self.clean_job: CleanJob | None = None
        #: plans of at least this many actions run in the background, with a progress page
        self.background_from = 200

    # -- activity -----------------------------------------------------------------

    def seen(self) -> None:
        with self.lock:
            self.last_seen = self.clock()

    def idle(self) -> bool:
        """No request for ``timeout_s`` and nothing running: time to stop."""
        with self.lock:
            running = self.busy or (self.job is not None and not self.job.finished)
            return not running and self.clock() - self.last_seen >= self.timeout_s

    # -- scanning -----------------------------------------------------------------

    def start_scan(self, roots: list[Path]) -> ScanJob:
        """Scan ``roots`` in a thread (the one running, if a scan is running already)."""
        with self.lock:
            if self.job is not None and not self.job.finished:
                return self.job
            job = ScanJob(roots=list(roots))
            self.roots = list(roots)
            self.job = job
        job.thread = threading.Thread(target=self._scan, args=(job,), daemon=True)
        job.thread.start()
        return job

    def _scan(self, job: ScanJob) -> None:
        def progress(stage: str, done: int, total: int | None) -> None:
            with self.lock:
                job.stage, job.done, job.total = stage, done, total

        with self._reporting(job):
            # the photo analysis too: it looks only at photos, and keeps its cache
            options = ScanOptions(photos=True)
            result = self.workspace.scan(job.roots, options, progress=progress)
            with self.lock:
                job.scan_id = result.scan_id

    def scan_id(self) -> int | None:
        """The scan of this review, once finished."""
        with self.lock:
            job = self.job
            return job.scan_id if job is not None and job.finished else None

    def findings(self, scan_id: int) -> ScanFindings:
        """The findings of a scan, read once from the index.

        Raises:
            NoSuchScan: the index has no such scan.
        """
        cached = self._findings.get(scan_id)
        if cached is None:
            cached = self._findings[scan_id] = self.workspace.findings(scan_id)
        return cached

    def take_notice(self) -> str | None:
        with self.lock:
            notice, self.notice = self.notice, None
            return notice

    # -- cleaning -----------------------------------------------------------------

    def start_clean(self, plan: Plan) -> CleanJob:
        """Apply ``plan`` in a thread through the workspace, with its progress."""
        job = CleanJob(total=len(plan.actions))
        with self.lock:
            self.clean_job = job
            self.busy += 1
        job.thread = threading.Thread(target=self._clean, args=(job, plan), daemon=True)
        job.thread.start()
        return job

    def _clean(self, job: CleanJob, plan: Plan) -> None:
        def progress(done: int, total: int, n_bytes: int) -> None:
            with self.lock:
                job.done, job.total, job.bytes = done, total, n_bytes

        try:
            with self._reporting(job):
                outcome = self.workspace.apply(plan, progress=progress)
                with self.lock:
                    job.run_id = outcome.run_id
        finally:
            with self.lock:
                self.busy -= 1

    @contextlib.contextmanager
    def _reporting(self, job: ScanJob | CleanJob) -> Iterator[None]:
        """Run a background job's work: its error said on the page, never a traceback;
        the job marked finished whatever happens."""
        try:
            yield
        except MenageError as exc:
            with self.lock:
                job.error = exc.message
        except Exception as exc:  # noqa: BLE001 - said on the page, never a traceback
            with self.lock:
                job.error = f"{type(exc).__name__}: {exc}"
        finally:
            with self.lock:
                job.finished = True
                self._findings.clear()
