"""Collected devices, the steps of their lifecycle, wipe certificates and parts given.

Device types are the shared vocabulary of :mod:`menage.impact.devices`: the codes are
stored, the labels shown in the page's language.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from menage.impact.devices import DEVICE_TYPES, DeviceType
from menage.platform.campaigns.models import Campaign
from menage.platform.collection.models import CollectionPoint
from menage.platform.core.workflow import TransitionLogBase
from menage.platform.equipment.lifecycle import LIFECYCLE
from menage.platform.organisations.models import Organisation

# no 0/O, 1/I/L, U: a code read aloud or copied by hand from a label stays right
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def _type_label(kind: DeviceType) -> str:
    return kind.label(get_language() or "fr")


DEVICE_TYPE_CHOICES = [(d.code, lazy(_type_label, str)(d)) for d in DEVICE_TYPES]


def new_code() -> str:
    """A short code for a label, like ``K7P-3XM`` (6 characters, 729 million codes)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{chars[:3]}-{chars[3:]}"


class Device(models.Model):
    """One collected device and where it is in its lifecycle."""

    class Condition(models.TextChoices):
        UNKNOWN = "unknown", _("not checked yet")
        WORKING = "working", _("working")
        FAULTY = "faulty", _("works with faults")
        BROKEN = "broken", _("does not work")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="devices",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="devices",
    )
    collection_point = models.ForeignKey(
        CollectionPoint,
        verbose_name=_("collection point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="devices",
    )
    code = models.CharField(_("label code"), max_length=12, unique=True, editable=False)
    device_type = models.CharField(_("type"), max_length=20, choices=DEVICE_TYPE_CHOICES)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    model_name = models.CharField(_("model"), max_length=150, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.UNKNOWN
    )
    collected_on = models.DateField(_("collected on"))
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=LIFECYCLE.choices(), default=LIFECYCLE.initial
    )
    recipient = models.CharField(
        _("given or sold to"), max_length=200, blank=True, help_text=_("A town, an association…")
    )
    channel = models.CharField(
        _("recycling channel"), max_length=200, blank=True, help_text=_("Ecologic, a recycler…")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-collected_on", "-pk"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight_kg__isnull=True) | models.Q(weight_kg__gte=0),
                name="device_weight_not_negative",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.code} {self.get_device_type_display()} {self.brand} {self.model_name}".strip()
        )

    def get_absolute_url(self) -> str:
        return reverse("equipment:detail", kwargs={"pk": self.pk})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            self.code = new_code()
            while Device.objects.filter(code=self.code).exists():
                self.code = new_code()
        super().save(*args, **kwargs)

    def allowed_steps(self) -> list[Any]:
        return LIFECYCLE.allowed(self.state)


class DeviceTransition(TransitionLogBase):
    """A step of a device's lifecycle: who took it, when and why."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="log"
    )

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("lifecycle step")
        verbose_name_plural = _("lifecycle steps")

    def __str__(self) -> str:
        return f"{self.device.code}: {self.from_state} → {self.to_state}"

    def step_label(self) -> str:
        return (
            str(LIFECYCLE.transition(self.transition).label)
            if self.transition != "collect"
            else str(_("Collected"))
        )

    def to_label(self) -> str:
        return str(LIFECYCLE.states.get(self.to_state, self.to_state))


class WipeCertificate(models.Model):
    """How a device's data was destroyed, by whom, when, and how it was checked.

    Follows the sanitisation record of NIST SP 800-88 Rev. 1 (appendix G): category
    (Clear, Purge, Destroy), technique and tool, verification, operator and validator.
    """

    class Method(models.TextChoices):
        CLEAR = "nist_clear", _("NIST SP 800-88 Clear (overwrite with software)")
        PURGE = "nist_purge", _("NIST SP 800-88 Purge (cryptographic or block erase)")
        VENDOR = "vendor_secure_erase", _("Vendor secure erase (ATA Secure Erase, NVMe Sanitize)")
        DESTROY = "physical_destruction", _("Physical destruction (shred, drill, crush)")

    class Verification(models.TextChoices):
        FULL = "full", _("Full verification (the whole medium read back)")
        SAMPLE = "sample", _("Sampling (representative parts read back)")
        VISUAL = "visual", _("Visual inspection (destroyed medium)")
        TOOL_REPORT = "tool_report", _("The tool's own report")

    device = models.OneToOneField(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    method = models.CharField(_("method"), max_length=30, choices=Method.choices)
    media = models.CharField(
        _("storage medium"), max_length=200, help_text=_("For example: SSD 256 GB, serial S3Z…")
    )
    tool = models.CharField(
        _("tool and version"), max_length=200, blank=True, help_text=_("For example: nwipe 0.34")
    )
    operator = models.CharField(_("operator"), max_length=200)
    wiped_on = models.DateField(_("wiped on"))
    verification = models.CharField(_("verification"), max_length=20, choices=Verification.choices)
    verified_by = models.CharField(_("verified by"), max_length=200, blank=True)
    result = models.CharField(
        _("verification result"), max_length=300, help_text=_("What the check showed.")
    )
    batch = models.CharField(
        _("batch"),
        max_length=50,
        blank=True,
        help_text=_("Devices wiped together share a batch reference and a batch certificate."),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-wiped_on", "number"]
        verbose_name = _("wipe certificate")
        verbose_name_plural = _("wipe certificates")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("equipment:certificate", kwargs={"pk": self.device_id})


class PartDonation(models.Model):
    """Parts a donor device gave to a refurbished one."""

    device = models.ForeignKey(
        Device,
        verbose_name=_("refurbished device"),
        on_delete=models.CASCADE,
        related_name="parts_received",
    )
    donor = models.ForeignKey(
        Device, verbose_name=_("donor"), on_delete=models.PROTECT, related_name="parts_given"
    )
    parts = models.CharField(_("parts"), max_length=200)

    class Meta:
        verbose_name = _("parts given")
        verbose_name_plural = _("parts given")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(device=models.F("donor")), name="part_donor_is_another_device"
            )
        ]

    def __str__(self) -> str:
        return f"{self.donor.code} → {self.device.code}: {self.parts}"


class CollectedBatch(models.Model):
    """Devices dropped in bulk at a collection point and counted, not recorded one by one.

    A box of 14 phones or 9 kg of cables: what the facilitator counts at the point goes
    into the totals (devices collected, kg) without a device record each.
    """

    collection_point = models.ForeignKey(
        CollectionPoint,
        verbose_name=_("collection point"),
        on_delete=models.PROTECT,
        related_name="collected_batches",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="collected_batches",
    )
    device_type = models.CharField(_("type"), max_length=20, choices=DEVICE_TYPE_CHOICES)
    condition = models.CharField(
        _("condition"),
        max_length=10,
        choices=Device.Condition.choices,
        default=Device.Condition.UNKNOWN,
    )
    count = models.PositiveIntegerField(_("number of devices"))
    weight_kg = models.DecimalField(
        _("total weight (kg)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    collected_on = models.DateField(_("collected on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-collected_on", "-pk"]
        verbose_name = _("devices counted at a collection point")
        verbose_name_plural = _("devices counted at collection points")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="collected_batch_count_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(weight_kg__isnull=True) | models.Q(weight_kg__gte=0),
                name="collected_batch_weight_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.get_device_type_display()} ({self.collection_point})"


class FleetInventory(models.Model):
    """An organisation's equipment inventory (CSV), kept as uploaded once it read cleanly.

    The footprint is computed from the file each time it is shown, with the factors of
    the day: the file, the column mapping and the type words are all that is stored.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="fleet_inventories",
    )
    name = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("file"))
    columns = models.JSONField(_("column mapping"), default=dict, blank=True)
    types = models.JSONField(_("type words"), default=dict, blank=True)
    devices = models.PositiveIntegerField(_("devices"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("fleet inventory")
        verbose_name_plural = _("fleet inventories")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("equipment:fleet_detail", kwargs={"pk": self.pk})
