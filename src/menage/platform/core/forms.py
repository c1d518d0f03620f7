"""Accessible forms: every field tells assistive technology about its hint and its error.

The pattern is the DSFR's and GOV.UK's (RGAA 11.10, 11.11): label, hint, error message,
``aria-describedby`` pointing at the hint and the error, ``aria-invalid`` on a wrong
field, and an error summary at the top of the form linking to each field
(``templates/core/form.html``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

EMPTY_CHOICE = _("Choose…")
NO_CHOICE = _("None")


class AccessibleFormMixin:
    """Adds ``aria-describedby`` / ``aria-invalid`` to widgets, and lists errors for the summary."""

    template_name = "core/form.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._name_empty_choices()
        self._describe()

    def _name_empty_choices(self) -> None:
        """Django's empty choice reads « --------- »: say what choosing nothing means."""
        form: Any = self
        for field in form.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
                field.empty_label = str(EMPTY_CHOICE if field.required else NO_CHOICE)
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
                if choices and choices[0][0] == "" and choices[0][1] == "---------":
                    label = EMPTY_CHOICE if field.required else NO_CHOICE
                    field.choices = [("", label), *choices[1:]]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._describe()

    def _describe(self) -> None:
        form: Any = self
        errors = form._errors or {}
        for name, field in form.fields.items():
            bound = form[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_hint")
            if name in errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids and not getattr(field.widget, "use_fieldset", False):
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)
        # bound fields copy the hint when built: forget them so that later changes show
        form._bound_fields_cache.clear()

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs, in field order; form-wide errors link to the form."""
        form: Any = self
        found: list[tuple[str, str]] = []
        for message in form.non_field_errors():
            found.append(("", str(message)))
        for name in form.fields:
            bound = form[name]
            for message in bound.errors:
                anchor = bound.auto_id
                widget = form.fields[name].widget
                if getattr(widget, "use_fieldset", False) and getattr(widget, "input_type", ""):
                    anchor = f"{bound.auto_id}_0"
                found.append(
                    (
                        anchor,
                        str(_("{label}: {message}")).format(label=bound.label, message=message),
                    )
                )
        return found


class Form(AccessibleFormMixin, forms.Form):
    """A plain accessible form."""


class ModelForm(AccessibleFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """An accessible model form."""


class DateInput(forms.DateInput):
    """A native date picker; the hint gives the expected format for browsers without one."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
DATE_HINT = _("Format: 2026-03-16 or 16/03/2026.")
DATETIME_HINT = _("Format: 2026-03-16 18:30 or 16/03/2026 18:30.")


def date_field(label: str | Any, **kwargs: Any) -> forms.DateField:
    kwargs.setdefault("help_text", DATE_HINT)
    return forms.DateField(
        label=label, widget=DateInput(), input_formats=DATE_INPUT_FORMATS, **kwargs
    )


def datetime_field(label: str | Any, **kwargs: Any) -> forms.DateTimeField:
    kwargs.setdefault("help_text", DATETIME_HINT)
    return forms.DateTimeField(
        label=label, widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS, **kwargs
    )


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
