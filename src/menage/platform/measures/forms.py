"""The form for what ``menage submit`` cannot measure, one small form per kind.

Each kind becomes one append-only :class:`Submission`, like the API's: the same code,
the same idempotency (a hidden key drawn when the form is shown, so that sending the
page twice replaces rather than doubles), the same rate limits and the same review
threshold. Only numbers and fixed choices are taken: there is no free text to carry a
name or a script.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from menage.platform.core.forms import AccessibleFormMixin
from menage.platform.equipment.models import DEVICE_TYPE_CHOICES
from menage.platform.measures.intake import ABSURD_BYTES, REVIEW_BYTES
from menage.platform.measures.models import DeviceState, Entry, Submission

GB = 1000**3
#: a phone holds at most this much: more, by hand, is a typo (TB for GB)
PHONE_BYTES = 2000 * GB
#: devices one person drops at once, and people one workshop reaches: over the first
#: number the entry waits for an organiser, over the second it is refused
DEVICES_REVIEW, DEVICES_MAX = 50, 1000
PEOPLE_REVIEW, PEOPLE_MAX = 300, 5000
KINDS = {"data": Entry.DATA, "devices": Entry.DEVICES, "workshop": Entry.WORKSHOP}


def new_key() -> str:
    return "form-" + secrets.token_urlsafe(18)


class _EntryForm(AccessibleFormMixin, forms.Form):
    key = forms.CharField(
        widget=forms.HiddenInput,
        min_length=16,
        max_length=128,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$")],
        error_messages={
            "required": _("The form has expired: reload the page and send it again."),
            "invalid": _("The form has expired: reload the page and send it again."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", new_key())

    def full_clean(self) -> None:
        super().full_clean()
        # a missing or forged key is the form's problem, not a field the person can see:
        # said at the top, and a fresh key is drawn for the next try
        form: Any = self
        if form._errors and "key" in form._errors:
            lost = form._errors.pop("key")
            form._errors.setdefault(NON_FIELD_ERRORS, form.error_class(error_class="nonfield"))
            form._errors[NON_FIELD_ERRORS].extend(lost)
            form.data = form.data.copy()
            form.data["key"] = new_key()

    def fields_to_store(self) -> dict[str, Any]:  # pragma: no cover - every kind has one
        raise NotImplementedError

    def status(self) -> str:
        return str(Submission.Status.ACCEPTED)


class DataForm(_EntryForm):
    where = forms.ChoiceField(
        label=_("Where did you delete data?"),
        choices=[
            ("phone", _("On a phone or a tablet")),
            ("cloud", _("In a cloud account or a mailbox")),
        ],
        widget=forms.RadioSelect,
    )
    gigabytes = forms.DecimalField(
        label=_("How much did you delete, in GB?"),
        help_text=_("As your phone's or your account's storage page shows it: 1 GB = 1,000 MB."),
        min_value=Decimal("0.001"),
        max_value=Decimal(ABSURD_BYTES // GB),
        max_digits=13,
        decimal_places=3,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "min_value": _("Enter an amount above zero, for example 2.5."),
            "max_value": _("This amount is not plausible: check the unit (1 TB = 1,000 GB)."),
            "invalid": _("Enter a number, for example 2.5."),
            "max_digits": _("Enter a number, for example 2.5."),
            "max_decimal_places": _("Three decimals at most, for example 2.5."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount = data.get("gigabytes")
        if amount is not None and data.get("where") == "phone" and amount * GB > PHONE_BYTES:
            self.add_error(
                "gigabytes",
                _("A phone holds at most 2,000 GB: check the unit (1 TB = 1,000 GB)."),
            )
        return data

    def moved_bytes(self) -> int:
        return int(self.cleaned_data["gigabytes"] * GB)

    def fields_to_store(self) -> dict[str, Any]:
        return {"entry": Entry.DATA, "channel": self.cleaned_data["where"],
                "moved_bytes": self.moved_bytes(), "client": "form"}  # fmt: skip

    def status(self) -> str:
        over = self.moved_bytes() > REVIEW_BYTES
        return str(Submission.Status.PENDING_REVIEW if over else Submission.Status.ACCEPTED)


class DevicesForm(_EntryForm):
    device_type = forms.ChoiceField(label=_("Type of device"), choices=DEVICE_TYPE_CHOICES)
    device_state = forms.ChoiceField(
        label=pgettext_lazy("of a device", "State"),
        choices=DeviceState.choices,
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(
        label=_("How many?"),
        min_value=1,
        max_value=DEVICES_MAX,
        help_text=_("Several types or states: send the form once for each."),
        error_messages={"max_value": _("More than 1,000 devices at once: send it in parts.")},
    )

    def fields_to_store(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"entry": Entry.DEVICES, "channel": "", "device_type": data["device_type"],
                "device_state": data["device_state"], "devices": data["count"],
                "client": "form"}  # fmt: skip

    def status(self) -> str:
        over = self.cleaned_data["count"] > DEVICES_REVIEW
        return str(Submission.Status.PENDING_REVIEW if over else Submission.Status.ACCEPTED)


class WorkshopForm(_EntryForm):
    people = forms.IntegerField(
        label=_("How many people took part in the workshop?"),
        min_value=1,
        max_value=PEOPLE_MAX,
        help_text=_("Facilitators: count each person once, the facilitators left out."),
        error_messages={"max_value": _("More than 5,000 people at one workshop is not plausible.")},
    )

    def fields_to_store(self) -> dict[str, Any]:
        return {"entry": Entry.WORKSHOP, "channel": "",
                "people_reached": self.cleaned_data["people"], "client": "form"}  # fmt: skip

    def status(self) -> str:
        over = self.cleaned_data["people"] > PEOPLE_REVIEW
        return str(Submission.Status.PENDING_REVIEW if over else Submission.Status.ACCEPTED)


FORMS: dict[str, type[_EntryForm]] = {
    "data": DataForm,
    "devices": DevicesForm,
    "workshop": WorkshopForm,
}


class CodeForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Participation code"),
        help_text=_("Printed on the campaign's poster, for example VAL-7K3Q."),
        max_length=16,
        min_length=4,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", _("Letters, digits and dashes only."))],
    )
