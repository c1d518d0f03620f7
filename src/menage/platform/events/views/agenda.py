"""The agenda: coming events by day, filtered by neighbourhood or campaign; event pages."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from menage.platform.events.booking import closed_reason
from menage.platform.events.queries import visible_events
from menage.platform.organisations.permissions import can_manage

PAGE_SIZE = 25


def agenda(request: HttpRequest) -> HttpResponse:
    events = visible_events(request.user).filter(ends_at__gte=timezone.now())
    if request.GET.get("past") == "1":
        events = visible_events(request.user).filter(ends_at__lt=timezone.now()).reverse()
    neighbourhoods = sorted(set(events.values_list("venue__neighbourhood", flat=True)))
    neighbourhood = request.GET.get("neighbourhood", "")
    if neighbourhood:
        events = events.filter(venue__neighbourhood=neighbourhood)
    campaign = request.GET.get("campaign", "")
    if campaign:
        events = events.filter(campaign__slug=campaign)
    page = Paginator(events.prefetch_related("partners"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    days: list[tuple[dt.date, list[object]]] = [
        (day, list(items))
        for day, items in groupby(
            page.object_list, key=lambda e: timezone.localtime(e.starts_at).date()
        )
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/agenda.html",
        {
            "days": days,
            "page": page,
            "neighbourhoods": neighbourhoods,
            "neighbourhood": neighbourhood,
            "campaign_slug": campaign,
            "past": request.GET.get("past") == "1",
            "query": query.urlencode(),
            "section": "agenda",
        },
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        visible_events(request.user).prefetch_related("partners", "facilitators"), pk=pk
    )
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "places_left": event.places_left(),
            "closed": closed_reason(event) if event.registration_open else "",
            "can_manage": can_manage(request.user, event.campaign.organisation_id),
            "facilitates": request.user.is_authenticated
            and event.facilitators.filter(pk=request.user.pk).exists(),
            "section": "agenda",
        },
    )
