"""Every measures figure, from one grouped query over the current, accepted submissions.

The public counter, the dashboards (pages, exports, bilan) and the API all read here.
The submissions are summed with **one** ``GROUP BY`` (attributed organisation, campaign,
channel, day, kind of entry, device type and state) and every rollup (the campaign's
total, each organisation's, a district's over its schools, the per-day series, the
channels, the devices declared) is folded in Python over the grouped rows, so a
dashboard costs the same few queries however many schools it lists.

* A submission counts for its code's organisation (a school), else for its campaign's
  organisation. A campaign counts its operations that its organisers approved (a
  school's operation under its district's week), all the way down.
* No figure is given for a group of fewer than ``MENAGE_MEASURES_MIN_GROUP``
  participations (``shown`` is false).
* **Cache.** A campaign's folded figures are kept in the worker, keyed on its tree of
  approved operations, on the number and last id of the submissions of each campaign of
  that tree and of the reviews, read in one indexed query (:func:`_version`).
  Submissions and reviews are append-only (a correction is a new row, a decision a new
  review, both written in the same transaction as the status they change), so any change
  to what counts moves the key: reads between posts cost that one query and no
  aggregation, and no counter row is shared by the posts. When only new submissions
  moved the key, the cached figures are advanced by those rows minus the rows they
  replaced (:func:`_advance`), read in the same snapshot as the key; anything else (a
  review, the tree, the dates, counts that do not add up) aggregates everything again.
* **Freshness window.** Within ``MENAGE_MEASURES_FRESHNESS`` seconds after a campaign's
  figures were checked against the database in this worker, they are returned without
  even the version's query (:mod:`~menage.platform.measures.window`): up to that old,
  but a worker's own posts and reviews show at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from menage.i18n import language
from menage.impact.campaign import campaign_totals as impact_totals
from menage.platform.campaigns.models import Campaign
from menage.platform.measures import window
from menage.platform.measures.models import Entry, Review, Submission, SubmissionTally
from menage.platform.organisations.models import Organisation

SUMMED = (
    "moved_files",
    "moved_bytes",
    "freed_bytes",
    "restored_bytes",
    "mails_deleted",
    "newsletters_unsubscribed",
    "devices",
    "people_reached",
)
_MOVED, _DEVICES = SUMMED.index("moved_bytes"), SUMMED.index("devices")
#: channels whose bytes sat on the participant's own disk; the others on servers
LOCAL_CHANNELS = frozenset({"computer", "phone"})


class Row(NamedTuple):
    """One group of the grouped query."""

    organisation: int | None
    campaign_organisation: int
    campaign: int
    channel: str
    day: dt.date
    entry: str
    device_type: str
    device_state: str
    n: int
    sums: tuple[int, ...]

    @property
    def owner(self) -> int:
        """The organisation the rows count for: the code's, else the campaign's."""
        return self.organisation or self.campaign_organisation


@dataclass
class Totals:
    """The sums of one group of submissions (a campaign, an organisation, a school)."""

    participants: int = 0
    moved_files: int = 0
    moved_bytes: int = 0
    freed_bytes: int = 0
    restored_bytes: int = 0
    mails_deleted: int = 0
    newsletters_unsubscribed: int = 0
    #: devices declared on the form, people reached at workshops (the form's entries)
    devices: int = 0
    people_reached: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    #: day -> (participations, bytes moved) received that day
    per_day: dict[dt.date, tuple[int, int]] = field(default_factory=dict)
    #: (device type, state) -> devices declared on the form
    declared: dict[tuple[str, str], int] = field(default_factory=dict)
    #: the campaign's days, for the series (None: only the days with data)
    start: dt.date | None = None
    end: dt.date | None = None

    def add(self, row: Row) -> None:
        self.participants += row.n
        for name, value in zip(SUMMED, row.sums, strict=True):
            setattr(self, name, getattr(self, name) + value)
        moved = row.sums[_MOVED]
        self.by_channel[row.channel] = self.by_channel.get(row.channel, 0) + moved
        n, total = self.per_day.get(row.day, (0, 0))
        self.per_day[row.day] = (n + row.n, total + moved)
        if row.entry == Entry.DEVICES:
            kind = (row.device_type, row.device_state)
            self.declared[kind] = self.declared.get(kind, 0) + row.sums[_DEVICES]

    def merge(self, other: Totals) -> Totals:
        """A new group with both groups' sums (the « others » of a dashboard)."""
        merged = Totals(start=self.start, end=self.end)
        for name in ("participants", *SUMMED):
            setattr(merged, name, getattr(self, name) + getattr(other, name))
        for channel in self.by_channel.keys() | other.by_channel.keys():
            merged.by_channel[channel] = self.by_channel.get(channel, 0) + other.by_channel.get(
                channel, 0
            )
        for kind in self.declared.keys() | other.declared.keys():
            merged.declared[kind] = self.declared.get(kind, 0) + other.declared.get(kind, 0)
        for day in self.per_day.keys() | other.per_day.keys():
            a, b = self.per_day.get(day, (0, 0)), other.per_day.get(day, (0, 0))
            merged.per_day[day] = (a[0] + b[0], a[1] + b[1])
        return merged

    @property
    def shown(self) -> bool:
        return self.participants >= settings.MENAGE_MEASURES_MIN_GROUP

    @property
    def sums(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in SUMMED}

    def series(self) -> list[dict[str, Any]]:
        """One point per day from ``start`` to the last day with data (at most ``end``);
        what came before ``start`` counts on the first day and after the last on the last,
        so the daily values add up to the total. Without bounds, only days with data."""
        if self.start is None or self.end is None:
            days = sorted(self.per_day)
        else:
            last = min(self.end, max([self.start, *self.per_day]))
            days = [self.start + dt.timedelta(days=n) for n in range((last - self.start).days + 1)]
        points: list[dict[str, Any]] = []
        running = 0
        first, final = (days[0], days[-1]) if days else (None, None)
        folded: dict[dt.date, tuple[int, int]] = {}
        for day, (n, moved) in self.per_day.items():
            at = first if first is not None and day < first else day
            at = final if final is not None and at > final else at
            a, b = folded.get(at, (0, 0))
            folded[at] = (a + n, b + moved)
        for day in days:
            n, moved = folded.get(day, (0, 0))
            running += moved
            points.append(
                {"date": day.isoformat(), "participants": n, "moved_bytes": moved,
                 "cumulative_moved_bytes": running}
            )  # fmt: skip
        return points

    @property
    def days(self) -> list[tuple[dt.date, int]]:
        """(day, bytes moved up to the end of that day): the chart's points."""
        return [
            (dt.date.fromisoformat(p["date"]), p["cumulative_moved_bytes"]) for p in self.series()
        ]

    def local_and_cloud(self) -> tuple[int, int]:
        local = sum(b for channel, b in self.by_channel.items() if channel in LOCAL_CHANNELS)
        return local, sum(self.by_channel.values()) - local

    def impact(self) -> dict[str, Any]:
        """The data's impact (the API's: a year of storage not kept); the same dict for
        the same bytes and language (never changed in place: it goes to JSON)."""
        return _impact(*self.local_and_cloud(), language())

    def to_dict(self) -> dict[str, Any]:
        """The API's form: ``figures`` (sums, series, impact), ``None`` under the minimum."""
        return {
            "shown": self.shown,
            "figures": {
                "participants": self.participants,
                **self.sums,
                "by_channel": dict(sorted(self.by_channel.items())),
                "days": self.series(),
                "impact": self.impact(),
            }
            if self.shown
            else None,
        }


@functools.lru_cache(maxsize=4096)
def _impact(local: int, cloud: int, lang: str) -> dict[str, Any]:
    """Kept per (bytes, language: ``lang`` is the key, the texts follow the language in
    use): a read after a post formats again only the groups whose bytes moved (the
    impact's texts go through Babel: most of a loaded read's CPU)."""
    full = impact_totals(deleted_cloud_bytes=cloud, deleted_local_bytes=local).to_dict()
    return {
        "region": full["region"],
        "period_years": full["period_years"],
        "avoided_kgco2e": full["avoided_kgco2e"],
        "avoided_kwh": full["avoided_kwh"],
        "lines": [
            {key: line[key] for key in ("activity", "quantity", "unit", "kgco2e", "sources")}
            for line in full["lines"]
        ],
        "method": full["method"],
    }


# --- reading ---------------------------------------------------------------------------


def campaign_ids(campaign: Campaign) -> set[int]:
    """The campaign and its approved operations, all the way down."""
    found, frontier = {campaign.pk}, [campaign.pk]
    while frontier:
        frontier = [
            pk
            for pk in Campaign.objects.filter(
                part_of_id__in=frontier, part_of_approved=True
            ).values_list("pk", flat=True)
            if pk not in found
        ]
        found.update(frontier)
    return found


def counted_rows(ids: Iterable[int]) -> QuerySet[Submission]:
    """The submissions that count: current and accepted, in these campaigns."""
    return Submission.objects.filter(
        campaign_id__in=set(ids), current=True, status=Submission.Status.ACCEPTED
    )


def grouped(rows: QuerySet[Submission]) -> list[Row]:
    """The rows grouped by what any rollup needs (see the module docstring)."""
    found = (
        rows.annotate(day=TruncDate("received_at", tzinfo=timezone.get_default_timezone()))
        .values_list("organisation_id", "campaign__organisation_id", "campaign_id", "channel",
                     "day", "entry", "device_type", "device_state")
        .annotate(n=Count("pk"), **{name: Sum(name) for name in SUMMED})
        .order_by()
    )  # fmt: skip
    return [Row._make((*values[:9], tuple(int(v or 0) for v in values[9:]))) for values in found]


@dataclass
class Counted:
    """A campaign's figures: the total and each attributed organisation's."""

    total: Totals
    by_owner: dict[int, Totals]
    #: the campaign and its approved operations
    ids: set[int]
    #: the API's answer, built once per language
    api: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: the public counter's figures (HTML), per language and organisations' names
    pages: dict[tuple[Any, ...], str] = field(default_factory=dict)
    #: the API's public answer, encoded, per language, campaign's and organisations' names
    encoded: dict[tuple[Any, ...], bytes] = field(default_factory=dict)
    #: the counter's whole page for anonymous readers: (when rendered, its parts around
    #: the CSRF token), per address, language and names (views/public.py)
    shared: dict[tuple[Any, ...], tuple[float, list[str]]] = field(default_factory=dict)


_cache: dict[int, tuple[tuple[Any, ...], Counted]] = {}
_cache_lock = threading.Lock()
#: campaigns kept per worker (a city has a handful running; the oldest go first)
CACHE_SIZE = 256


def forget() -> None:
    """Empty this worker's cache (tests: SQLite reuses the ids of rolled-back rows)."""
    with _cache_lock:
        _cache.clear()
    window.forget()


def _version(campaign: Campaign) -> tuple[tuple[int, int, int | None], ...]:
    """The campaign's tree and, per campaign of it, how many submissions it has and its
    last id; then the same of the reviews: one query, on indexes.

    The count, not only the last id: ids are drawn when a row is written and committed in
    any order, so a row with a smaller id can appear after the last id was read. The
    count is the sum of the campaign's :class:`SubmissionTally` rows (at most 16), kept
    by triggers in the same transaction as each row: exact in any snapshot, O(1) where
    counting the rows was O(rows) (5-7 ms of PostgreSQL at 30,000 rows). The reviews
    (an organiser's decisions, a few per campaign) are still counted."""
    q = connection.ops.quote_name
    campaigns, submissions = q(Campaign._meta.db_table), q(Submission._meta.db_table)
    reviews, tally = q(Review._meta.db_table), q(SubmissionTally._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE tree(id) AS (SELECT c.id FROM {campaigns} c WHERE c.id = %s "
            f"UNION SELECT c.id FROM {campaigns} c "
            f"JOIN tree t ON c.part_of_id = t.id WHERE c.part_of_approved) "
            f"SELECT t.id, (SELECT COALESCE(SUM(y.n), 0) FROM {tally} y "
            f"WHERE y.campaign_id = t.id), "
            f"(SELECT MAX(s.id) FROM {submissions} s WHERE s.campaign_id = t.id) FROM tree t "
            f"UNION ALL SELECT -1, (SELECT COUNT(*) FROM {reviews} r), "
            f"(SELECT MAX(r.id) FROM {reviews} r) ORDER BY 1",
            [campaign.pk],
        )
        return tuple((int(pk), int(n), last) for pk, n, last in cursor.fetchall())


def counted(campaign: Campaign) -> Counted:
    """The campaign's figures, from this worker's cache without a query within the
    freshness window (:mod:`~menage.platform.measures.window`), else when nothing changed
    since; when only new submissions came (no review, no deletion, none committed out of
    order), the cached figures plus those rows, minus the rows they replaced
    (:func:`_advance`)."""
    found = _cache.get(campaign.pk)
    dates = (campaign.starts_on, campaign.ends_on)
    if found is not None and tuple(found[0][1:]) == dates and window.fresh(campaign.pk):
        return found[1]
    started = window.start()
    with _snapshot():
        key = (_version(campaign), campaign.starts_on, campaign.ends_on)
        found = _cache.get(campaign.pk)
        if found is not None and found[0] == key:
            return found[1]
        result = _advance(found, key) if found is not None else None
        if result is None:
            ids = {pk for pk, _n, _last in key[0] if pk >= 0}
            result = Counted(Totals(start=campaign.starts_on, end=campaign.ends_on), {}, ids)
            for row in grouped(counted_rows(ids)):
                _fold(result, row, campaign)
    with _cache_lock:
        if len(_cache) >= CACHE_SIZE and campaign.pk not in _cache:
            _cache.pop(next(iter(_cache)))
        _cache[campaign.pk] = (key, result)
    window.checked(campaign.pk, result.ids, started)
    return result


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """The version and the rows read in one snapshot (PostgreSQL: a repeatable-read
    transaction; SQLite's transactions are), so that the cached figures are exactly
    those of their key; inside an outer transaction (tests), that transaction's."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _fold(figures: Counted, row: Row, campaign: Campaign) -> None:
    figures.total.add(row)
    if row.owner not in figures.by_owner:
        figures.by_owner[row.owner] = Totals(start=campaign.starts_on, end=campaign.ends_on)
    figures.by_owner[row.owner].add(row)


def _advance(found: tuple[tuple[Any, ...], Counted], key: tuple[Any, ...]) -> Counted | None:
    """The cached figures moved to ``key`` by reading only the submissions appended since,
    or ``None`` when that would not be exact (the tree, the dates or the reviews changed,
    or the counts do not match the new rows: a deletion, a row committed out of order)."""
    (old_versions, *old_dates), old = found
    new_versions, *new_dates = key
    if new_dates != old_dates or [v[0] for v in old_versions] != [v[0] for v in new_versions]:
        return None
    if old_versions[0] != new_versions[0] or old_versions[0][0] != -1:  # the reviews
        return None
    last = {pk: previous or 0 for pk, _n, previous in old_versions if pk >= 0}
    grown = {pk: n for pk, n, _last in new_versions if pk >= 0}
    before = {pk: n for pk, n, _last in old_versions if pk >= 0}
    appended = Q()
    for pk, after in last.items():
        appended |= Q(campaign_id=pk, pk__gt=after)
    rows = _rows(Submission.objects.filter(appended))
    if any(sum(r[1].campaign == pk for r in rows) != grown[pk] - before[pk] for pk in last):
        return None
    replaced = [r[4] for r in rows if r[4] is not None]
    earlier = _rows(Submission.objects.filter(pk__in=replaced)) if replaced else []
    campaign = Campaign(starts_on=old_dates[0], ends_on=old_dates[1])
    result = Counted(_copy(old.total), {pk: _copy(t) for pk, t in old.by_owner.items()}, old.ids)
    for pk, row, status, _current, _replaces in earlier:
        # current in the cached snapshot (its replacement came after), and its status
        # unchanged (a status changes only with a review, and the reviews did not move)
        if status == Submission.Status.ACCEPTED and pk <= last[row.campaign]:
            _fold(result, row._replace(n=-row.n, sums=tuple(-v for v in row.sums)), campaign)
    for _pk, row, status, current, _replaces in rows:
        if current and status == Submission.Status.ACCEPTED:
            _fold(result, row, campaign)
    everything = (result.total, *result.by_owner.values())
    if earlier and any(0 in (*t.by_channel.values(), *t.declared.values()) for t in everything):
        return None  # a channel emptied by a replacement, or a real zero: read it all again
    for totals in everything:  # what a full reading would not list: an emptied day
        for day in [d for d, v in totals.per_day.items() if v[0] == 0]:
            del totals.per_day[day]
    for owner in [pk for pk, t in result.by_owner.items() if _empty(t)]:
        del result.by_owner[owner]
    return result


def _rows(rows: QuerySet[Submission]) -> list[tuple[int, Row, str, bool, int | None]]:
    """(id, the row as a group of one, its status, whether current, the id it replaces)."""
    found = rows.annotate(
        day=TruncDate("received_at", tzinfo=timezone.get_default_timezone())
    ).values_list("pk", "status", "current", "replaces_id", "organisation_id",
                  "campaign__organisation_id", "campaign_id", "channel", "day", "entry",
                  "device_type", "device_state", *SUMMED).order_by()  # fmt: skip
    return [
        (pk, Row._make((*values[:8], 1, tuple(int(v or 0) for v in values[8:]))),
         status, current, replaces)
        for pk, status, current, replaces, *values in found
    ]  # fmt: skip


def _copy(totals: Totals) -> Totals:
    return replace(
        totals, by_channel=dict(totals.by_channel), per_day=dict(totals.per_day),
        declared=dict(totals.declared),
    )  # fmt: skip


def _empty(totals: Totals) -> bool:
    return totals.participants == 0 and not any(totals.sums.values())


def campaign_totals(campaign: Campaign) -> Totals:
    return counted(campaign).total


def names(ids: Iterable[int]) -> dict[int, tuple[str, str, int | None]]:
    """pk -> (name, slug, parent) of these organisations (read on every dashboard read:
    a plain query, the ORM's compilation cost more than the query)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    table = connection.ops.quote_name(Organisation._meta.db_table)
    marks = ", ".join(["%s"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, name, slug, parent_id FROM {table} WHERE id IN ({marks})", wanted
        )
        return {pk: (name, slug, parent) for pk, name, slug, parent in cursor.fetchall()}


def named(figures: Counted) -> list[tuple[str, Totals]]:
    """Each attributed organisation's totals, by name (the public counter)."""
    found = names(figures.by_owner)
    return sorted(((found[pk][0], t) for pk, t in figures.by_owner.items()), key=lambda g: g[0])


def under(
    organisation: Organisation, tree: dict[int, tuple[str, str, int | None]]
) -> Callable[[int], int]:
    """pk -> the organisation's direct child it is under (or the organisation itself);
    ``tree``: :func:`names` of the organisation's descendants."""

    def child_of(pk: int) -> int:
        while pk != organisation.pk and tree[pk][2] != organisation.pk:
            pk = tree[pk][2] or organisation.pk
        return pk

    return child_of


def owned_by(organisation_ids: set[int]) -> Q:
    """Submissions attributed to one of these organisations."""
    return Q(organisation_id__in=organisation_ids) | Q(
        organisation__isnull=True, campaign__organisation_id__in=organisation_ids
    )


def campaigns_of(organisation: Organisation, visible: QuerySet[Campaign]) -> list[Campaign]:
    """The visible campaigns the organisation's tree reported in, the latest first."""
    ids = (
        Submission.objects.filter(owned_by(organisation.descendant_ids()), current=True)
        .order_by()
        .values_list("campaign_id", flat=True)
        .distinct()
    )
    return list(visible.filter(pk__in=ids).order_by("-starts_on", "name"))
