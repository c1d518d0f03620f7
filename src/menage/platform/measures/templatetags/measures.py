from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from menage.impact.values import Range
from menage.platform.measures.format import size

register = template.Library()


@register.filter
def bytes(value: int) -> str:  # noqa: A001 - the template's word
    return size(int(value))


@register.filter
def number(value: int) -> str:
    return str(number_format(int(value), 0, force_grouping=True))


@register.filter
def co2(value: Range) -> SafeString:
    """A range of kgCO2e for people: « 12,3 kg éq. CO2 (de 8,1 à 15,0) », tonnes from 1 000 kg."""
    unit, factor = (_("t CO2e"), 1000.0) if value.central >= 1000 else (_("kg CO2e"), 1.0)

    def n(x: float) -> str:
        return str(number_format(round(x / factor, 1), 1, force_grouping=True))

    return format_html(
        "<strong>{}\u00a0{}</strong> {}",
        n(value.central),
        unit,
        _("(from {low} to {high})").format(low=n(value.low), high=n(value.high)),
    )
