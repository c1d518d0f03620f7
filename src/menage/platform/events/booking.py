"""A resident's place, from the form to the day: the booking workflow, in one place.

States (``Registration.place`` and ``confirmed_at``)::

    online form ──► booked, unconfirmed (place held MENAGE_HOLD_MINUTES) ──link──► booked
         │ full                                         │ expired: released
         └──────► waiting, unconfirmed ──link──► waiting ──place frees──► offered
                                                                  (MENAGE_OFFER_HOURS)
    offered ──accept──► booked        offered ──decline or expire──► deleted, next offered
    desk or phone (organiser) ──► booked (or waiting when full), confirmed at once

Every change that frees a place offers it to the waiting list, first come first served.
Each step locks the event's row, so two people never get the last place.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from menage.platform.events import notify
from menage.platform.events.models import Event, Registration

Place = Registration.Place


class Refused(Exception):
    """The registration cannot be made; the message says why, for the person."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the form field the message belongs to


def closed_reason(event: Event, now: dt.datetime | None = None) -> str:
    """Why residents cannot register online, or an empty string."""
    now = now or timezone.now()
    if event.is_cancelled:
        return _("This event is cancelled.")
    if not event.registration_open:
        return _("This event has no registration: come along.")
    if event.starts_at <= now:
        return _("This event has started or is over.")
    return ""


def _locked(event_id: int) -> Event:
    return Event.objects.select_for_update().select_related("venue", "campaign").get(pk=event_id)


def _stale(now: dt.datetime) -> Q:
    """Unconfirmed registrations whose link expired: they hold nothing and block nobody."""
    return Q(confirmed_at__isnull=True, hold_until__lte=now) | Q(
        place=Place.OFFERED, hold_until__lte=now
    )


def register_online(
    event: Event, name: str, email: str, language: str, now: dt.datetime | None = None
) -> Registration:
    """Hold a place (or a waiting-list spot) and send the link that confirms it.

    Raises:
        Refused: the event is closed, or the address is already registered.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(event.pk)
        reason = closed_reason(locked, now)
        if reason:
            raise Refused(reason)
        locked.registrations.filter(_stale(now), email=email).delete()
        if locked.registrations.filter(email=email).exists():
            raise Refused(_("This email address is already registered for this event."), "email")
        left = locked.places_left(now)
        full = left is not None and left <= 0
        registration = Registration.objects.create(
            event=locked,
            name=name,
            email=email,
            language=language,
            place=Place.WAITING if full else Place.BOOKED,
            hold_until=now + dt.timedelta(minutes=settings.MENAGE_HOLD_MINUTES),
        )
        notify.send(registration, "waiting_confirm" if full else "registration_confirm")
    return registration


def confirm(registration: Registration, now: dt.datetime | None = None) -> Registration:
    """The person clicked their link: the address is theirs. Idempotent.

    A booking confirmed after its hold expired keeps a place if one is free, else joins
    the waiting list (the page says which).
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(registration.event_id)
        current = Registration.objects.filter(pk=registration.pk).first()
        if current is None or current.confirmed_at is not None:
            return current or registration
        if current.place == Place.BOOKED and current.hold_until and current.hold_until <= now:
            left = event.places_left(now)
            if left is not None and left <= 0:
                current.place = Place.WAITING
        current.confirmed_at = now
        current.hold_until = None
        current.save(update_fields=["place", "confirmed_at", "hold_until"])
        current.event = event
        if current.place == Place.BOOKED:
            notify.send(current, "registration_confirmed", method="REQUEST")
    return current


def accept_offer(registration: Registration, now: dt.datetime | None = None) -> bool:
    """Take the place offered from the waiting list; False when the offer has expired."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(registration.event_id)
        taken = Registration.objects.filter(
            pk=registration.pk, place=Place.OFFERED, hold_until__gt=now
        ).update(place=Place.BOOKED, hold_until=None, confirmed_at=now)
        if not taken:
            return False
        current = Registration.objects.get(pk=registration.pk)
        current.event = event
        notify.send(current, "registration_confirmed", method="REQUEST")
    return True


def cancel(registration: Registration, now: dt.datetime | None = None) -> None:
    """The person leaves (or declines an offer): delete them, offer the place to the next."""
    with transaction.atomic():
        event = _locked(registration.event_id)
        Registration.objects.filter(pk=registration.pk).delete()
        offer_free_places(event, now)


def offer_free_places(event: Event, now: dt.datetime | None = None) -> int:
    """Offer every free place to the waiting list, in order; returns how many were offered.

    Call it inside a transaction that locked the event.
    """
    now = now or timezone.now()
    if event.is_cancelled or event.starts_at <= now or event.capacity is None:
        return 0
    left = event.places_left(now) or 0
    offered = 0
    for registration in event.waiting()[:left]:
        registration.place = Place.OFFERED
        registration.hold_until = min(
            now + dt.timedelta(hours=settings.MENAGE_OFFER_HOURS), event.starts_at
        )
        registration.save(update_fields=["place", "hold_until"])
        registration.event = event
        notify.send(registration, "place_offered")
        offered += 1
    return offered


def register_at_desk(
    event: Event,
    *,
    name: str,
    email: str,
    phone: str,
    language: str,
    over_capacity: bool,
    now: dt.datetime | None = None,
) -> Registration:
    """An organiser registers someone at the desk or on the phone: confirmed at once.

    When the event is full the person joins the waiting list, unless the organiser lets
    them in over capacity (on the day, at the door).

    Raises:
        Refused: the address is already registered for this event.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(event.pk)
        if email and locked.registrations.filter(email=email).exists():
            raise Refused(_("This email address is already registered for this event."), "email")
        left = locked.places_left(now)
        full = left is not None and left <= 0 and not over_capacity
        registration = Registration.objects.create(
            event=locked,
            name=name,
            email=email,
            phone=phone,
            language=language,
            source=Registration.Source.DESK,
            place=Place.WAITING if full else Place.BOOKED,
            confirmed_at=now,
        )
        if not full:
            notify.send(registration, "registration_confirmed", method="REQUEST")
        else:
            notify.send(registration, "waiting_joined")
    return registration


def release_expired(now: dt.datetime | None = None) -> int:
    """Forget unconfirmed registrations and unanswered offers past their time, then offer
    the places they held. Returns how many registrations went."""
    now = now or timezone.now()
    released = 0
    event_ids = set(
        Registration.objects.filter(_stale(now)).values_list("event_id", flat=True).distinct()
    )
    event_ids |= set(
        Registration.objects.filter(
            place=Place.WAITING, confirmed_at__isnull=False, event__starts_at__gt=now
        )
        .values_list("event_id", flat=True)
        .distinct()
    )
    for event_id in sorted(event_ids):
        with transaction.atomic():
            event = _locked(event_id)
            deleted, _kinds = event.registrations.filter(_stale(now)).delete()
            released += deleted
            offer_free_places(event, now)
    return released
