"""Dates and times the French way (« 14 h », « 8 h 30 », « du 7 au 11 décembre 2026 »).

Django's French formats write 14:00; the French administration writes 14 h. The year is
shown only when it is not the current one, except where a range needs it.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def _local(value: dt.datetime | dt.date) -> dt.datetime | dt.date:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def hour(value: dt.datetime | dt.time) -> str:
    """« 14 h », « 8 h 30 » in French; « 2 pm », « 8:30 am » in English."""
    moment = _local(value) if isinstance(value, dt.datetime) else value
    assert isinstance(moment, dt.datetime | dt.time)
    if (translation.get_language() or "fr").startswith("fr"):
        # non-breaking spaces: « 19 h 30 » never splits across two lines
        if not moment.minute:
            return f"{moment.hour}\u00a0h"
        return f"{moment.hour}\u00a0h\u00a0{moment.minute:02d}"
    suffix = "am" if moment.hour < 12 else "pm"
    twelve = moment.hour % 12 or 12
    if not moment.minute:
        return f"{twelve}\u00a0{suffix}"
    return f"{twelve}:{moment.minute:02d}\u00a0{suffix}"


def day(value: dt.datetime | dt.date, weekday: bool = True, today: dt.date | None = None) -> str:
    """« lundi 7 décembre », with the year when it is not this year."""
    local = _local(value)
    date = local.date() if isinstance(local, dt.datetime) else local
    year = date.year != (today or timezone.localdate()).year
    return _format(date, ("l " if weekday else "") + ("j F Y" if year else "j F"))


def _format(date: dt.date, pattern: str) -> str:
    """Django's date format, with « 1er » for the first of the month in French."""
    text = date_format(date, pattern)
    french = (translation.get_language() or "fr").startswith("fr")
    if french and date.day == 1 and "j" in pattern:
        # the day of the month, wherever the pattern puts it (« 1er décembre », « lun. 1er »)
        text = re.sub(r"(?<![\d/.:-])1(?![\d/.:])", "1er", text, count=1)
    return text


def format_day(date: dt.date, pattern: str) -> str:
    """A date in a Django pattern (``"D j"``), with « 1er » for the first of the month."""
    return _format(date, pattern)


def hours(start: dt.datetime, end: dt.datetime) -> str:
    """« de 14 h à 16 h » / « 2 pm to 4 pm »."""
    return pgettext("hours", "from {start} to {end}").format(start=hour(start), end=hour(end))


def moment(start: dt.datetime, end: dt.datetime) -> str:
    """An event's whole when: « lundi 7 décembre, de 14 h à 16 h »."""
    return _("{day}, {hours}").format(day=day(start), hours=hours(start, end))


def span(start: dt.date, end: dt.date) -> str:
    """« du 7 au 11 décembre 2026 », « du 30 novembre au 4 décembre 2026 »; one day alone."""
    if start == end:
        return _("on {day}").format(day=_format(start, "j F Y"))
    if start.year != end.year:
        first = _format(start, "j F Y")
    elif start.month != end.month:
        first = _format(start, "j F")
    else:
        first = _format(start, "j")
    return pgettext("days", "from {start} to {end}").format(start=first, end=_format(end, "j F Y"))
