"""Public pages: the list of campaigns and one page per campaign."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from menage.platform.campaigns.models import Campaign
from menage.platform.campaigns.queries import (
    Moved,
    campaign_or_moved,
    redirect_moved,
    visible_campaigns,
)
from menage.platform.events.models import Event
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


def _days(campaign: Campaign) -> list[tuple[dt.date, list[Event]]]:
    events = (
        campaign.events.select_related("venue")
        .prefetch_related("partners", "facilitators")
        .order_by("starts_at")
    )
    return [
        (day, list(items))
        for day, items in groupby(events, key=lambda e: timezone.localtime(e.starts_at).date())
    ]


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        campaign = campaign_or_moved(request.user, slug)
    except Moved as moved:
        return redirect_moved(request.path, slug, moved.campaign.slug)
    days = _days(campaign)
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
            "theme": campaign.organisation,
            "section": "campaigns",
        },
    )


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme on paper: a poster or a leaflet for the town hall's door."""
    try:
        campaign = campaign_or_moved(request.user, slug)
    except Moved as moved:
        return redirect_moved(request.path, slug, moved.campaign.slug)
    return render(
        request,
        "campaigns/programme.html",
        {
            "campaign": campaign,
            "days": _days(campaign),
            "points": campaign.collection_points.all(),
            "address": request.build_absolute_uri(campaign.get_absolute_url()),
            "theme": campaign.organisation,
            "section": "campaigns",
        },
    )
