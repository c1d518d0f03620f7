"""Organisers' forms for devices: record, take a step, wipe with a certificate, refurbish."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from menage.platform.campaigns.models import Campaign
from menage.platform.collection.models import CollectionPoint
from menage.platform.core.forms import AccessibleFormMixin
from menage.platform.core.workflow import Transition
from menage.platform.equipment.lifecycle import PARTS_USED, WIPED
from menage.platform.equipment.models import Device, WipeCertificate
from menage.platform.organisations.models import Organisation

DONOR_ROWS = 3


class DeviceForm(AccessibleFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Device
        fields = [
            "organisation",
            "device_type",
            "brand",
            "model_name",
            "serial",
            "condition",
            "collected_on",
            "weight_kg",
            "campaign",
            "collection_point",
            "notes",
        ]
        widgets = {
            "collected_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = organisations
        fields["organisation"].empty_label = None
        fields["campaign"].queryset = Campaign.objects.filter(organisation__in=organisations)
        fields["collection_point"].queryset = CollectionPoint.objects.filter(
            campaign__organisation__in=organisations
        ).select_related("campaign")
        fields["weight_kg"].widget.attrs.update(min="0", step="0.01")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        org = data.get("organisation")
        campaign, point = data.get("campaign"), data.get("collection_point")
        if org and campaign and campaign.organisation_id != org.pk:
            self.add_error("campaign", _("This campaign belongs to another organisation."))
        if campaign and point and point.campaign_id != campaign.pk:
            self.add_error("collection_point", _("This collection point is in another campaign."))
        if point and not campaign:
            data["campaign"] = point.campaign
        return data


class StepForm(AccessibleFormMixin, forms.Form):
    """The facts a step needs (recipient, channel) and a note for the log."""

    recipient = forms.CharField(label=_("Given or sold to"), max_length=200)
    channel = forms.CharField(label=_("Recycling channel"), max_length=200)
    note = forms.CharField(
        label=_("Note for the log"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, step: Transition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("recipient", "channel"):
            if name not in step.requires:
                del self.fields[name]
        self.fields["note"].required = "note" in step.requires
        if step.help:
            self.fields["note"].help_text = step.help


class WipeForm(AccessibleFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = WipeCertificate
        fields = [
            "method",
            "media",
            "tool",
            "operator",
            "wiped_on",
            "verification",
            "verified_by",
            "result",
            "batch",
        ]
        widgets = {
            "method": forms.RadioSelect,
            "verification": forms.RadioSelect,
            "wiped_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        destroyed = data.get("method") == WipeCertificate.Method.DESTROY
        if data.get("verification") == WipeCertificate.Verification.VISUAL and not destroyed:
            self.add_error(
                "verification",
                _(
                    "A visual inspection only verifies a physical destruction: "
                    "read the medium back."
                ),
            )
        return data


class RefurbishForm(AccessibleFormMixin, forms.Form):
    """Up to three donors, each with the parts it gave."""

    note = forms.CharField(
        label=_("Note for the log"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args: Any, device: Device, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        donors = Device.objects.filter(
            organisation=device.organisation, state__in=(WIPED, PARTS_USED)
        ).exclude(pk=device.pk)
        for row in range(1, DONOR_ROWS + 1):
            self.fields[f"donor_{row}"] = forms.ModelChoiceField(
                queryset=donors,
                required=row == 1,
                label=_("Donor {n}").format(n=row),
                empty_label=_("(none)"),
            )
            self.fields[f"parts_{row}"] = forms.CharField(
                label=_("Parts given by donor {n}").format(n=row),
                required=False,
                max_length=200,
                help_text=_("For example: screen, battery, 8 GB RAM") if row == 1 else "",
            )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        seen: set[int] = set()
        for row in range(1, DONOR_ROWS + 1):
            donor, parts = data.get(f"donor_{row}"), (data.get(f"parts_{row}") or "").strip()
            if donor and not parts:
                self.add_error(f"parts_{row}", _("Say which parts this donor gave."))
            if parts and not donor:
                self.add_error(f"donor_{row}", _("Choose the donor of these parts."))
            if donor and donor.pk in seen:
                self.add_error(f"donor_{row}", _("This donor is already listed."))
            if donor:
                seen.add(donor.pk)
        return data

    def donors(self) -> list[tuple[Device, str]]:
        data = self.cleaned_data
        return [
            (data[f"donor_{row}"], data[f"parts_{row}"])
            for row in range(1, DONOR_ROWS + 1)
            if data.get(f"donor_{row}")
        ]
