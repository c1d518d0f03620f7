"""Receiving a submission: the body's schema, plausibility checks, and the idempotent write.

The body is validated by :class:`SubmissionIn` (unknown fields refused, every number an
integer within bounds, finding types from a fixed list). A submission over
:data:`REVIEW_BYTES` is kept but waits for an organiser's review; one over
:data:`ABSURD_BYTES`, or with more bytes on disk than moved, is refused.

The hot path costs two statements on SQLite: the rate-limit upsert and one ``INSERT ...
SELECT ... WHERE`` the code is active and its campaign open ``ON CONFLICT DO NOTHING``
(the idempotency key's unique index); on PostgreSQL one (:func:`receive_counted`: both
in one statement, the insert skipped when a budget is exceeded). The participation code
is read from a per-worker cache (:func:`find_code`, ``CODE_SECONDS``); closing a code or
a campaign still takes effect at once everywhere, since the insert checks it again.
Only a replay or a correction of a key (the insert found a current row) takes the
transaction that replaces the row.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from typing import Annotated, Any, Literal

from django.db import IntegrityError, connection, models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from menage.platform.campaigns.models import Campaign
from menage.platform.core.hotsql import fetch_all
from menage.platform.core.models import RateLimitHit
from menage.platform.measures import window
from menage.platform.measures.limits import Budget
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
        if self.since > today() + dt.timedelta(days=1):
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


_day: tuple[int, dt.date] = (-1, dt.date.min)


def today() -> dt.date:
    """``timezone.localdate()``, worked out once a second (a post asked it four times:
    a tenth of a millisecond; the platform never activates another time zone)."""
    global _day
    second = int(time.time())
    day = _day
    if day[0] != second:
        day = _day = (second, timezone.localdate())
    return day[1]


#: a grace week after the last day: people report what they cleaned during the week
GRACE = dt.timedelta(days=7)


class Closed(Exception):
    """The campaign is over (or not started): no submission is taken."""


def is_open(code: ParticipationCode, day: dt.date | None = None) -> bool:
    day = day or today()
    campaign = code.campaign
    return code.active and campaign.starts_on <= day <= campaign.ends_on + GRACE


#: how long a worker keeps a participation code it read. Closing a code or a campaign is
#: checked by the insert itself, so what may lag is only a changed token (the trusted
#: budget) or a code moved to another school, by a minute at most. Reading a code back
#: (four tables through the ORM) costs several milliseconds of CPU: every ten seconds,
#: per worker and per code, it took more than a millisecond per post at 100 posts/s.
CODE_SECONDS = 60.0
_codes: dict[str, tuple[float, ParticipationCode]] = {}
_codes_lock = threading.Lock()


def find_code(value: str, *, fresh: bool = False) -> ParticipationCode | None:
    """The participation code typed or sent (any case), with its campaign and organisations;
    ``None`` for an unknown one (never cached: a code created a second ago works)."""
    wanted = value.strip().upper()
    if not 4 <= len(wanted) <= 16:
        return None
    now = time.monotonic()
    cached = None if fresh else _codes.get(wanted)
    if cached is not None and now - cached[0] < CODE_SECONDS:
        return cached[1]
    # the code is unique: no ordering (the models' default orderings cost joins)
    found_rows = list(
        ParticipationCode.objects.select_related("campaign__organisation", "organisation")
        .filter(code=wanted)
        .order_by()[:1]
    )
    found = found_rows[0] if found_rows else None
    with _codes_lock:
        if len(_codes) > 10_000:
            _codes.clear()
        if found is None:
            _codes.pop(wanted, None)
        else:
            _codes[wanted] = (now, found)
    return found


def forget_codes(**_kwargs: Any) -> None:
    """Empty this worker's codes (a code or a campaign changed here; other workers keep
    theirs ``CODE_SECONDS`` at most, and the insert checks closing anyway)."""
    with _codes_lock:
        _codes.clear()


for _model in (ParticipationCode, Campaign):
    post_save.connect(forget_codes, sender=_model, dispatch_uid=f"menage-codes-{_model.__name__}")
    post_delete.connect(
        forget_codes, sender=_model, dispatch_uid=f"menage-codes-del-{_model.__name__}"
    )


def receive(code: ParticipationCode, body: SubmissionIn) -> tuple[Submission, bool]:
    """Store ``body`` for ``code``; returns the new row and whether it replaced one.

    Raises:
        Closed: the campaign does not take submissions today.
    """
    if not is_open(code):
        # this worker's copy may be older than a reopening: ask the database before refusing
        fresh = find_code(code.code, fresh=True)
        if fresh is None or not is_open(fresh):
            raise Closed
        code = fresh
    return store(code, body.key, *_status_and_fields(body))


def _status_and_fields(body: SubmissionIn) -> tuple[str, dict[str, Any]]:
    status = (
        Submission.Status.PENDING_REVIEW
        if body.moved_bytes > REVIEW_BYTES
        else Submission.Status.ACCEPTED
    )
    fields = body.model_dump(exclude={"version", "key", "by_finding"})
    fields["by_finding"] = {k: v.model_dump() for k, v in sorted(body.by_finding.items())}
    return status, fields


def receive_counted(
    code: ParticipationCode, body: SubmissionIn, budgets: list[Budget]
) -> tuple[Submission, bool] | None:
    """:func:`receive` counting the post against ``budgets`` in the same statement, on
    PostgreSQL (data-modifying CTEs: the budgets' upsert, then the insert unless a budget
    is exceeded): ``None`` when over budget, and then nothing is stored. The caller
    checks the code is open in its copy first (else the two-statement path, for a fresh
    reading and the same answers).

    Raises:
        Closed: the campaign does not take submissions today.
    """
    status, fields = _status_and_fields(body)
    row, values = _values(code, body.key, status, fields, None)
    day, adapt = today(), connection.ops.adapt_datefield_value
    params: list[Any] = []
    for key, span, _limit in budgets:
        params += [key, span]
    for key, _window, limit in budgets:
        params += [key, limit]
    params += [*values, code.pk, adapt(day), adapt(day - GRACE)]
    found = fetch_all(_counted_sql_for(connection.vendor, len(budgets)), params)
    over, new_id = found[0]
    if over:
        return None
    if new_id is not None:
        row.pk = int(new_id)
        row._state.adding = False
        window.wrote(code.campaign_id)  # committed: this worker's next read shows it
        return row, False
    # a replay or a correction, or the code closed meanwhile: already counted
    return store(code, body.key, status, fields, inserted=False)


def store(
    code: ParticipationCode,
    key: str,
    status: str,
    fields: dict[str, Any],
    *,
    inserted: bool | None = None,
) -> tuple[Submission, bool]:
    """Append one submission for ``code``; the same ``key`` replaces the current one.

    The API and the form both write here: the old row stays (not current), a replaced
    report that waited for review keeps waiting, and the (code, key) constraint holds
    under concurrency. ``inserted=False``: the caller's insert just found the key taken
    (or the code closed), so the first attempt goes straight to the replacement.

    Raises:
        Closed: the campaign does not take submissions today.
    """
    stored = _store(code, key, status, fields, inserted=inserted)
    window.wrote(code.campaign_id)  # committed: this worker's next read shows it
    return stored


def _store(
    code: ParticipationCode,
    key: str,
    status: str,
    fields: dict[str, Any],
    *,
    inserted: bool | None = None,
) -> tuple[Submission, bool]:
    day, adapt = today(), connection.ops.adapt_datefield_value
    for attempt in range(5):
        row = None if attempt == 0 and inserted is False else _insert_new(code, key, status, fields)
        if row is not None:
            return row, False
        # the key has a current row (a replay or a correction), or the code was closed:
        # retire the current row and insert its replacement in one transaction, two
        # prepared statements (the first checks the code is open, at that instant)
        try:
            with transaction.atomic():
                retired = fetch_all(
                    _retire_sql(), [code.pk, key, code.pk, adapt(day), adapt(day - GRACE)]
                )
                if retired:
                    previous, previous_status = int(retired[0][0]), retired[0][1]
                    replacing = status
                    if previous_status != Submission.Status.ACCEPTED:
                        replacing = Submission.Status.PENDING_REVIEW  # no way around a review
                    row = _insert_new(code, key, replacing, fields, replaces=previous)
                    if row is None:  # pragma: no cover - the insert repeats the update's checks
                        raise IntegrityError("the replacement was not inserted")
                    return row, True
        except IntegrityError:
            continue  # the same key arrived twice at once: the second one replaces the first
        # nothing retired: closed, or another post retired it meanwhile (then try again)
        fresh = find_code(code.code, fresh=True)
        if fresh is None or not is_open(fresh):
            raise Closed
    raise RuntimeError("could not store the submission")  # pragma: no cover


def _insert_new(
    code: ParticipationCode,
    key: str,
    status: str,
    fields: dict[str, Any],
    *,
    replaces: int | None = None,
) -> Submission | None:
    """Insert the submission in one statement, unless its key has a current row or the
    code is closed (both checked by the database at that instant); ``None`` then."""
    row, values = _values(code, key, status, fields, replaces)
    day, adapt = today(), connection.ops.adapt_datefield_value
    found = fetch_all(_insert_sql(), [*values, code.pk, adapt(day), adapt(day - GRACE)])
    if not found:
        return None
    row.pk = int(found[0][0])
    row._state.adding = False
    return row


def _values(
    code: ParticipationCode, key: str, status: str, fields: dict[str, Any], replaces: int | None
) -> tuple[Submission, list[Any]]:
    """The new row (not saved) and its columns' values as the insert sends them."""
    row = Submission(
        code_id=code.pk, campaign_id=code.campaign_id, organisation_id=code.organisation_id,
        key=key, status=status, replaces_id=replaces, **fields,
    )  # fmt: skip
    columns = [f for f in Submission._meta.concrete_fields if not f.primary_key]
    return row, [_db_value(f, f.pre_save(row, add=True)) for f in columns]


#: field classes whose value of this Python type goes to the database as it is (the
#: rest, dates, times and JSON, through Django's adaptation)
_AS_IS: dict[type[models.Field[Any, Any]], type] = {
    models.BigIntegerField: int,
    models.CharField: str,
    models.BooleanField: bool,
    models.ForeignKey: int,
    models.OneToOneField: int,
}


def _db_value(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None or type(value) is _AS_IS.get(type(field)):
        return value
    return field.get_db_prep_save(value, connection)


@functools.cache
def _counted_sql_for(vendor: str, budgets: int) -> str:
    """PostgreSQL: the budgets' upsert (``budgets`` counters: key, window), the budgets
    exceeded (key, limit each), then the insert of :func:`_insert_sql_for` unless one is;
    one row: whether one is exceeded, and the new id (NULL: not inserted)."""
    q = connection.ops.quote_name
    hits = q(RateLimitHit._meta.db_table)
    key, window, count = q("key"), q("window"), q("count")
    over = " OR ".join([f"({key} = %s AND {count} > %s)"] * budgets)
    return (
        f"WITH hits AS (INSERT INTO {hits} ({key}, {window}, {count}) VALUES "
        f"{', '.join(['(%s, %s, 1)'] * budgets)} ON CONFLICT ({key}, {window}) "
        f"DO UPDATE SET {count} = {hits}.{count} + 1 RETURNING {key}, {count}), "
        f"over AS (SELECT 1 FROM hits WHERE {over}), "
        f"new AS ({_insert_sql_for(vendor, 'AND NOT EXISTS (SELECT 1 FROM over)')}) "
        f"SELECT EXISTS (SELECT 1 FROM over), (SELECT id FROM new)"
    )


def _code_open_sql() -> str:
    """``EXISTS`` the code (parameters: its id, today, today minus the grace days) is
    active and its campaign open: checked by the database at the instant it writes."""
    q = connection.ops.quote_name
    codes, campaigns = q(ParticipationCode._meta.db_table), q(Campaign._meta.db_table)
    return (
        f"EXISTS (SELECT 1 FROM {codes} p JOIN {campaigns} c ON c.id = p.campaign_id "
        f"WHERE p.id = %s AND p.active AND c.starts_on <= %s AND c.ends_on >= %s)"
    )


@functools.cache
def _insert_sql_for(vendor: str, also: str = "") -> str:
    q = connection.ops.quote_name
    columns = [f for f in Submission._meta.concrete_fields if not f.primary_key]
    table = q(Submission._meta.db_table)
    return (
        f"INSERT INTO {table} ({', '.join(q(f.column) for f in columns)}) "
        f"SELECT {', '.join(['%s'] * len(columns))} WHERE {_code_open_sql()} {also} "
        f"ON CONFLICT DO NOTHING RETURNING id"
    )


@functools.cache
def _retire_sql_for(vendor: str) -> str:
    q = connection.ops.quote_name
    table = q(Submission._meta.db_table)
    return (
        f"UPDATE {table} SET current = FALSE WHERE code_id = %s AND {q('key')} = %s AND current "
        f"AND {_code_open_sql()} RETURNING id, status"
    )


def _retire_sql() -> str:
    """Marks the key's current row not current (if the code is open): its id and status."""
    return _retire_sql_for(connection.vendor)


def _insert_sql() -> str:
    """The insert of :func:`_insert_new`, built once per database kind."""
    return _insert_sql_for(connection.vendor)
