"""Collection points where residents drop off old equipment."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from menage.platform.campaigns.models import Campaign


class Item(models.TextChoices):
    COMPUTERS = "computers", _("Computers")
    PHONES = "phones", _("Phones")
    TABLETS = "tablets", _("Tablets")
    SCREENS = "screens", _("Screens")
    CABLES = "cables", _("Cables and chargers")
    PRINTERS = "printers", _("Printers")
    PERIPHERALS = "peripherals", _("Keyboards, mice and other peripherals")
    STORAGE = "storage", _("Hard drives and USB sticks")


class CollectionPoint(models.Model):
    """A place, its opening hours and what it accepts during a campaign."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="collection_points",
    )
    name = models.CharField(_("place"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100)
    town = models.CharField(_("town"), max_length=100, blank=True)
    # [[weekday, "HH:MM", "HH:MM"], ...] read from the short form (collection/hours.py)
    hours = models.JSONField(_("opening hours"), default=list, blank=True)
    opening_hours = models.TextField(
        _("more about the hours"),
        max_length=1000,
        blank=True,
        help_text=_("For example: closed on public holidays."),
    )
    accepted_items = models.JSONField(_("accepted items"), default=list)
    starts_on = models.DateField(_("open from"))
    ends_on = models.DateField(_("open until"))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Between -90 and 90, for example 47.902964."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Between -180 and 180, for example 1.909251."),
    )
    notes = models.TextField(
        _("notes"),
        blank=True,
        max_length=2000,
        help_text=_("Accessibility, what to do before dropping off (wipe your data)…"),
    )

    class Meta:
        ordering = ["neighbourhood", "name"]
        verbose_name = _("collection point")
        verbose_name_plural = _("collection points")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="collection_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collection:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day must be on or after the first day.")})
        unknown = set(self.accepted_items or []) - set(Item.values)
        if unknown or not self.accepted_items:
            raise ValidationError({"accepted_items": _("Choose at least one kind of item.")})

    def hours_lines(self) -> list[str]:
        from menage.platform.collection.hours import describe

        return describe(self.hours) if self.hours else []

    def is_open(self, moment: dt.datetime) -> bool:
        """Open at ``moment``: within its dates and its opening hours."""
        from menage.platform.collection.hours import is_open

        day = timezone.localtime(moment).date()
        return self.starts_on <= day <= self.ends_on and is_open(self.hours, moment)

    def accepted_labels(self) -> list[str]:
        return [str(Item(value).label) for value in self.accepted_items if value in Item.values]

    def map_url(self) -> str:
        """A link to OpenStreetMap (no tiles are loaded on our pages)."""
        if self.latitude is not None and self.longitude is not None:
            query = {"mlat": self.latitude, "mlon": self.longitude}
            return f"https://www.openstreetmap.org/?{urlencode(query)}#map=18/{self.latitude}/{self.longitude}"
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.address})
