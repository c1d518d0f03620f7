"""The agenda: coming events by day, filtered by week, type, town, neighbourhood or
campaign (a GET form: works without JavaScript, and the address can be shared); event pages."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from menage.platform.events.booking import closed_reason
from menage.platform.events.models import Event
from menage.platform.events.queries import visible_events
from menage.platform.organisations.permissions import can_manage

PAGE_SIZE = 25


def end_of_week(now: dt.datetime) -> dt.datetime:
    """Sunday night, local time, of the week ``now`` is in."""
    today = timezone.localdate(now)
    monday_after = today + dt.timedelta(days=7 - today.weekday())
    return timezone.make_aware(dt.datetime.combine(monday_after, dt.time()))


def this_week(user: object, now: dt.datetime | None = None) -> QuerySet[Event]:
    """What is on from now to Sunday night (the home page leads with it)."""
    now = now or timezone.now()
    return visible_events(user).filter(
        ends_at__gte=now, starts_at__lt=end_of_week(now), cancelled_at__isnull=True
    )


def agenda(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    past = request.GET.get("past") == "1"
    events = visible_events(request.user)
    events = events.filter(ends_at__lt=now).reverse() if past else events.filter(ends_at__gte=now)
    when = request.GET.get("when", "")
    if when == "week" and not past:
        events = events.filter(starts_at__lt=end_of_week(now))
    kind = request.GET.get("type", "")
    if kind in Event.Kind.values:
        events = events.filter(kind=kind)
    campaign = request.GET.get("campaign", "")
    if campaign:
        events = events.filter(campaign__slug=campaign)
    towns = sorted(set(events.exclude(venue__town="").values_list("venue__town", flat=True)))
    town = request.GET.get("town", "")
    if town:
        events = events.filter(venue__town=town)
    neighbourhoods = sorted(set(events.values_list("venue__neighbourhood", flat=True)))
    neighbourhood = request.GET.get("neighbourhood", "")
    if neighbourhood:
        events = events.filter(venue__neighbourhood=neighbourhood)
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
            "when": when,
            "kinds": Event.Kind.choices,
            "kind": kind,
            "towns": towns,
            "town": town,
            "neighbourhoods": neighbourhoods,
            "neighbourhood": neighbourhood,
            "campaign_slug": campaign,
            "past": past,
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
            "theme": event.campaign.organisation,
            "section": "agenda",
        },
    )
