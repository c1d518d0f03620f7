"""The e-mails residents get about their registration and their event, in their language.

Each is queued in the outbox (retried, and shown to the organisers when it fails);
those about the event's date and place carry an iCalendar file that updates or removes
the event in the resident's calendar.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from menage.platform.core.links import absolute_reverse
from menage.platform.events.ical import calendar_bytes
from menage.platform.events.models import Event, Registration
from menage.platform.outbox.models import OutgoingMail
from menage.platform.outbox.queue import queue_mail


def send(
    registration: Registration,
    template: str,
    *,
    method: str = "",
    **context: Any,
) -> OutgoingMail | None:
    """Queue ``mail/TEMPLATE.txt`` for one person; nothing for a registration without address.

    Args:
        method: ``REQUEST`` or ``CANCEL`` to attach the event as an iCalendar file.
    """
    if not registration.email:
        return None
    event = registration.event
    language = registration.language or settings.LANGUAGE_CODE
    calendar = calendar_bytes(event.title, [event], language=language, method=method)
    return queue_mail(
        registration.email,
        template,
        {
            "registration": registration,
            "event": event,
            "venue": event.venue,
            "link": absolute_reverse("events:registration", language, token=registration.token()),
            "event_url": absolute_reverse("events:detail", language, pk=event.pk),
            "hold_minutes": settings.MENAGE_HOLD_MINUTES,
            **context,
        },
        language=language,
        calendar=calendar if method else b"",
        organisation=event.campaign.organisation,
        event=event,
        registration=registration,
    )


def everyone_told(event: Event) -> list[Registration]:
    """Who hears about a change or a cancellation: every confirmed address, waiting list too."""
    return list(
        event.registrations.filter(confirmed_at__isnull=False).exclude(email="").order_by("pk")
    )


def event_changed(event: Event, changes: list[str]) -> int:
    """Tell everyone registered that the date, time or venue changed; returns how many."""
    people = everyone_told(event)
    for registration in people:
        send(registration, "event_changed", method="REQUEST", changes=changes)
    return len(people)


def event_cancelled(event: Event) -> int:
    people = everyone_told(event)
    for registration in people:
        send(registration, "event_cancelled", method="CANCEL")
    return len(people)
