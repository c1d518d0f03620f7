"""Events (workshops, talks, exhibitions, evenings), their venues and residents' registrations."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
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
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
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
    description = models.TextField(_("description"), blank=True)
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
        help_text=_("What this event offers beyond the venue: subtitles, large print…"),
    )

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

    def places_left(self) -> int | None:
        """Places still free, or None when the event has no limit."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.registrations.count())


def hash_token(token: str) -> str:
    """Only the hash of a cancellation token is stored: a leaked database cancels nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class Registration(models.Model):
    """A resident's place at an event: a name and an email address, nothing more.

    Deleted after the campaign by ``purge_registrations`` (README).
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="one_registration_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"

    def new_token(self) -> str:
        """Set a fresh cancellation token and return it (it is shown once, then only hashed)."""
        token = secrets.token_urlsafe(24)
        self.token_hash = hash_token(token)
        return token
