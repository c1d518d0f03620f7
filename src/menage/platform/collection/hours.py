"""Opening hours as data: typed in a short form, read back in words, asked "open now?".

The short form is the one people write on a door, in French or English::

    lun-ven 8h30-18h; sam 10h-12h
    lundi, mercredi, vendredi 10h-19h; mardi, jeudi 14h-19h
    Mon-Fri 9:00-12:00, 14:00-18:00

Days are separated from times by a space; days by commas or a dash for a range; several
time ranges by commas; several rules by semicolons or new lines. Stored as a list of
``[weekday, "HH:MM", "HH:MM"]`` (Monday is 0).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from menage.platform.core.dates import hour

DAY_NAMES = {
    **{name: n for n, name in enumerate(("lun", "mar", "mer", "jeu", "ven", "sam", "dim"))},
    **{
        name: n
        for n, name in enumerate(
            ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
        )
    },
    **{name: n for n, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{name: n for n, name in enumerate(("mo", "tu", "we", "th", "fr", "sa", "su"))},
    **{
        name: n
        for n, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
_TIME = re.compile(r"^(\d{1,2})(?:[h:.](\d{2})?)?$")
Rule = tuple[int, str, str]


class HoursError(ValueError):
    """The text cannot be read as opening hours; the message says where."""


def _time(text: str) -> str:
    found = _TIME.match(text.strip().lower())
    if not found:
        raise HoursError(_("“{text}” is not a time like 8h30 or 18:00.").format(text=text))
    hours, minutes = int(found.group(1)), int(found.group(2) or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise HoursError(_("“{text}” is not a time of the day.").format(text=text))
    return f"{hours:02d}:{minutes:02d}"


def _days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.replace(" et ", ",").replace(" and ", ",").split(","):
        part = part.strip().lower().rstrip(".")
        if not part:
            continue
        ends = [piece.strip().rstrip(".") for piece in part.split("-")]
        if len(ends) > 2 or any(piece not in DAY_NAMES for piece in ends):
            raise HoursError(_("“{text}” is not a day like lun, mardi or Mon.").format(text=part))
        first, last = DAY_NAMES[ends[0]], DAY_NAMES[ends[-1]]
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        days.extend(day for day in span if day not in days)
    if not days:
        raise HoursError(_("Say which days, like lun-ven."))
    return days


def parse(text: str) -> list[Rule]:
    """Read the short form.

    Raises:
        HoursError: with a message saying what could not be read.
    """
    rules: list[Rule] = []
    for line in re.split(r"[;\n]+", text):
        line = line.strip()
        if not line:
            continue
        found = re.match(r"^(.*?)\s+(\d.*)$", line)
        if not found:
            raise HoursError(
                _("“{text}”: write days then times, like lun-ven 9h-18h.").format(text=line)
            )
        days = _days(re.sub(r"\s+(de|from)$", "", found.group(1).strip(), flags=re.I))
        for times in found.group(2).split(","):
            ends = [piece for piece in re.split(r"\s*(?:-|–|à|to)\s*", times.strip()) if piece]
            if len(ends) != 2:
                raise HoursError(
                    _("“{text}” is not a time range like 9h-12h.").format(text=times.strip())
                )
            opens, closes = _time(ends[0]), _time(ends[1])
            if closes <= opens:
                raise HoursError(
                    _("“{text}”: it must close after it opens.").format(text=times.strip())
                )
            rules.extend((day, opens, closes) for day in days)
    if len(rules) > 70:
        raise HoursError(_("Too many time ranges."))
    return sorted(set(rules))


def is_open(rules: list[list[str | int]] | list[Rule], moment: dt.datetime) -> bool:
    local = timezone.localtime(moment)
    now = local.strftime("%H:%M")
    return any(
        int(day) == local.weekday() and str(opens) <= now < str(closes)
        for day, opens, closes in rules
    )


def _clock(text: str) -> str:
    hours, minutes = (int(piece) for piece in text.split(":"))
    return hour(dt.time(hours % 24, minutes)) if hours < 24 else pgettext("clock", "midnight")


def _groups(
    rules: list[list[str | int]] | list[Rule],
) -> list[tuple[list[int], list[tuple[str, str]]]]:
    """Days that share the same times, grouped, in the order of their first day."""
    by_day: dict[int, list[tuple[str, str]]] = {}
    for day, opens, closes in rules:
        by_day.setdefault(int(day), []).append((str(opens), str(closes)))
    groups: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for day in sorted(by_day):
        groups.setdefault(tuple(sorted(by_day[day])), []).append(day)
    return sorted(((days, list(times)) for times, days in groups.items()), key=lambda g: g[0][0])


def _consecutive(days: list[int]) -> bool:
    return len(days) >= 3 and days == list(range(days[0], days[-1] + 1))


def describe(rules: list[list[str | int]] | list[Rule]) -> list[str]:
    """One line per set of days with the same times: « Du lundi au vendredi : de 9 h à 18 h »,
    « Lundi, mercredi et vendredi : de 10 h à 19 h »."""
    monday = dt.date(2024, 1, 1)  # a Monday: day names come from Django's calendar

    def name(day: int) -> str:
        return date_format(monday + dt.timedelta(days=day), "l")

    lines = []
    for days, times in _groups(rules):
        if _consecutive(days):
            when = pgettext("weekdays", "From {first} to {last}").format(
                first=name(days[0]), last=name(days[-1])
            )
        elif len(days) == 1:
            when = name(days[0])
        else:
            when = _("{first} and {second}").format(
                first=", ".join(name(day) for day in days[:-1]), second=name(days[-1])
            )
        spans = ", ".join(
            pgettext("hours", "from {start} to {end}").format(
                start=_clock(opens), end=_clock(closes)
            )
            for opens, closes in times
        )
        lines.append(_("{days}: {hours}").format(days=when[:1].upper() + when[1:], hours=spans))
    return lines


_SHORT = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")


def short_form(rules: list[list[str | int]] | list[Rule]) -> str:
    """The rules written back in the short form, for the form to show: « lun-ven 8h30-18h »."""

    def clock(text: str) -> str:
        hours, minutes = (int(piece) for piece in str(text).split(":"))
        return f"{hours}h{minutes:02d}" if minutes else f"{hours}h"

    parts = []
    for days, times in _groups(rules):
        if _consecutive(days):
            when = f"{_SHORT[days[0]]}-{_SHORT[days[-1]]}"
        else:
            when = ", ".join(_SHORT[day] for day in days)
        parts.append(when + " " + ", ".join(f"{clock(o)}-{clock(c)}" for o, c in times))
    return "; ".join(parts)
