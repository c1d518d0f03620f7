"""Sizes for people, in the active language's number format (10,97 To in French)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def size(n_bytes: int) -> str:
    units = [(1000**4, _("TB")), (1000**3, _("GB")), (1000**2, _("MB")), (1000, _("kB"))]
    for factor, unit in units:
        if n_bytes >= factor:
            return f"{number_format(n_bytes / factor, 2, force_grouping=True)}\u00a0{unit}"
    return f"{n_bytes}\u00a0" + _("bytes")
