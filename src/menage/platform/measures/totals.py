"""Totals, summed on read over the current accepted submissions.

A campaign's totals include its operations that its organisers approved (a school's
operation under its district's week); an operation not approved counts only on its own
page. No figure is given for a group of fewer than ``MENAGE_MEASURES_MIN_GROUP``
participants: a school with one teacher must not be singled out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from menage.platform.campaigns.models import Campaign
from menage.platform.measures.models import Submission

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


@dataclass
class Totals:
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
    #: (day, bytes moved up to the end of that day), one per day of the campaign so far
    days: list[tuple[dt.date, int]] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.participants >= settings.MENAGE_MEASURES_MIN_GROUP


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


def counted(campaign: Campaign) -> QuerySet[Submission]:
    return Submission.objects.filter(
        campaign_id__in=campaign_ids(campaign), current=True, status=Submission.Status.ACCEPTED
    )


def totals(rows: QuerySet[Submission], start: dt.date, end: dt.date) -> Totals:
    sums = rows.aggregate(participants=Count("pk"), **{name: Sum(name) for name in SUMMED})
    result = Totals()
    for name, value in sums.items():
        setattr(result, name, int(value or 0))
    # days in the platform's time zone (TIME_ZONE), on SQLite and PostgreSQL alike: a
    # report sent at 00:30 in Paris belongs to that day, not to the day before in UTC
    per_day = dict(
        rows.annotate(day=TruncDate("received_at", tzinfo=timezone.get_default_timezone()))
        .values_list("day")
        .annotate(total=Sum("moved_bytes"))
        .values_list("day", "total")
    )
    # what came before the first day (a test run, an early sender) starts the line, and
    # what came after the last day ends it: the last point is always the total shown
    running = sum(int(total or 0) for day, total in per_day.items() if day < start)
    last = min(end, max([start, *per_day.keys()]))
    late = sum(int(total or 0) for day, total in per_day.items() if day > last)
    day = start
    while day <= last:
        running += int(per_day.get(day) or 0) + (late if day == last else 0)
        result.days.append((day, running))
        day += dt.timedelta(days=1)
    return result


def campaign_totals(campaign: Campaign) -> Totals:
    return totals(counted(campaign), campaign.starts_on, campaign.ends_on)


def by_organisation(campaign: Campaign) -> list[tuple[str, Totals]]:
    """Each organisation's totals (a code's organisation, else its campaign's), by name."""
    rows = counted(campaign)
    names = (
        rows.values_list("organisation__name", "campaign__organisation__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    groups: dict[str, Q] = {}
    for own, of_campaign, _n in names:
        name = own or of_campaign
        groups[name] = groups.get(name, Q()) | Q(
            organisation__name=own, campaign__organisation__name=of_campaign
        )
    return [
        (name, totals(rows.filter(q), campaign.starts_on, campaign.ends_on))
        for name, q in sorted(groups.items())
    ]
