"""The organisers' collection point form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from menage.platform.campaigns.models import Campaign
from menage.platform.collection.hours import HoursError, parse, short_form
from menage.platform.collection.models import CollectionPoint, Item
from menage.platform.core.dates import span
from menage.platform.core.forms import ModelForm, date_field


class CollectionPointForm(ModelForm):
    accepted_items = forms.MultipleChoiceField(
        label=_("Accepted items"), choices=Item.choices, widget=forms.CheckboxSelectMultiple
    )
    schedule = forms.CharField(
        label=_("Opening hours"),
        max_length=500,
        help_text=_(
            "Days, then times: for example « lun-ven 8h30-18h; sam 10h-12h ». "
            "Residents can then find the points open now."
        ),
        error_messages={
            "required": _("Say when residents can come: a collection point needs opening hours.")
        },
    )
    starts_on = date_field(_("Open from"))
    ends_on = date_field(_("Open until"))

    class Meta:
        model = CollectionPoint
        fields = [
            "name",
            "address",
            "town",
            "neighbourhood",
            "schedule",
            "opening_hours",
            "accepted_items",
            "starts_on",
            "ends_on",
            "latitude",
            "longitude",
            "notes",
        ]
        widgets = {"opening_hours": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        if not self.instance.pk:
            self.initial.setdefault("starts_on", campaign.starts_on)
            self.initial.setdefault("ends_on", campaign.ends_on)
        if self.instance.hours:
            self.initial.setdefault("schedule", short_form(self.instance.hours))
        self.fields["schedule"].widget.attrs["autocomplete"] = "off"

    def clean_schedule(self) -> str:
        text = str(self.cleaned_data.get("schedule", "")).strip()
        if not text:
            raise forms.ValidationError(
                _("Say when residents can come: a collection point needs opening hours.")
            )
        try:
            self.instance.hours = [list(rule) for rule in parse(text)]
        except HoursError as error:
            raise forms.ValidationError(str(error)) from None
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day must be on or after the first day."))
        campaign = self.instance.campaign
        for field in ("starts_on", "ends_on"):
            day = data.get(field)
            if day and not (campaign.starts_on <= day <= campaign.ends_on):
                self.add_error(
                    field,
                    _("The point must be open during the campaign ({dates}).").format(
                        dates=span(campaign.starts_on, campaign.ends_on)
                    ),
                )
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        return data
