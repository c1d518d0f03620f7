"""Forms of the events app: a resident's registration, and the organisers' event and venue forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from menage.platform.campaigns.models import Campaign
from menage.platform.core.dates import span
from menage.platform.core.forms import Form, ModelForm, datetime_field
from menage.platform.events.models import Event, Venue
from menage.platform.organisations.models import Organisation


class RegistrationForm(Form):
    """Name and email only; the consent says what we keep and when we delete it."""

    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send a link to confirm your place here: it is held until you click it."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my name and email address are kept to manage my place, "
            "seen only by the organisers of this event, and deleted after the campaign."
        ),
        error_messages={"required": _("Tick the box to register: we need your agreement.")},
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        self.event = event
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class VenueForm(ModelForm):
    class Meta:
        model = Venue
        fields = ["organisation", "name", "address", "town", "neighbourhood", "accessibility"]

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class EventForm(ModelForm):
    starts_at = datetime_field(_("Starts"))
    ends_at = datetime_field(_("Ends"))

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "description",
            "starts_at",
            "ends_at",
            "venue",
            "audience",
            "facilitators",
            "partners",
            "capacity",
            "registration_open",
            "accessibility",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "facilitators": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        organisation_ids = campaign.organisation.descendant_ids()
        if campaign.organisation.parent_id:
            organisation_ids.add(campaign.organisation.parent_id)
        fields: Any = self.fields
        fields["kind"].choices = Event.Kind.choices  # radio buttons: no empty "---------"
        fields["venue"].queryset = Venue.objects.filter(organisation_id__in=organisation_ids)
        fields["facilitators"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation_id__in=organisation_ids)
            .distinct()
            .order_by("last_name", "first_name")
        )
        fields["facilitators"].label_from_instance = lambda u: u.get_full_name() or u.username
        fields["partners"].queryset = Organisation.objects.exclude(pk=campaign.organisation_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        campaign = self.instance.campaign
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        for field in ("starts_at", "ends_at"):
            moment = data.get(field)
            if moment and not (campaign.starts_on <= localdate(moment) <= campaign.ends_on):
                self.add_error(
                    field,
                    _("The event must take place during the campaign ({dates}).").format(
                        dates=span(campaign.starts_on, campaign.ends_on)
                    ),
                )
        capacity = data.get("capacity")
        if capacity == 0 and data.get("registration_open"):
            self.add_error(
                "capacity",
                _("With registration open, give at least one place (or none for no limit)."),
            )
        if capacity is not None and self.instance.pk:
            taken = self.instance.places_taken()
            if capacity < taken:
                self.add_error(
                    "capacity",
                    ngettext(
                        "{count} resident is already registered: the capacity cannot be lower.",
                        "{count} residents are already registered: the capacity cannot be lower.",
                        taken,
                    ).format(count=taken),
                )
        return data
