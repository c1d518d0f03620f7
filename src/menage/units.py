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


_AGE_RE = re.compile(
    r"^\s*(\d+(?:[.,]\d+)?)\s*(y|yr|years?|a|ans?|m|mo|months?|mois|w|weeks?|"
    r"sem|d|days?|j|jours?|h|hours?)\s*$",
    re.IGNORECASE,
)
_DAY = 86400.0
_AGE_UNITS = {
    "y": 365.25 * _DAY,
    "a": 365.25 * _DAY,
    "m": 30.44 * _DAY,
    "w": 7 * _DAY,
    "s": 7 * _DAY,
    "d": _DAY,
    "j": _DAY,
    "h": 3600.0,
}


def parse_age(text: str) -> float:
    """Seconds from ``3y``, ``6m`` (months), ``2w``, ``30d``, ``12h`` (French units too).

    Raises:
        BadValue: the text is not a duration.
    """
    match = _AGE_RE.match(text)
    if match is None:
        raise BadValue(value=text, what=_("duration"), hint=_("write it like 3y, 6m, 2w or 30d"))
    number, unit = match.groups()
    unit = unit.lower()
    key = "m" if unit.startswith(("mo", "mois")) or unit == "m" else unit[0]
    return float(number.replace(",", ".")) * _AGE_UNITS[key]
