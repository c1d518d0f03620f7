"""Organisations (city, school district, school, association, company) and their members."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
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
    description = models.TextField(_("description"), blank=True, max_length=5000)
    website = models.URLField(_("website"), blank=True)
    # its look on its own pages: a logo (PNG or JPEG, checked) and a colour dark enough
    # for white text (organisations/branding.py)
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        blank=True,
        help_text=_("A dark colour, as #1d4f91: white text must stay readable on it."),
    )
    # what its legal pages say when it publishes the site (MENAGE_PUBLISHER)
    data_controller = models.CharField(
        _("data controller"),
        max_length=200,
        blank=True,
        help_text=_("For example: Ville de Montclair, represented by its mayor."),
    )
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)
    dpo_contact = models.CharField(
        _("data protection officer (contact)"),
        max_length=200,
        blank=True,
        help_text=_("An email address or a web page."),
    )
    rgaa_status = models.CharField(
        _("accessibility compliance"),
        max_length=10,
        choices=[
            ("none", _("Not compliant (no audit yet)")),
            ("partial", _("Partially compliant (audited)")),
            ("full", _("Fully compliant (audited)")),
        ],
        default="none",
        help_text=_("Only an audit against the RGAA can say “partially” or “fully”."),
    )
    audit_date = models.DateField(_("audit date"), null=True, blank=True)
    audit_by = models.CharField(_("audited by"), max_length=200, blank=True)
    audit_rate = models.PositiveSmallIntegerField(
        _("compliance rate (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    non_compliant = models.TextField(
        _("content that is not accessible"), max_length=3000, blank=True
    )
    derogations = models.TextField(
        _("derogations"),
        max_length=3000,
        blank=True,
        help_text=_("Content exempted for a disproportionate burden, and why."),
    )
    accessibility_contact = models.CharField(
        _("accessibility contact"),
        max_length=200,
        blank=True,
        help_text=_("Where to report a problem: an email address or a web page."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.parent_id is not None and self.pk is not None:
            if self.pk in self.parent_chain(self.parent_id):
                raise ValidationError(
                    {"parent": _("An organisation cannot be below itself or its children.")}
                )

    @staticmethod
    def parent_chain(start: int | None) -> list[int]:
        """``start`` and every organisation above it (stops at a loop, should one exist)."""
        chain: list[int] = []
        while start is not None and start not in chain:
            chain.append(start)
            start = (
                Organisation.objects.filter(pk=start).values_list("parent_id", flat=True).first()
            )
        return chain

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


INVITATION_DAYS = 14
_INVITATION_SALT = "menage.platform.organisations.invitation"


class Invitation(models.Model):
    """An e-mail inviting someone to join an organisation with a role, or to register their
    own organisation below it (a school under its district), as its manager.

    The link is signed and expires after ``INVITATION_DAYS`` days; it works once.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    # set: the invited person creates an organisation of this kind below ``organisation``
    new_kind = models.CharField(
        _("their organisation"), max_length=20, choices=Organisation.Kind.choices, blank=True
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def token(self) -> str:
        return signing.dumps(self.pk, salt=_INVITATION_SALT)

    @classmethod
    def from_token(cls, token: str) -> Invitation | None:
        """The pending invitation behind a link, or None when forged, expired or used."""
        try:
            pk = signing.loads(token, salt=_INVITATION_SALT, max_age=INVITATION_DAYS * 86400)
        except signing.BadSignature:
            return None
        if not isinstance(pk, int):
            return None
        return (
            cls.objects.select_related("organisation")
            .filter(pk=pk, accepted_at__isnull=True)
            .first()
        )
