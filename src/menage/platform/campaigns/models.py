"""Campaigns: the operations organisations register (a city's week, a school's operation)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from menage.platform.core.visibility import Visibility
from menage.platform.organisations.models import Organisation


class Campaign(models.Model):
    """An operation with dates, run by one organisation; public or private."""

    class Kind(models.TextChoices):
        DATA = "data", _("Data cleanup")
        REUSE = "reuse", _("Reuse")
        RECYCLING = "recycling", _("Recycling")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    audience = models.CharField(
        _("target audience"),
        max_length=200,
        blank=True,
        help_text=_("For example: residents, pupils and teachers, city staff."),
    )
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="operations",
        help_text=_(
            "The wider campaign this operation belongs to, such as a district's week. "
            "Its organisers approve it before it is listed there."
        ),
    )
    # the wider campaign's organisers approved it (their own operations need no approval)
    part_of_approved = models.BooleanField(_("approved by the wider campaign"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day must be on or after the first day.")})
        if self.part_of_id is not None and self.pk is not None:
            if self.pk in self.wider_chain(self.part_of_id):
                raise ValidationError(
                    {"part_of": _("A campaign cannot be part of itself or of its own operations.")}
                )

    def operation_ids(self) -> set[int]:
        """This campaign and every operation below it, all the way down."""
        found = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = [
                pk
                for pk in Campaign.objects.filter(part_of_id__in=frontier).values_list(
                    "pk", flat=True
                )
                if pk not in found
            ]
            found.update(frontier)
        return found

    @staticmethod
    def wider_chain(start: int | None) -> list[int]:
        """``start`` and every campaign it is part of, upwards (stops at a loop)."""
        chain: list[int] = []
        while start is not None and start not in chain:
            chain.append(start)
            start = Campaign.objects.filter(pk=start).values_list("part_of_id", flat=True).first()
        return chain


class CampaignAlias(models.Model):
    """A short name a campaign had before: its old addresses (and calendar feeds that
    residents subscribed to) redirect to the new ones."""

    slug = models.SlugField(max_length=80, unique=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="aliases")

    def __str__(self) -> str:
        return f"{self.slug} → {self.campaign.slug}"
