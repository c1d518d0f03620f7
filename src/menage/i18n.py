"""Translations (gettext, domain ``menage``) and locale-aware formatting (Babel).

French comes first: without a choice, Ménage speaks French. The language comes from
``--lang``, then ``MENAGE_LANG``, ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``.
Click's own messages ("Usage:", "Show this message and exit.") have their own catalogue
(domain ``click``, which keeps the translations of every click release we met):
:func:`setup` makes it the process-wide gettext domain, which click looks them up in.

Babel is imported only when a value is formatted, so ``menage --help`` stays fast.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

DOMAIN = "menage"
CLICK_DOMAIN = "click"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = DEFAULT_LANGUAGE
# a language for the current request or task only (the platform's pages call the library
# in the visitor's language without touching the process-wide choice of the CLI)
_local: ContextVar[tuple[str, _gettext.NullTranslations] | None] = ContextVar(
    "menage_language", default=None
)


def resolve_language(requested: str | None = None) -> str:
    """Pick a supported language code from an explicit choice or the environment."""
    candidates = [requested, os.environ.get("MENAGE_LANG")]
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            candidates.extend(value.split(":"))
    for candidate in candidates:
        if not candidate:
            continue
        code = candidate.split(".")[0].split("_")[0].split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def setup(requested: str | None = None) -> str:
    """Load the catalogue for the chosen language and make it the process default.

    Returns:
        The language code in use (``"fr"`` or ``"en"``).
    """
    global _translation, _language
    _language = resolve_language(requested)
    # Click looks its strings up through the global gettext domain and the LANGUAGE
    # variable; setting both makes its help and errors follow our choice.
    os.environ["LANGUAGE"] = _language
    _gettext.bindtextdomain(CLICK_DOMAIN, str(LOCALE_DIR))
    _gettext.textdomain(CLICK_DOMAIN)
    _translation = _gettext.translation(
        DOMAIN, str(LOCALE_DIR), languages=[_language], fallback=True
    )
    return _language


@contextmanager
def speaking(requested: str | None) -> Iterator[str]:
    """Translate and format in ``requested`` inside the block, for this context only.

    The platform wraps its calls to the library (the fleet footprint, say) in it, so that
    messages follow the page's language while the process-wide choice stays as it was.
    """
    code = resolve_language(requested) if requested else DEFAULT_LANGUAGE
    chosen = _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[code], fallback=True)
    token = _local.set((code, chosen))
    try:
        yield code
    finally:
        _local.reset(token)


def _current() -> _gettext.NullTranslations:
    local = _local.get()
    return local[1] if local is not None else _translation


def language() -> str:
    """The language code in use."""
    local = _local.get()
    return local[0] if local is not None else _language


def _(message: str) -> str:
    """Translate a message."""
    return _current().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on a count."""
    return _current().ngettext(singular, plural, n)


def decimal_count(value: float, digits: int = 1) -> int:
    """The count to give ``ngettext`` for a decimal shown with ``digits`` decimals.

    1.0 takes the singular; 0.4 and 1.7 take the plural in English and the singular in
    French (below 2), which both catalogues' rules give for 0; 2 and more, the plural.
    """
    shown = round(value, digits)
    if shown == 1:
        return 1
    return 2 if shown >= 2 else 0


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, where it is shown."""
    return message


def _babel_locale() -> str:
    return "fr_FR" if language() == "fr" else "en_GB"


_SIZE_UNITS = (
    (10**12, "digital-terabyte"),
    (10**9, "digital-gigabyte"),
    (10**6, "digital-megabyte"),
    (10**3, "digital-kilobyte"),
)


def format_size(n_bytes: int | float) -> str:
    """A size in decimal units, as file managers show it: ``12,4 Go`` / ``12.4 GB``."""
    from babel.units import format_unit

    value = float(n_bytes)
    for factor, unit in _SIZE_UNITS:
        if abs(value) >= factor:
            scaled = value / factor
            pattern = "#,##0" if abs(scaled) >= 100 else "#,##0.#"
            return format_unit(scaled, unit, length="short", format=pattern, locale=_babel_locale())
    count = int(value)
    text = ngettext("{n} byte", "{n} bytes", count).format(n=format_number(count))
    # French never lets a number and its unit part at the end of a line
    return text.replace(" ", NBSP) if language() == "fr" else text


def format_size_progress(done: int | float, total: int | float) -> str:
    """How far along, in the total's unit: ``65,7/65,7 Mo`` / ``65.7/65.7 MB``."""
    factor = next((f for f, _unit in _SIZE_UNITS if abs(total) >= f), 1)
    shown = format_size(total)
    number, separator, unit = re.split(r"([\s\u00a0\u202f])(?=\S+$)", shown, maxsplit=1)
    separator = NBSP if separator == " " else separator  # number and unit stay together
    if factor == 1:
        return f"{format_number(done)}/{number}{separator}{unit}"
    digits = 0 if abs(total) / factor >= 100 else 1
    return f"{format_number(done / factor, digits)}/{number}{separator}{unit}"


NBSP = "\u00a0"


def format_number(n: int | float, digits: int = 0) -> str:
    """A number with the locale's grouping: ``1 234 567`` / ``1,234,567``."""
    pattern, locale = _number_format(_babel_locale(), digits)
    return str(pattern.apply(n, locale))


@functools.lru_cache(maxsize=32)
def _number_format(locale: str, digits: int) -> tuple[NumberPattern, Locale]:
    """What Babel's ``format_decimal`` parses at every call (the locale, the pattern),
    parsed once: a dashboard formats thousands of numbers per page."""
    from babel import Locale
    from babel.numbers import parse_pattern

    return parse_pattern("#,##0" + ("." + "0" * digits if digits else "")), Locale.parse(locale)


def format_percent(fraction: float, digits: int = 1) -> str:
    """A fraction as a percentage, the local way: ``30,1 %`` / ``30.1%``."""
    from babel import Locale
    from babel.numbers import format_percent as _format_percent

    locale = Locale.parse(_babel_locale())
    # the locale's own pattern (French puts a no-break space before %), with our digits
    pattern = locale.percent_formats[None].pattern.replace(
        "#,##0", "#,##0" + ("." + "0" * digits if digits else ""), 1
    )
    return str(_format_percent(fraction, format=pattern, locale=locale))


_FIRST_DAY = re.compile(r"(?<![\d/.:-])1(?=[\s\u00a0\u202f][^\W\d])")


def _first_of_month(text: str, moment: date) -> str:
    """« 1er déc. »: French writes the first of the month as an ordinal (Babel does not)."""
    if language() != "fr" or moment.day != 1:
        return text
    return _FIRST_DAY.sub("1er", text, count=1)


def format_datetime(moment: datetime, style: str = "medium") -> str:
    """A date and time in the locale's style: ``1er déc. 2026, 10:04:05``."""
    from babel.dates import format_datetime as _format_datetime

    text = str(_format_datetime(moment, format=style, locale=_babel_locale()))
    return _first_of_month(text, moment)


def format_date(moment: date, style: str = "medium") -> str:
    """A date in the locale's style: ``16 mars 2026``, ``1er déc. 2026`` / ``16 Mar 2026``."""
    from babel.dates import format_date as _format_date

    return _first_of_month(str(_format_date(moment, format=style, locale=_babel_locale())), moment)
