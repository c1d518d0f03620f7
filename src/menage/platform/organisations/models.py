"""Organisations (city, school district, school, association, company) and their members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A body that runs or supports a cleanup: a city, a school district and its schools…"""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        SCHOOL_DISTRICT = "school_district", _("School district")
        SCHOOL = "school", _("School")
        ASSOCIATION = "association", _("Association")
        COMPANY = "company", _("Company")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("For a school, its school district."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    def descendant_ids(self) -> set[int]:
        """This organisation and every organisation below it (a district and its schools)."""
        found = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = [
                pk
                for pk in Organisation.objects.filter(parent_id__in=frontier).values_list(
                    "pk", flat=True
                )
                if pk not in found
            ]
            found.update(frontier)
        return found


class Membership(models.Model):
    """A person's role in an organisation. Platform admins are Django staff users."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Organisation manager")
        FACILITATOR = "facilitator", _("Facilitator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"
