"""An organisation's fleet footprint on the platform: the upload form and the computation.

The file is read by the same library as ``menage fleet`` (:mod:`menage.fleet`): the
same formats (Ménage's columns, GLPI's export, Windows-1252, French dates), the same
problems per line, the same all-or-nothing rule. The library's messages are given in
the page's language (:func:`menage.i18n.speaking`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from menage.fleet import FleetFootprint, InventoryError, fleet_footprint, read_inventory
from menage.fleet.footprint import METHOD
from menage.fleet.html import scenario_chart, scenario_line, scenario_title, service_chart
from menage.fleet.inventory import FIELDS, MAX_BYTES
from menage.i18n import _ as lib_
from menage.i18n import speaking
from menage.impact.devices import device_type
from menage.platform.core.forms import AccessibleFormMixin
from menage.platform.equipment.models import FleetInventory
from menage.platform.organisations.models import Organisation


def _pairs(text: str, what: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise forms.ValidationError(
                _("Line %(line)s: write %(what)s, one a line."),
                params={"line": number, "what": what},
                code="pairs",
            )
        found[key.strip()] = value.strip()
    return found


class FleetUploadForm(AccessibleFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Inventory (CSV)"),
        allow_empty_file=True,  # the library says what is wrong with it, like the CLI
        help_text=_(
            "Ménage's columns (type, model, purchase_date, lifespan_years, service, serial, "
            "quantity) or GLPI's computer export as it comes; UTF-8 or Windows-1252."
        ),
    )
    columns = forms.CharField(
        label=_("Column mapping"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a file laid out otherwise, one a line: type=Catégorie"),
    )
    types = forms.CharField(
        label=_("Type words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Words of your file for our device types, one a line: Chromebook=laptop"),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = organisations
        fields["file"].widget.attrs["accept"] = ".csv,text/csv"
        self.inventory_problems: list[str] = []
        self.file_name = "inventory.csv"

    def clean_columns(self) -> dict[str, str]:
        found = _pairs(self.cleaned_data.get("columns", ""), "field=Header")
        unknown = sorted(set(found) - set(FIELDS))
        if unknown:
            raise forms.ValidationError(
                _("Unknown field: %(names)s (fields: %(fields)s)."),
                params={"names": ", ".join(unknown), "fields": ", ".join(FIELDS)},
                code="field",
            )
        return found

    def clean_types(self) -> dict[str, str]:
        return _pairs(self.cleaned_data.get("types", ""), "Word=type")

    def clean_file(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."), code="size")
        self.file_name = (upload.name or "inventory.csv")[:200]
        return bytes(upload.read())

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.errors:
            return data
        try:
            with speaking(get_language()):
                inventory = read_inventory(
                    data["file"],
                    name=self.file_name,
                    mapping=data["columns"],
                    types=data["types"],
                )
        except InventoryError as error:
            with speaking(get_language()):
                # messages made now, in the page's language (Problem words them when shown)
                messages = [str(p) for p in error.problems]
            self.inventory_problems = messages
            count = len(messages)
            self.add_error(
                "file",
                ngettext(
                    "The inventory was not imported: %(count)s problem, listed below.",
                    "The inventory was not imported: %(count)s problems, listed below.",
                    count,
                )
                % {"count": count},
            )
            return data
        data["devices"] = sum(item.quantity for item in inventory.items)
        return data

    def save(self, by: Any) -> FleetInventory:
        data = self.cleaned_data
        return FleetInventory.objects.create(
            organisation=data["organisation"],
            name=self.file_name,
            data=data["file"],
            columns=data["columns"],
            types=data["types"],
            devices=data["devices"],
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        )


@dataclass
class Shown:
    """A stored inventory's footprint, computed now, in the page's language."""

    result: FleetFootprint | None
    problems: list[str] = field(default_factory=list)
    service_chart: str = ""
    scenario_chart: str = ""
    scenarios: list[tuple[str, Any, str]] = field(default_factory=list)
    types: list[tuple[str, Any]] = field(default_factory=list)
    method: str = ""


def footprint(inventory: FleetInventory) -> Shown:
    """The footprint of a stored inventory (read again, with today's factors)."""
    with speaking(get_language()):
        try:
            read = read_inventory(
                bytes(inventory.data),
                name=inventory.name,
                mapping=inventory.columns,
                types=inventory.types,
            )
        except InventoryError as error:
            # the file read cleanly when it came: only a stricter library gets here
            return Shown(None, [str(p) for p in error.problems])
        result = fleet_footprint(read)
        return Shown(
            result,
            service_chart=service_chart(result.services, "services-chart"),
            scenario_chart=scenario_chart(result, "scenarios-chart"),
            scenarios=[(scenario_title(s), s, scenario_line(s)) for s in result.scenarios],
            types=[(device_type(g.name).label(plural=True), g) for g in result.by_type],
            method=lib_(METHOD),
        )
