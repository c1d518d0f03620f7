"""Dashboard figures in one grouped query: totals, a per-day series and impact ranges.

Any page or the API builds a dashboard from :func:`campaign_dashboard` or
:func:`organisation_dashboard`; both read the current, accepted submissions with **one**
``GROUP BY`` (attributed organisation, campaign, channel, day) and fold the groups in
Python, so a dashboard costs the same few queries however many schools it lists.

* A submission counts for its code's organisation (a school), else for its campaign's
  organisation. An organisation's dashboard counts what was attributed to it or to an
  organisation below it, in every campaign the reader may see: a school's reports sent
  under its district's week count for the school (and the district), not for the city
  whose campaign it is not.
* No figure is given for a group of fewer than ``MENAGE_MEASURES_MIN_GROUP``
  participations (``shown`` is false and ``figures`` is ``None``).
* Impact: the bytes that left participants' storage (``moved_bytes``), a year of storage
  not kept, through :func:`menage.impact.campaign.campaign_totals`: computers and phones
  as local disks, file servers, mailboxes and cloud accounts as data-centre storage.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from menage.impact.campaign import campaign_totals as impact_totals
from menage.platform.campaigns.models import Campaign
from menage.platform.measures.models import Submission
from menage.platform.measures.totals import SUMMED, campaign_ids
from menage.platform.organisations.models import Organisation

#: channels whose bytes sat on the participant's own disk; the others on servers
LOCAL_CHANNELS = frozenset({"computer", "phone"})


@dataclass
class Figures:
    """The sums of one group of submissions."""

    participants: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMMED, 0))
    by_channel: dict[str, int] = field(default_factory=dict)
    #: day -> (participations, bytes moved) received that day
    days: dict[dt.date, tuple[int, int]] = field(default_factory=dict)

    def add(self, row: dict[str, Any]) -> None:
        self.participants += row["n"]
        for name in SUMMED:
            self.sums[name] += int(row[name] or 0)
        moved = int(row["moved_bytes"] or 0)
        self.by_channel[row["channel"]] = self.by_channel.get(row["channel"], 0) + moved
        n, total = self.days.get(row["day"], (0, 0))
        self.days[row["day"]] = (n + row["n"], total + moved)

    @property
    def shown(self) -> bool:
        return self.participants >= settings.MENAGE_MEASURES_MIN_GROUP

    def series(self, start: dt.date | None, end: dt.date | None) -> list[dict[str, Any]]:
        """One point per day from ``start`` to the last day with data (at most ``end``);
        what came before ``start`` counts on the first day and after the last on the last,
        so the daily values add up to the total. Without bounds, only days with data."""
        if start is None or end is None:
            days = sorted(self.days)
        else:
            last = min(end, max([start, *self.days]))
            days = [start + dt.timedelta(days=n) for n in range((last - start).days + 1)]
        points: list[dict[str, Any]] = []
        running = 0
        for index, day in enumerate(days):
            folded = [
                value
                for other, value in self.days.items()
                if other == day
                or (index == 0 and other < day)
                or (index == len(days) - 1 and other > day)
            ]
            n, moved = sum(v[0] for v in folded), sum(v[1] for v in folded)
            running += moved
            points.append(
                {"date": day.isoformat(), "participants": n, "moved_bytes": moved,
                 "cumulative_moved_bytes": running}
            )  # fmt: skip
        return points

    def impact(self) -> dict[str, Any]:
        local = sum(b for channel, b in self.by_channel.items() if channel in LOCAL_CHANNELS)
        cloud = sum(b for channel, b in self.by_channel.items() if channel not in LOCAL_CHANNELS)
        full = impact_totals(deleted_cloud_bytes=cloud, deleted_local_bytes=local).to_dict()
        return {
            "region": full["region"],
            "period_years": full["period_years"],
            "avoided_kgco2e": full["avoided_kgco2e"],
            "avoided_kwh": full["avoided_kwh"],
            "lines": [
                {
                    "activity": line["activity"],
                    "quantity": line["quantity"],
                    "unit": line["unit"],
                    "kgco2e": line["kgco2e"],
                    "sources": line["sources"],
                }
                for line in full["lines"]
            ],  # fmt: skip
            "method": full["method"],
        }

    def to_dict(self, start: dt.date | None = None, end: dt.date | None = None) -> dict[str, Any]:
        """``figures``: the sums, the series and the impact; ``None`` under the minimum."""
        return {
            "shown": self.shown,
            "figures": {
                "participants": self.participants,
                **self.sums,
                "by_channel": dict(sorted(self.by_channel.items())),
                "days": self.series(start, end),
                "impact": self.impact(),
            }
            if self.shown
            else None,
        }


def grouped(rows: QuerySet[Submission]) -> Iterable[dict[str, Any]]:
    """One dict per (organisation, campaign's organisation, campaign, channel, day)."""
    return (
        rows.annotate(day=TruncDate("received_at", tzinfo=timezone.get_default_timezone()))
        .values("organisation_id", "campaign__organisation_id", "campaign_id", "channel", "day")
        .annotate(n=Count("pk"), **{name: Sum(name) for name in SUMMED})
        .order_by()
    )


def review_counts(rows: QuerySet[Submission]) -> dict[str, Any]:
    """For organisers: current reports by status, and by participation code."""
    statuses = dict.fromkeys(Submission.Status.values, 0)
    statuses.update(rows.values_list("status").annotate(n=Count("pk")).order_by())
    codes = (
        rows.values_list("code__code", "code__label", "campaign__slug")
        .annotate(n=Count("pk"))
        .order_by("campaign__slug", "code__code")
    )
    return {
        "statuses": statuses,
        "codes": [
            {"code": code, "label": label, "campaign": slug, "reports": n}
            for code, label, slug, n in codes
        ],
    }


def _organisations(ids: Iterable[int]) -> dict[int, tuple[str, str, int | None]]:
    return {
        pk: (name, slug, parent)
        for pk, name, slug, parent in Organisation.objects.filter(pk__in=set(ids)).values_list(
            "pk", "name", "slug", "parent_id"
        )
    }


def campaign_dashboard(campaign: Campaign, *, organiser: bool = False) -> dict[str, Any]:
    """The campaign (and its approved operations): totals and each organisation's group."""
    ids = campaign_ids(campaign)
    total, groups = Figures(), defaultdict[int, Figures](Figures)
    for row in grouped(
        Submission.objects.filter(campaign_id__in=ids, current=True, status="accepted")
    ):
        total.add(row)
        groups[row["organisation_id"] or row["campaign__organisation_id"]].add(row)
    names = _organisations(groups)
    start, end = campaign.starts_on, campaign.ends_on
    answer: dict[str, Any] = {
        "version": 1,
        "campaign": {"slug": campaign.slug, "name": campaign.name,
                     "organisation": campaign.organisation.name,
                     "starts_on": start.isoformat(), "ends_on": end.isoformat()},
        "minimum_group": settings.MENAGE_MEASURES_MIN_GROUP,
        **total.to_dict(start, end),
        "groups": [
            {"organisation": names[pk][0], "slug": names[pk][1], **figures.to_dict(start, end)}
            for pk, figures in sorted(groups.items(), key=lambda item: names[item[0]][0])
        ],
    }  # fmt: skip
    if organiser:
        answer["review"] = review_counts(
            Submission.objects.filter(campaign_id__in=ids, current=True)
        )
    return answer


def organisation_dashboard(
    organisation: Organisation, campaigns: QuerySet[Campaign], *, organiser: bool = False
) -> dict[str, Any]:
    """What was attributed to ``organisation`` and below, in ``campaigns`` (those the reader
    may see); one group for the organisation's own reports and one per child, rolled up."""
    below = organisation.descendant_ids()
    tree = _organisations(below)

    def child_of(pk: int) -> int:
        # walk up to the organisation's direct child (or the organisation itself)
        while pk != organisation.pk and tree[pk][2] != organisation.pk:
            pk = tree[pk][2] or organisation.pk
        return pk

    attributed = Q(organisation_id__in=below) | Q(
        organisation_id__isnull=True, campaign__organisation_id__in=below
    )
    rows = Submission.objects.filter(attributed, campaign__in=campaigns, current=True)
    total, groups = Figures(), defaultdict[int, Figures](Figures)
    per_campaign: dict[int, Figures] = defaultdict(Figures)
    for row in grouped(rows.filter(status="accepted")):
        total.add(row)
        groups[child_of(row["organisation_id"] or row["campaign__organisation_id"])].add(row)
        per_campaign[row["campaign_id"]].add(row)
    titles = dict(Campaign.objects.filter(pk__in=per_campaign).values_list("pk", "slug"))
    answer: dict[str, Any] = {
        "version": 1,
        "organisation": {"slug": organisation.slug, "name": organisation.name,
                         "kind": organisation.kind},
        "minimum_group": settings.MENAGE_MEASURES_MIN_GROUP,
        **total.to_dict(),
        "groups": [
            {"organisation": tree[pk][0], "slug": tree[pk][1], **figures.to_dict()}
            for pk, figures in sorted(groups.items(), key=lambda item: tree[item[0]][0])
        ],
        "campaigns": [
            {"slug": titles[pk], **figures.to_dict()}
            for pk, figures in sorted(per_campaign.items(), key=lambda item: titles[item[0]])
        ],
    }  # fmt: skip
    if organiser:
        answer["review"] = review_counts(rows)
    return answer
