"""The collection-point intake: a facilitator records devices on a phone, one by one or
counted in bulk.

Who may: the members (facilitators and managers) of the organisation that runs the
point's campaign, and the managers above it. A device recorded here becomes a device
record ("collected", with the point, its campaign and the day) through
:func:`menage.platform.equipment.services.create_from_intake`; a bulk count becomes a
:class:`~menage.platform.equipment.models.CollectedBatch`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from menage.platform.collection.models import CollectionPoint
from menage.platform.core.forms import AccessibleFormMixin
from menage.platform.equipment.models import DEVICE_TYPE_CHOICES, CollectedBatch, Device
from menage.platform.organisations.permissions import member_organisation_ids

#: heavier than this for one device is a typing slip (a copier weighs about 100 kg)
MAX_DEVICE_KG = Decimal(300)
MAX_COUNT = 10_000
MAX_BATCH_KG = Decimal(100_000)
#: brands offered as suggestions (a datalist: any other brand can be typed)
BRANDS = (
    "Acer",
    "Apple",
    "Asus",
    "Brother",
    "Canon",
    "Dell",
    "Epson",
    "Fujitsu",
    "HP",
    "Huawei",
    "Lenovo",
    "LG",
    "Microsoft",
    "Motorola",
    "Nokia",
    "Philips",
    "Samsung",
    "Sony",
    "Toshiba",
    "Xiaomi",
)


def intake_points(user: Any) -> QuerySet[CollectionPoint]:
    """The collection points where ``user`` may record devices."""
    return CollectionPoint.objects.filter(
        campaign__organisation__in=member_organisation_ids(user)
    ).select_related("campaign", "campaign__organisation")


def _weight(label: Any, limit: Decimal, help_text: Any) -> forms.DecimalField:
    # localize: "1,6" is how a French phone keyboard types a weight
    field = forms.DecimalField(
        label=label,
        required=False,
        localize=True,
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(limit)],
        help_text=help_text,
    )
    field.widget.attrs.update(inputmode="decimal", autocomplete="off")
    return field


class DeviceIntakeForm(AccessibleFormMixin, forms.Form):
    """One device, in the order a facilitator sees it: what it is, its state, its marks."""

    device_type = forms.ChoiceField(label=_("Type"), choices=[("", "---------")])
    condition = forms.ChoiceField(
        label=_("Condition"),
        choices=Device.Condition.choices,
        initial=Device.Condition.UNKNOWN,
        widget=forms.RadioSelect,
    )
    brand = forms.CharField(label=_("Brand"), required=False, max_length=100)
    serial = forms.CharField(
        label=_("Serial number"),
        required=False,
        max_length=100,
        help_text=_("When it can be read on the device (S/N)."),
    )

    def __init__(self, *args: Any, point: CollectionPoint, **kwargs: Any) -> None:
        self.point = point
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["device_type"].choices = [("", _("Choose…")), *DEVICE_TYPE_CHOICES]
        fields["brand"].widget.attrs.update(list="brands", autocomplete="off")
        fields["serial"].widget.attrs.update(
            autocomplete="off", autocapitalize="characters", spellcheck="false"
        )
        fields["weight_kg"] = _weight(_("Weight (kg)"), MAX_DEVICE_KG, _("For example: 1,6"))
        self._describe()

    def clean_serial(self) -> str:
        serial = " ".join(str(self.cleaned_data.get("serial") or "").split())
        if serial:
            # a second tap on "Record" (or the same device twice) makes no second record
            twin = Device.objects.filter(
                organisation=self.point.campaign.organisation, serial__iexact=serial
            ).first()
            if twin is not None:
                raise forms.ValidationError(
                    _("This serial number is already recorded: label %(code)s."),
                    params={"code": twin.code},
                    code="duplicate",
                )
        return serial


class CountForm(AccessibleFormMixin, forms.Form):
    """Devices dropped in bulk: a type, their state, how many, and their weight together."""

    device_type = forms.ChoiceField(label=_("Type"), choices=[("", "---------")])
    condition = forms.ChoiceField(
        label=_("Condition"),
        choices=Device.Condition.choices,
        initial=Device.Condition.UNKNOWN,
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(
        label=_("Number of devices"), min_value=1, max_value=MAX_COUNT, localize=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["device_type"].choices = [("", _("Choose…")), *DEVICE_TYPE_CHOICES]
        fields["count"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        fields["weight_kg"] = _weight(
            _("Total weight (kg)"), MAX_BATCH_KG, _("Optional: all of them together.")
        )
        self._describe()


def record_count(
    point: CollectionPoint,
    *,
    device_type: str,
    condition: str,
    count: int,
    weight_kg: Decimal | None = None,
    collected_on: dt.date | None = None,
    by: Any = None,
) -> CollectedBatch:
    """Record ``count`` devices of one type dropped at ``point``.

    Raises:
        ValueError: an unknown type or state, or a count outside 1 to 10,000.
    """
    if device_type not in dict(DEVICE_TYPE_CHOICES):
        raise ValueError(f"unknown device type: {device_type}")
    if condition not in Device.Condition.values:
        raise ValueError(f"unknown state: {condition}")
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count out of range: {count}")
    if weight_kg is not None and not Decimal(0) <= weight_kg <= MAX_BATCH_KG:
        raise ValueError(f"weight out of range: {weight_kg}")
    return CollectedBatch.objects.create(
        collection_point=point,
        campaign=point.campaign,
        device_type=device_type,
        condition=condition,
        count=count,
        weight_kg=weight_kg,
        collected_on=collected_on or timezone.localdate(),
        recorded_by=by if by is not None and getattr(by, "is_authenticated", False) else None,
    )
