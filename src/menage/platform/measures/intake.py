"""Receiving a submission: the body's schema, plausibility checks, and the idempotent write.

The body is validated by :class:`SubmissionIn` (unknown fields refused, every number an
integer within bounds, finding types from a fixed list). A submission over
:data:`REVIEW_BYTES` is kept but waits for an organiser's review; one over
:data:`ABSURD_BYTES`, or with more bytes on disk than moved, is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from menage.platform.measures.models import ParticipationCode, Submission

TB = 1000**4
#: more than this in one submission waits for an organiser (a whole file server, say)
REVIEW_BYTES = 100 * TB
#: more than this in one submission is refused outright
ABSURD_BYTES = 10_000 * TB
MAX_FILES = 10**10
MAX_MAILS = 10**8
#: bodies larger than this are refused with 413 before being parsed
MAX_BODY = 16 * 1024
#: kinds of findings the CLI knows (menage.findings); anything else is sent as "other"
FINDINGS = (
    "big_attachments",
    "big_files",
    "big_videos",
    "blurry_photos",
    "bursts",
    "duplicate_folders",
    "duplicates",
    "empty_dirs",
    "empty_files",
    "mail_duplicates",
    "newsletters",
    "old_files",
    "screenshots",
    "senders",
    "similar_photos",
    "temp_files",
    "other",
)
FindingName = Literal[FINDINGS]  # type: ignore[valid-type]


def _integral(value: object) -> object:
    # JSON Schema counts 738.0 as an integer: take it as 738, refuse 738.5 (strict mode)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


Int = Annotated[int, BeforeValidator(_integral)]


class FindingTotals(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    files: Int = Field(ge=0, le=MAX_FILES)
    bytes: Int = Field(ge=0, le=ABSURD_BYTES)


class SubmissionIn(BaseModel):
    """The body of ``POST /api/v1/campaigns/<code>/submissions`` (version 1)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    version: Literal[1]
    key: str = Field(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")
    since: dt.date
    channel: Literal["computer", "file_server", "mail", "phone", "cloud"]
    moved_files: Int = Field(default=0, ge=0, le=MAX_FILES)
    moved_bytes: Int = Field(default=0, ge=0, le=ABSURD_BYTES)
    freed_bytes: Int = Field(default=0, ge=0, le=ABSURD_BYTES)
    restored_bytes: Int = Field(default=0, ge=0, le=ABSURD_BYTES)
    by_finding: dict[FindingName, FindingTotals] = Field(default_factory=dict)
    mails_deleted: Int = Field(default=0, ge=0, le=MAX_MAILS)
    newsletters_unsubscribed: Int = Field(default=0, ge=0, le=MAX_MAILS)
    client: str = Field(default="", max_length=40, pattern=r"^[A-Za-z0-9 ._+-]*$")

    @field_validator("since", mode="before")
    @classmethod
    def _date_from_text(cls, value: object) -> object:
        # JSON has no dates: a "YYYY-MM-DD" string, parsed here (strict mode refuses it)
        if isinstance(value, str) and len(value) == 10:
            try:
                return dt.date.fromisoformat(value)
            except ValueError as error:
                raise ValueError("not a date (YYYY-MM-DD)") from error
        raise ValueError("not a date (YYYY-MM-DD)")

    @model_validator(mode="after")
    def _plausible(self) -> SubmissionIn:
        if self.since > timezone.localdate() + dt.timedelta(days=1):
            raise ValueError("since: the date is in the future")
        if self.since < dt.date(2000, 1, 1):
            raise ValueError("since: the date is too far in the past")
        if self.freed_bytes > self.moved_bytes:
            raise ValueError("freed_bytes: more bytes freed on disk than moved")
        if sum(f.bytes for f in self.by_finding.values()) > self.moved_bytes:
            raise ValueError("by_finding: more bytes than moved_bytes")
        if sum(f.files for f in self.by_finding.values()) > self.moved_files:
            raise ValueError("by_finding: more files than moved_files")
        return self


class Closed(Exception):
    """The campaign is over (or not started): no submission is taken."""


def is_open(code: ParticipationCode, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    campaign = code.campaign
    # a grace week after the last day: people report what they cleaned during the week
    return code.active and campaign.starts_on <= today <= campaign.ends_on + dt.timedelta(days=7)


def receive(code: ParticipationCode, body: SubmissionIn) -> tuple[Submission, bool]:
    """Store ``body`` for ``code``; returns the new row and whether it replaced one.

    Raises:
        Closed: the campaign does not take submissions today.
    """
    if not is_open(code):
        raise Closed
    status = (
        Submission.Status.PENDING_REVIEW
        if body.moved_bytes > REVIEW_BYTES
        else Submission.Status.ACCEPTED
    )
    fields = body.model_dump(exclude={"version", "key", "by_finding"})
    fields["by_finding"] = {k: v.model_dump() for k, v in sorted(body.by_finding.items())}
    return store(code, body.key, status, fields)


def store(
    code: ParticipationCode, key: str, status: str, fields: dict[str, Any]
) -> tuple[Submission, bool]:
    """Append one submission for ``code``; the same ``key`` replaces the current one.

    The API and the form both write here: the old row stays (not current), a replaced
    report that waited for review keeps waiting, and the (code, key) constraint holds
    under concurrency.
    """
    for _attempt in range(3):
        try:
            with transaction.atomic():
                previous = (
                    Submission.objects.select_for_update()
                    .filter(code=code, key=key, current=True)
                    .order_by()
                    .first()
                )
                if previous is not None:
                    if previous.status != Submission.Status.ACCEPTED:
                        status = Submission.Status.PENDING_REVIEW  # no way around a review
                    previous.current = False
                    previous.save(update_fields=["current"])
                row = Submission.objects.create(
                    code=code,
                    campaign_id=code.campaign_id,
                    organisation_id=code.organisation_id,
                    key=key,
                    replaces=previous,
                    status=status,
                    **fields,
                )
                return row, previous is not None
        except IntegrityError:
            continue  # the same key arrived twice at once: the second one replaces the first
    raise RuntimeError("could not store the submission")  # pragma: no cover
