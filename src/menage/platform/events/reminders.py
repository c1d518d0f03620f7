"""Reminders the day before: every confirmed booking with an address gets one, once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from menage.platform.events import notify
from menage.platform.events.models import Event, Registration


def due_events(now: dt.datetime) -> list[Event]:
    """Events starting between now and the end of tomorrow (local time), not reminded yet."""
    tomorrow_ends = timezone.make_aware(
        dt.datetime.combine(timezone.localdate(now) + dt.timedelta(days=2), dt.time())
    )
    return list(
        Event.objects.filter(
            cancelled_at__isnull=True,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lt=tomorrow_ends,
        ).select_related("venue", "campaign__organisation")
    )


def send_reminders(now: dt.datetime | None = None) -> int:
    """Queue the reminders that are due; returns how many mails were queued."""
    now = now or timezone.now()
    queued = 0
    for event in due_events(now):
        with transaction.atomic():
            # mark first: a second housekeeping run never reminds twice
            if not Event.objects.filter(pk=event.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            people = event.registrations.filter(
                place=Registration.Place.BOOKED, confirmed_at__isnull=False
            ).exclude(email="")
            for registration in people:
                registration.event = event
                notify.send(registration, "reminder")
                queued += 1
    return queued
