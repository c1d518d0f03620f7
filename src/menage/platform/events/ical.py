"""The iCalendar feed of a campaign's events (RFC 5545), for residents' calendars."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from menage.platform.campaigns.queries import visible_campaigns
from menage.platform.events.models import Event


def calendar_bytes(
    name: str, events: Iterable[Event], url_for: dict[int, str], domain: str
) -> bytes:
    """Serialise events into one calendar.

    Args:
        name: the calendar's name as shown by calendar applications.
        events: the events, with their venues loaded.
        url_for: each event's public page, by primary key.
        domain: used to make stable UIDs, so that an updated event replaces the old one.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Ménage//Campaign platform//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        item = CalendarEvent()
        item.add("uid", f"event-{event.pk}@{domain}")
        item.add("dtstamp", stamp)
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at)
        item.add("summary", event.title)
        venue = event.venue
        item.add("location", f"{venue.name}, {venue.address}")
        description = event.description
        if event.accessibility or venue.accessibility:
            description += "\n\n" + "\n".join(
                part for part in (venue.accessibility, event.accessibility) if part
            )
        item.add("description", description.strip())
        item.add("url", url_for[event.pk])
        calendar.add_component(item)
    return bytes(calendar.to_ical())


def campaign_feed(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(visible_campaigns(request.user), slug=slug)
    events = list(campaign.events.select_related("venue").order_by("starts_at"))
    urls = {event.pk: request.build_absolute_uri(event.get_absolute_url()) for event in events}
    body = calendar_bytes(campaign.name, events, urls, request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{campaign.slug}.ics"'
    return response
