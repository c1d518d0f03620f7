from __future__ import annotations

from django import template
from django.utils.formats import number_format

from menage.platform.measures.format import size

register = template.Library()


@register.filter
def bytes(value: int) -> str:  # noqa: A001 - the template's word
    return size(int(value))


@register.filter
def number(value: int) -> str:
    return str(number_format(int(value), 0, force_grouping=True))
