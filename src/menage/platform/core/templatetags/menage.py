"""Template filters for dates and times the French way (see :mod:`menage.platform.core.dates`)."""

from __future__ import annotations

import datetime as dt

from django import template

from menage.platform.core import dates

register = template.Library()


@register.filter
def hour(value: dt.datetime | None) -> str:
    return dates.hour(value) if value else ""


@register.filter
def day(value: dt.datetime | dt.date | None) -> str:
    return dates.day(value) if value else ""


@register.filter
def short_day(value: dt.datetime | dt.date | None) -> str:
    return dates.day(value, weekday=False) if value else ""


@register.simple_tag
def moment(start: dt.datetime, end: dt.datetime) -> str:
    return dates.moment(start, end)


@register.simple_tag
def hours(start: dt.datetime, end: dt.datetime) -> str:
    return dates.hours(start, end)


@register.simple_tag
def span(start: dt.date, end: dt.date) -> str:
    return dates.span(start, end)


@register.filter
def date_as(value: dt.datetime | dt.date | None, pattern: str) -> str:
    """``{{ d|date_as:"j F Y" }}``: Django's ``date`` filter, with « 1er » in French."""
    return dates.format_day(value, pattern) if value else ""
