"""Events (workshops, talks, exhibitions, evenings), their venues and residents' registrations."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from menage.platform.campaigns.models import Campaign
from menage.platform.organisations.models import Organisation


class Venue(models.Model):
    """A place where events happen: a neighbourhood centre, a library, a school."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="venues",
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100)
    town = models.CharField(_("town"), max_length=100, blank=True)
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        max_length=1000,
        help_text=_("Step-free access, lift, accessible toilets, hearing loop…"),
    )

    class Meta:
        ordering = ["neighbourhood", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return f"{self.name} ({self.neighbourhood})"


class Event(models.Model):
    """One session of a campaign, at a venue, with an optional registration."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        TALK = "talk", _("Talk")
        EXHIBITION = "exhibition", _("Exhibition")
        EVENING = "evening", _("Evening")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="events"
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="facilitated_events",
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partner organisations"), blank=True, related_name="+"
    )
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Number of places; leave empty for no limit."),
    )
    registration_open = models.BooleanField(
        _("residents can register"),
        default=False,
        help_text=_("Residents give their name and email address only."),
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        max_length=1000,
        help_text=_("What this event offers beyond the venue: subtitles, large print…"),
    )
    # an event is cancelled, never deleted once people registered: they are told why
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason"), blank=True, max_length=1000)
    # iCalendar SEQUENCE: each change of date, time or venue sent to residents raises it
    sequence = models.PositiveIntegerField(default=0, editable=False)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def places_taken(self, now: dt.datetime | None = None) -> int:
        return self.registrations.filter(holds_a_place(now)).count()

    def places_left(self, now: dt.datetime | None = None) -> int | None:
        """Places still free, or None when the event has no limit."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.places_taken(now))

    def waiting(self) -> models.QuerySet[Registration]:
        """The waiting list, first come first served (confirmed addresses only)."""
        return self.registrations.filter(
            place=Registration.Place.WAITING, confirmed_at__isnull=False
        ).order_by("created_at", "pk")


def holds_a_place(now: dt.datetime | None = None) -> models.Q:
    """Registrations that count against the capacity at ``now``.

    A confirmed booking, a booking whose confirmation link has not expired yet, and a
    place offered to the waiting list until the offer expires.
    """
    now = now or timezone.now()
    booked = models.Q(place=Registration.Place.BOOKED) & (
        models.Q(confirmed_at__isnull=False) | models.Q(hold_until__gt=now)
    )
    return booked | models.Q(place=Registration.Place.OFFERED, hold_until__gt=now)


class Registration(models.Model):
    """A resident's place at an event: a name and an email address (or a phone), nothing more.

    Online, the address is confirmed by a link sent to it (double opt-in): until then the
    place is only held, for ``MENAGE_HOLD_MINUTES``. At the desk or on the phone the
    organiser registers the person, with or without an address. Deleted after the
    campaign by ``purge_registrations`` (README).
    """

    class Place(models.TextChoices):
        BOOKED = "booked", _("Place booked")
        WAITING = "waiting", _("Waiting list")
        OFFERED = "offered", _("Place offered")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        DESK = "desk", _("At the desk or by phone")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    place = models.CharField(_("place"), max_length=10, choices=Place.choices, default=Place.BOOKED)
    source = models.CharField(
        _("registered"), max_length=10, choices=Source.choices, default=Source.ONLINE
    )
    language = models.CharField(max_length=8, default="fr")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    hold_until = models.DateTimeField(_("held until"), null=True, blank=True)
    attended = models.BooleanField(_("present"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(email=""),
                name="one_registration_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def position(self) -> int:
        """Rank on the waiting list (1 is the next to be offered a place)."""
        ahead = models.Q(created_at__lt=self.created_at) | models.Q(
            created_at=self.created_at, pk__lt=self.pk
        )
        return self.event.waiting().filter(ahead).count() + 1

    def token(self) -> str:
        """The secret of this person's link (confirm, accept, cancel).

        Signed with the site's secret key, not stored: a leaked database confirms or
        cancels nothing, and every mail carries a link that keeps working.
        """
        return signing.Signer(salt=_TOKEN_SALT).sign(f"{self.pk}.{self.event_id}")

    @classmethod
    def from_token(cls, token: str) -> Registration | None:
        try:
            value = signing.Signer(salt=_TOKEN_SALT).unsign(token)
            pk, event_id = (int(part) for part in value.split("."))
        except (signing.BadSignature, ValueError):
            return None
        return (
            cls.objects.select_related("event", "event__venue")
            .filter(pk=pk, event_id=event_id)
            .first()
        )


_TOKEN_SALT = "menage.platform.events.registration"
