"""Sizes for people, in the active language's number format (10,97 To in French)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def size(n_bytes: int) -> str:
    units = [(1000**4, _("TB")), (1000**3, _("GB")), (1000**2, _("MB")), (1000, _("kB"))]
    for factor, unit in units:
        # rounded here (number_format cuts a float's decimals: 1,999 would show 1,99),
        # and before choosing the unit (999 999 999 999 bytes is 1,00 To, not 1 000,00 Go)
        value = round(n_bytes / factor, 2)
        if value >= 1:
            return f"{number_format(value, 2, force_grouping=True)}\u00a0{unit}"
    return f"{n_bytes}\u00a0" + _("bytes")
