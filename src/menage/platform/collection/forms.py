"""The organisers' collection point form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from menage.platform.campaigns.models import Campaign
from menage.platform.collection.models import CollectionPoint, Item
from menage.platform.core.dates import span
from menage.platform.core.forms import ModelForm, date_field


class CollectionPointForm(ModelForm):
    accepted_items = forms.MultipleChoiceField(
        label=_("Accepted items"), choices=Item.choices, widget=forms.CheckboxSelectMultiple
    )
    starts_on = date_field(_("Open from"))
    ends_on = date_field(_("Open until"))

    class Meta:
        model = CollectionPoint
        fields = [
            "name",
            "address",
            "neighbourhood",
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
        self.fields["opening_hours"].error_messages["required"] = _(
            "Say when residents can come: a collection point needs opening hours."
        )

    def clean_opening_hours(self) -> str:
        hours = str(self.cleaned_data.get("opening_hours", "")).strip()
        if not hours:
            raise forms.ValidationError(
                _("Say when residents can come: a collection point needs opening hours.")
            )
        return hours

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
