"""The pages of the review, as (status, template, context) or a redirection.

Each function takes the review and the request's form or query, calls the workspace,
and says what to show; :mod:`menage.review.app` renders and sends it. Nothing here
touches a file itself: the scan, the plan, the cleanup and the undo are the
workspace's, with the checks of the command line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from menage.errors import MenageError
from menage.i18n import _, format_datetime, format_number, format_size, ngettext
from menage.review import panels
from menage.review.quarantine import holdings
from menage.review.security import OutsideRoots, check_paths_inside, chosen_folders
from menage.review.session import STAGES, Review

#: near-duplicate photos (shown with what their cleanup frees, not counted in the total)
PHOTO_KINDS = ("similar_photos", "bursts")
Form = Mapping[str, Sequence[str]]
#: a finding or one of its items: ``duplicates/3``, ``duplicates/3/2``
PICK = re.compile(r"^[a-z][a-z_]{0,40}/[1-9][0-9]{0,9}(/[1-9][0-9]{0,9})?$")
MAX_PICKS = 10_000


@dataclass
class Page:
    """What to answer: a page (``template`` with ``context``) or a redirection."""

    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    status: int = 200
    redirect: str | None = None
    json: dict[str, Any] | None = None
    #: a thumbnail (image/jpeg)
    image: bytes | None = None


def see(route: str) -> Page:
    return Page(status=303, redirect=route)


def problem(message: str, status: int = 400, back: str = "") -> Page:
    context = {"title": _("Something went wrong"), "message": message, "back": back}
    return Page("message.html", context, status)


def impact(n_bytes: int) -> dict[str, Any]:
    """The footprint of ``n_bytes`` for a page: a year on this disk, in the cloud, the
    sources, and the comparison with keeping a phone one year longer."""
    from menage.impact import format_co2, storage_summary

    summary = storage_summary(n_bytes)
    return {
        "size": format_size(n_bytes),
        "co2": format_co2(summary.primary.kgco2e),
        "headline": summary.headline(),
        "synced": summary.synced_line(),
        "message": summary.message(),
        "sources": ", ".join(summary.sources()),
    }


# -- choose, scan ---------------------------------------------------------------------


def folders(review: Review, error: str | None = None) -> Page:
    chosen = set(review.roots) or {o.path for o in review.offered if o.default}
    rows = [
        {"path": str(o.path), "title": o.title, "checked": o.path in chosen, "id": f"folder-{n}"}
        for n, o in enumerate(review.offered, start=1)
    ]
    return Page("folders.html", {"step": 1, "folders": rows, "error": error}, 400 if error else 200)


def start_scan(review: Review, form: Form) -> Page:
    try:
        roots = chosen_folders(form.get("folder", []), [o.path for o in review.offered])
    except OutsideRoots as exc:
        return folders(review, exc.message)
    if not roots:
        return folders(review, _("Choose at least one folder."))
    review.start_scan(roots)
    return see("scan")


def progress(review: Review) -> dict[str, Any]:
    """Where the scan is, for the page and for its script."""
    with review.lock:
        job = review.job
        if job is None:
            return {"state": "none", "next": ""}
        state, stage, done, total, error = job.state, job.stage, job.done, job.total, job.error
    label = _(STAGES.get(stage, STAGES["walk"]))
    if total:
        text = _("{stage}: {done} of {total}").format(
            stage=label, done=format_number(done), total=format_number(total)
        )
    else:
        text = ngettext("{stage}: {n} file", "{stage}: {n} files", done).format(
            stage=label, n=format_number(done)
        )
    return {
        "state": state,
        "stage": label,
        "text": text,
        "done": done,
        "total": total,
        "error": error,
        "next": "summary" if state == "done" else "",
    }


def scanning(review: Review) -> Page:
    now = progress(review)
    if now["state"] == "none":
        return see("")
    if now["state"] == "done":
        return see("summary")
    roots = [str(p) for p in review.roots]
    return Page("scanning.html", {"step": 2, "progress": now, "roots": roots})


# -- what was found -------------------------------------------------------------------


def summary(review: Review) -> Page:
    scan_id = review.scan_id()
    if scan_id is None:
        return see("")
    scanned = review.findings(scan_id)
    reclaimable = scanned.findings.reclaimable()
    kinds = []
    for found in scanned.findings:
        key = found.kind.key
        # near-duplicate photos: what all but each group's best shot would free
        photos = key in PHOTO_KINDS
        shown = key in reclaimable.by_kind or key in ("big_files", "old_files") or photos
        if shown and len(found):
            totals = found.totals()
            size = reclaimable.by_kind.get(
                key, totals.reclaimable_bytes if photos else totals.bytes
            )
            kinds.append(
                {
                    "title": _(found.kind.title),
                    "count": format_number(len(found)),
                    "freed": key in reclaimable.by_kind or photos,
                    "impact": impact(size),
                }
            )
    return Page(
        "summary.html",
        {
            "step": 3,
            "roots": [r.decode("utf-8", "replace") for r in scanned.roots],
            "total": impact(reclaimable.total),
            "kinds": kinds,
        },
    )


def thumbnail(review: Review, route: str) -> Page:
    """A photo's small thumbnail (the photo panel), never the full-size file."""
    from menage.review import thumbnails

    try:
        item = thumbnails.photo_item(review, route)
    except OutsideRoots as exc:
        return problem(exc.message, 403)
    data = None if item is None else thumbnails.thumbnail(review, item)
    if data is None:
        return problem(_("There is no such photo."), 404)
    return Page(image=data)


def review_page(review: Review, error: str | None = None, picked: Sequence[str] = ()) -> Page:
    scan_id = review.scan_id()
    if scan_id is None:
        return see("")
    found = panels.sections(review.findings(scan_id))
    context = {"step": 4, "sections": found, "error": error, "picked": set(picked)}
    return Page("review.html", context, 400 if error else 200)


# -- clean, undo ----------------------------------------------------------------------


def clean(review: Review, form: Form) -> Page:
    scan_id = review.scan_id()
    if scan_id is None:
        return see("")
    picks = list(dict.fromkeys(form.get("pick", [])))
    if len(picks) > MAX_PICKS or any(not PICK.match(p) for p in picks):
        return review_page(review, _("The form sent something that is not a finding."))
    if not picks:
        return review_page(review, _("Nothing is ticked: tick what to put in Ménage's bin."))
    ws = review.workspace
    with review.lock:
        review.busy += 1
    try:
        plan = ws.plan(scan_id=scan_id, picks=picks)
        check_paths_inside([a.path for a in plan.actions], review.roots)
        check_paths_inside(plan.roots, review.roots)
        if not plan.actions:
            return review_page(review, _("Nothing to do: what was ticked is kept."), picks)
        if len(plan.actions) >= review.background_from:
            review.start_clean(plan)  # a big cleanup: its progress on the page
            return see("cleaning")
        outcome = ws.apply(plan)
    except MenageError as exc:
        return review_page(review, exc.message, picks)
    finally:
        with review.lock:
            review.busy -= 1
    review._findings.clear()
    return see(f"done/{outcome.run_id}")


def clean_progress(review: Review) -> dict[str, Any]:
    """Where the background cleanup is, for the page and for its script."""
    with review.lock:
        job = review.clean_job
        if job is None:
            return {"state": "none", "next": ""}
        done, total, n_bytes, finished = job.done, job.total, job.bytes, job.finished
        run_id, error = job.run_id, job.error
    state = "running" if not finished else "error" if error is not None else "done"
    text = _("{done} of {total} files put in Ménage's bin ({size})").format(
        done=format_number(done), total=format_number(total), size=format_size(n_bytes)
    )
    return {
        "state": state,
        "text": text,
        "done": done,
        "total": total,
        "error": error,
        "next": f"done/{run_id}" if state == "done" else "",
    }


def cleaning(review: Review) -> Page:
    now = clean_progress(review)
    if now["state"] == "none":
        return see("review")
    if now["state"] == "done":
        return see(now["next"])
    if now["state"] == "error":
        return problem(now["error"], 409, "history")
    return Page("cleaning.html", {"step": 4, "progress": now})


def done(review: Review, run_id: int) -> Page:
    try:
        measures = review.workspace.measures(run_id)
    except MenageError as exc:
        return problem(exc.message, 404, "history")
    return Page(
        "done.html",
        {
            "step": 5,
            "run": run_id,
            "files": format_number(measures.files),
            "count": measures.files,
            "skipped": measures.skipped + measures.failed,
            "impact": impact(measures.bytes),
            "undoable": measures.state not in ("undone",) and measures.files > 0,
            # a mailbox's cleanup: messages, to the server's Trash over IMAP
            "mail": measures.source if measures.source in ("imap", "mbox", "maildir") else "",
        },
    )


def undo(review: Review, form: Form) -> Page:
    given = form.get("run", [])
    if len(given) != 1 or not given[0].isdigit() or len(given[0]) > 12:
        return problem(_("The form sent something that is not a cleanup."), 400, "history")
    with review.lock:
        review.busy += 1
    try:
        outcome = review.workspace.undo(int(given[0]))
    except MenageError as exc:
        return problem(exc.message, 409, "history")
    finally:
        from menage.mail import sessions

        sessions.close_all()  # the IMAP connections an undo of mail opened
        with review.lock:
            review.busy -= 1
    if review.mailbox is not None:
        review.mailbox.stale = True  # messages may be back: read the mailbox again
    back = len(outcome.restored) + len(outcome.beside)
    message = ngettext(
        "Cleanup {run} undone: {n} file is back in its place.",
        "Cleanup {run} undone: {n} files are back in their place.",
        back,
    ).format(run=outcome.run_id, n=format_number(back))
    if outcome.beside:
        message += " " + _("Some were put back beside their place, where something stands now.")
    if outcome.failed:
        message += " " + _("Some could not be put back: run `menage undo` to see why.")
    with review.lock:
        review.notice = message
    return see("history")


def history(review: Review) -> Page:
    runs = []
    for m in reversed(review.workspace.all_measures()):
        runs.append(
            {
                "id": m.run_id,
                "when": format_datetime(m.started.astimezone()),
                "iso": m.started.isoformat(),
                "files": format_number(m.files),
                "count": m.files,
                "size": format_size(m.bytes),
                "restored": format_number(m.undone),
                "state": m.state,
                "undoable": m.files > 0,
            }
        )
    held = holdings(review.workspace)
    return Page(
        "history.html",
        {
            "runs": runs,
            "quarantine": held,
            "notice": review.take_notice(),
        },
    )


def submit(query: Form) -> Page:
    code = (query.get("code") or [""])[0].strip()
    valid = bool(re.fullmatch(r"[A-Za-z0-9]{4,32}", code))
    error = _("A join code has letters and digits only.") if code and not valid else None
    context = {"code": code if valid else "", "error": error}
    return Page("submit.html", context, 400 if error else 200)
