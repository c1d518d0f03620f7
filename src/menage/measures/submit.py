"""What ``menage submit`` sends, and sending it: aggregates only, idempotent, retried.

The body is built from the cleanup journal's runs since a date
(:mod:`menage.clean.measures`): files and bytes that left the user's folders, bytes a
purge gave back to the disk, bytes an undo brought back, per kind of finding. No file
name, path, mail address or subject is ever part of it.

The idempotency key is derived from the workspace (a random id kept in its folder), the
campaign code and the channel: sending again replaces the previous submission on the
platform, so a second run, or an undo, sends a correction and never a double count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from menage import __version__
from menage.clean.journal import Journal
from menage.clean.measures import run_measures
from menage.errors import MenageError
from menage.i18n import N_

CHANNELS = ("computer", "file_server", "mail", "phone", "cloud")
#: kinds of findings the platform knows; others are sent as "other"
KNOWN_FINDINGS = frozenset(
    "big_attachments big_files big_videos blurry_photos bursts duplicate_folders duplicates "
    "empty_dirs empty_files mail_duplicates newsletters old_files screenshots senders "
    "similar_photos temp_files".split()
)
MAIL_FINDINGS = frozenset({"mail_duplicates", "newsletters", "big_attachments", "senders"})
TIMEOUT = 15.0


class SubmitError(MenageError):
    template = N_("{detail}")


class UnknownCode(SubmitError):
    template = N_(
        "the platform {server} knows no campaign with the code {code}: "
        "check the code on the poster."
    )


class CampaignClosed(SubmitError):
    template = N_("the campaign “{campaign}” no longer takes submissions (it is closed).")


class ServerUnreachable(SubmitError):
    template = N_(
        "the platform {server} cannot be reached ({reason}); nothing was sent, try again later."
    )


class Refused(SubmitError):
    template = N_("the platform refused the submission ({status}): {detail}")


def resolve(campaign: str, server: str | None) -> tuple[str, str]:
    """``(server base URL, code)`` from ``--campaign`` (an address or a bare code).

    A bare code goes to ``server``, else ``$MENAGE_SERVER``. An address's last path
    segment is the code and its scheme and host the server.
    """
    text = campaign.strip()
    if "://" in text:
        parts = urllib.parse.urlsplit(text)
        segments = [s for s in parts.path.split("/") if s and s != "submissions"]
        if not segments or parts.scheme not in ("http", "https"):
            raise SubmitError(detail=_t("this address holds no campaign code: {url}", url=text))
        return f"{parts.scheme}://{parts.netloc}", segments[-1].upper()
    base = server or os.environ.get("MENAGE_SERVER")
    if not base:
        raise SubmitError(
            detail=_t("which platform? Give --server URL, or the campaign's full address.")
        )
    return base.rstrip("/"), text.upper()


def _t(message: str, **fields: Any) -> str:
    from menage.i18n import _

    return _(message).format(**fields)


def workspace_id(home: os.PathLike[str] | str) -> str:
    """A random id of this workspace, created once (exclusively) in its folder."""
    path = os.path.join(home, "workspace-id")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, encoding="ascii") as existing:
            return existing.read().strip()
    with os.fdopen(fd, "w", encoding="ascii") as new:
        value = secrets.token_hex(16)
        new.write(value + "\n")
    return value


def submission_key(workspace: str, code: str, channel: str) -> str:
    return hashlib.sha256(f"menage-submit\0{workspace}\0{code}\0{channel}".encode()).hexdigest()


def aggregate(journal: Journal, since: dt.date) -> dict[str, Any]:
    """The measures of every run started on or after ``since``, summed."""
    totals: dict[str, Any] = {
        "moved_files": 0,
        "moved_bytes": 0,
        "freed_bytes": 0,
        "restored_bytes": 0,
        "by_finding": {},
        "mails_deleted": 0,
        "runs": 0,
    }
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC).timestamp()
    for run in journal.runs():
        if run.started < start:
            continue
        measures = run_measures(journal, run)
        totals["runs"] += 1
        totals["moved_files"] += measures.files
        totals["moved_bytes"] += measures.bytes
        totals["freed_bytes"] += measures.purged_bytes
        totals["restored_bytes"] += sum(
            e.size for e in journal.entries(run.id) if e.state == "undone" and not e.is_dir
        )
        for finding, counts in measures.by_finding.items():
            name = finding if finding in KNOWN_FINDINGS else "other"
            bucket = totals["by_finding"].setdefault(name, {"files": 0, "bytes": 0})
            bucket["files"] += counts["files"]
            bucket["bytes"] += counts["bytes"]
            if finding in MAIL_FINDINGS and not measures.messages:
                totals["mails_deleted"] += counts["files"]
        totals["mails_deleted"] += measures.messages
    totals["newsletters_unsubscribed"] = sum(
        1 for u in journal.unsubscriptions(start) if u["status"] == "done"
    )
    return totals


def body(totals: dict[str, Any], *, key: str, since: dt.date, channel: str) -> dict[str, Any]:
    """The JSON body of the API's version 1 (docs/api.md)."""
    return {
        "version": 1,
        "key": key,
        "since": since.isoformat(),
        "channel": channel,
        "moved_files": totals["moved_files"],
        "moved_bytes": totals["moved_bytes"],
        "freed_bytes": min(totals["freed_bytes"], totals["moved_bytes"]),
        "restored_bytes": totals["restored_bytes"],
        "by_finding": {k: v for k, v in sorted(totals["by_finding"].items()) if v["files"]},
        "mails_deleted": totals["mails_deleted"],
        "newsletters_unsubscribed": totals.get("newsletters_unsubscribed", 0),
        "client": f"menage {__version__}"[:40],
    }


@dataclass
class CampaignInfo:
    code: str
    campaign: str
    organisation: str
    open: bool
    starts_on: str
    ends_on: str


Sleep = Callable[[float], None]


def _request(
    server: str, method: str, path: str, payload: dict[str, Any] | None, *, retries: int,
    sleep: Sleep,
) -> tuple[int, dict[str, Any]]:  # fmt: skip
    """One call, retried with backoff (1, 2, 4 s…) on network failure and 5xx/429."""
    data = json.dumps(payload).encode() if payload is not None else None
    url = server + path
    reason = ""
    for attempt in range(retries + 1):
        if attempt:
            sleep(min(30.0, 2.0 ** (attempt - 1)))
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
                return answer.status, _json(answer.read())
        except urllib.error.HTTPError as error:
            if error.code >= 500 or error.code == 429:
                reason = f"HTTP {error.code}"
                continue
            return error.code, _json(error.read())
        except (OSError, ValueError) as error:
            reason = str(getattr(error, "reason", None) or error)
    raise ServerUnreachable(server=server, reason=reason)


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def campaign_info(
    server: str, code: str, *, retries: int = 3, sleep: Sleep = time.sleep
) -> CampaignInfo:
    """The campaign behind ``code``.

    Raises:
        UnknownCode, ServerUnreachable.
    """
    path = f"/api/v1/campaigns/{urllib.parse.quote(code, safe='')}"
    status, data = _request(server, "GET", path, None, retries=retries, sleep=sleep)
    if status == 404:
        raise UnknownCode(server=server, code=code)
    if status != 200:
        raise Refused(status=status, detail=data.get("message", ""))
    return CampaignInfo(**{k: data[k] for k in CampaignInfo.__dataclass_fields__})


def send(
    server: str, code: str, payload: dict[str, Any], *, campaign: str = "", retries: int = 4,
    sleep: Sleep = time.sleep,
) -> tuple[bool, str]:  # fmt: skip
    """Send ``payload``; returns (replaced a previous submission, status on the platform).

    Raises:
        UnknownCode, CampaignClosed, ServerUnreachable, Refused.
    """
    path = f"/api/v1/campaigns/{urllib.parse.quote(code, safe='')}/submissions"
    status, data = _request(server, "POST", path, payload, retries=retries, sleep=sleep)
    if status in (200, 201):
        return status == 200, str(data.get("status", ""))
    if status == 404:
        raise UnknownCode(server=server, code=code)
    if status == 409:
        raise CampaignClosed(campaign=campaign or code)
    detail = data.get("message", "")
    if data.get("fields"):
        detail += " " + json.dumps(data["fields"], ensure_ascii=False)
    raise Refused(status=status, detail=detail)
