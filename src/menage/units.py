"""Parse the sizes and durations people type: ``100MB``, ``1,5 Go``, ``3y``, ``30d``."""

from __future__ import annotations

import re

from menage.errors import MenageError
from menage.i18n import N_, _


class BadValue(MenageError):
    template = N_("{value!r} is not a valid {what}: {hint}")


_SIZE_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([kmgtp]?)(i?)([bo]?)\s*$", re.IGNORECASE)
_SIZE_POWERS = {"": 0, "k": 1, "m": 2, "g": 3, "t": 4, "p": 5}


def parse_size(text: str) -> int:
    """Bytes from ``512``, ``10k``, ``100MB``, ``1,5 Go``, ``2GiB`` (decimal unless ``i``).

    Raises:
        BadValue: the text is not a size, or is negative.
    """
    match = _SIZE_RE.match(text)
    if match is None:
        raise BadValue(value=text, what=_("size"), hint=_("write it like 500MB, 10GB or 1.5TB"))
    number, prefix, binary, _unit = match.groups()
    base = 1024 if binary else 1000
    return int(float(number.replace(",", ".")) * base ** _SIZE_POWERS[prefix.lower()])


# One duration syntax for every option and file that takes one, in both languages: a number
# and a unit, several in a row if need be (``1y6m``, ``1 an 6 mois``). ``m`` is a month.
_YEAR_S = 365.25 * 86400
_MONTH_S = _YEAR_S / 12
_WEEK_S = 7 * 86400.0
_DAY_S = 86400.0
_AGE_UNITS: dict[str, float] = {}
for _seconds, _words in (
    (_YEAR_S, "y yr yrs year years a an ans annee annees année années"),
    (_MONTH_S, "m mo mos month months mois"),
    (_WEEK_S, "w wk wks week weeks sem sems semaine semaines"),
    (_DAY_S, "d day days j jr jrs jour jours"),
    (3600.0, "h hr hrs hour hours heure heures"),
    (60.0, "min mins minute minutes"),
):
    _AGE_UNITS.update(dict.fromkeys(_words.split(), _seconds))
_AGE_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\W\d_]+)\s*(?:et\s+|and\s+|,\s*)?", re.IGNORECASE)


def parse_age(text: str) -> float:
    """Seconds from a duration in either language, units combined or not.

    ``5y`` = ``5a`` = ``5 ans``, ``6m`` = ``6mois``, ``2w`` = ``2sem``, ``30d`` = ``30j``,
    ``12h``, ``1y6m`` = ``1 an et 6 mois``; a decimal comma or point (``1,5a``).

    Raises:
        BadValue: the text is not a duration.
    """
    rest, total, parts = text.strip(), 0.0, 0
    while rest:
        match = _AGE_PART.match(rest)
        unit = _AGE_UNITS.get(match.group(2).lower()) if match else None
        if match is None or unit is None:
            raise BadValue(value=text, what=_("duration"), hint=_(AGE_HINT))
        total += float(match.group(1).replace(",", ".")) * unit
        rest, parts = rest[match.end() :], parts + 1
    if not parts:
        raise BadValue(value=text, what=_("duration"), hint=_(AGE_HINT))
    return total


AGE_HINT = N_("write it like 5y, 6m, 2w, 30d or 1y6m")
AGE_SYNTAX = N_("5y, 6m, 2w, 30d, 1y6m")


def _whole(value: float) -> int | None:
    nearest = round(value)
    return nearest if nearest >= 1 and abs(value - nearest) <= 0.005 * nearest else None


def _best_unit(seconds: float) -> float:
    """The biggest unit ``seconds`` is a whole number of; days when none is, from a day."""
    units = (_YEAR_S, _MONTH_S, _WEEK_S, _DAY_S, 3600.0, 60.0)
    unit = next((u for u in units if _whole(seconds / u) is not None), 60.0)
    return _DAY_S if unit == 60.0 and seconds >= _DAY_S else unit


def _in_words(n: int, unit: float) -> str:
    from menage.i18n import ngettext

    if unit == _YEAR_S:
        return ngettext("{n} year", "{n} years", n)
    if unit == _MONTH_S:
        return ngettext("{n} month", "{n} months", n)
    if unit == _WEEK_S:
        return ngettext("{n} week", "{n} weeks", n)
    if unit == _DAY_S:
        return ngettext("{n} day", "{n} days", n)
    if unit == 3600.0:
        return ngettext("{n} hour", "{n} hours", n)
    return ngettext("{n} minute", "{n} minutes", n)


def format_age(seconds: float) -> str:
    """A duration in words, in the language in use: « 5 ans », « 6 mois », « 2 semaines »,
    « 30 jours » / ``5 years``, ``6 months``, ``2 weeks``, ``30 days``.

    It takes the biggest unit the duration is a whole number of (else days, or hours and
    minutes below a day); the number and its unit never part at the end of a line.
    """
    from menage.i18n import format_number

    unit = _best_unit(seconds)
    n = round(seconds / unit)
    # small numbers need no grouping: ``--help`` shows defaults without loading Babel
    shown = str(n) if n < 1000 else format_number(n)
    return _in_words(n, unit).format(n=shown).replace(" ", "\u00a0")


_SHORT = {
    "fr": {_YEAR_S: "a", _MONTH_S: "m", _WEEK_S: "sem", _DAY_S: "j", 3600.0: "h", 60.0: "min"},
    "en": {_YEAR_S: "y", _MONTH_S: "m", _WEEK_S: "w", _DAY_S: "d", 3600.0: "h", 60.0: "min"},
}


def format_age_short(seconds: float) -> str:
    """A duration as one types it, in the language in use: ``30j`` / ``30d``, ``5a`` / ``5y``.

    What :func:`parse_age` reads back, for the commands that messages suggest.
    """
    from menage.i18n import language

    unit = _best_unit(seconds)
    letters = _SHORT.get(language(), _SHORT["en"])
    return f"{round(seconds / unit)}{letters[unit]}"
