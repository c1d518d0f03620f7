"""iCalendar (RFC 5545): a campaign's feed, one event's file, and the invitations residents get.

UIDs are made from the event's number and the site's host name, and never change: a
calendar application that imported an event replaces it when the event changes
(``SEQUENCE`` grows) and removes it when it is cancelled (``STATUS:CANCELLED``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from menage.platform.campaigns.queries import Moved, campaign_or_moved, redirect_moved
from menage.platform.core.links import absolute_reverse, site_domain
from menage.platform.events.models import Event
from menage.platform.events.queries import visible_events


def _component(event: Event, language: str) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", f"event-{event.pk}@{site_domain()}")
    item.add("dtstamp", timezone.now())
    item.add("sequence", event.sequence)
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
    item.add("url", absolute_reverse("events:detail", language, pk=event.pk))
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return item


def calendar_bytes(
    name: str, events: Iterable[Event], *, language: str = "fr", method: str = ""
) -> bytes:
    """Serialise events into one calendar.

    Args:
        name: the calendar's name as shown by calendar applications.
        events: the events, with their venues loaded.
        language: the language of the event pages linked from it.
        method: ``REQUEST`` for an invitation or a change, ``CANCEL`` for a cancellation
            (RFC 5546); empty for a published feed.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Ménage//Campaign platform//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(_component(event, language))
    return bytes(calendar.to_ical())


def _response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


def campaign_feed(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        campaign = campaign_or_moved(request.user, slug)
    except Moved as moved:
        # a calendar subscribed before the short name changed keeps updating
        return redirect_moved(request.path, slug, moved.campaign.slug)
    events = list(campaign.events.select_related("venue").order_by("starts_at"))
    body = calendar_bytes(campaign.name, events, language=translation.get_language())
    return _response(body, campaign.slug)


def event_file(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(visible_events(request.user), pk=pk)
    body = calendar_bytes(event.title, [event], language=translation.get_language())
    return _response(body, f"evenement-{event.pk}")
