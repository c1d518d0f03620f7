"""Guides and kits shared between organisations: a file or a link, by theme."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from menage.platform.organisations.models import Organisation


class Theme(models.TextChoices):
    DATA = "data", _("Cleaning up data")
    MAIL = "mail", _("Mailboxes")
    PHONE = "phone", _("Phones")
    REUSE = "reuse", _("Reuse and repair")
    RECYCLING = "recycling", _("Recycling")
    AI = "ai", _("AI and its footprint")
    ORGANISING = "organising", _("Organising a campaign")


class Resource(models.Model):
    """A file (checked type, limited size) or a link, shared publicly or between organisations."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: everyone can see it")
        SHARED = "shared", _("Shared with every organisation on the platform")
        PRIVATE = "private", _("Private: only members of the organisation")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="resources",
    )
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    file = models.FileField(_("file"), upload_to="resources/%Y/", blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0, editable=False)
    url = models.URLField(_("link"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.SHARED
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["theme", "title"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url=""))
                | (~models.Q(file="") & models.Q(url="")),
                name="resource_is_a_file_or_a_link",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", kwargs={"pk": self.pk})

    @property
    def extension(self) -> str:
        name = self.file.name or ""
        return name.rsplit(".", 1)[-1].upper() if "." in name else ""
