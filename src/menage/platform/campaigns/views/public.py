"""Public pages: the list of campaigns and one page per campaign."""

from __future__ import annotations

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from menage.platform.campaigns.models import Campaign
from menage.platform.campaigns.queries import visible_campaigns
from menage.platform.organisations.permissions import can_manage

PAGE_SIZE = 20


def campaign_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    campaigns = visible_campaigns(request.user).annotate(event_count=Count("events"))
    kind = request.GET.get("type", "")
    if kind in Campaign.Kind.values:
        campaigns = campaigns.filter(kind=kind)
    current = campaigns.filter(ends_on__gte=today).order_by("starts_on", "name")
    past = campaigns.filter(ends_on__lt=today).order_by("-ends_on", "name")
    page = Paginator(current, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/list.html",
        {
            "page": page,
            "past": past[:PAGE_SIZE],
            "kinds": Campaign.Kind.choices,
            "kind": kind,
            "section": "campaigns",
        },
    )


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(visible_campaigns(request.user), slug=slug)
    events = (
        campaign.events.select_related("venue")
        .prefetch_related("partners", "facilitators")
        .order_by("starts_at")
    )
    days = [
        (day, list(items))
        for day, items in groupby(events, key=lambda e: timezone.localtime(e.starts_at).date())
    ]
    operations = (
        visible_campaigns(request.user)
        .filter(part_of=campaign, part_of_approved=True)
        .order_by("name")
    )
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "days": days,
            "points": campaign.collection_points.all(),
            "operations": operations,
            "can_manage": can_manage(request.user, campaign.organisation_id),
            "section": "campaigns",
        },
    )
