"""The factors' descriptions in the user's language (``menage impact --sources``).

``factors.csv`` holds the figures and their English description; ``factors_fr.csv``
holds, by key, the French ``scope`` and ``note``. A key missing there (a table given by
``MENAGE_FACTORS``, say) is shown in English. Units are written the French way too
(« gCO2e/Gio/an »).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from menage.i18n import language

FRENCH_PATH = Path(__file__).with_name("factors_fr.csv")

# whole units first, then the parts of compound ones
_FRENCH_WHOLE = {
    "years": "ans",
    "hours/day": "h/jour",
    "minutes": "minutes",
    "ratio": "ratio",
    "TB": "To",
}
_FRENCH_UNITS = (
    ("transfers/", "transferts/"),
    ("/participant", "/participant"),
    ("/meal", "/repas"),
    ("GiB", "Gio"),
    ("MiB", "Mio"),
    ("GB", "Go"),
    ("/year", "/an"),
    ("/hour", "/h"),
    ("/email", "/courriel"),
    ("/request", "/requête"),
    ("/unit", "/unité"),
)


@cache
def french_texts(path: Path = FRENCH_PATH) -> dict[str, tuple[str, str]]:
    """``{key: (scope, note)}`` in French."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["key"]: (row["scope"], row["note"]) for row in csv.DictReader(handle)}


def scope_text(key: str, scope: str) -> str:
    """What the factor measures, in the language in use."""
    if language() == "fr" and key in french_texts():
        return french_texts()[key][0]
    return scope


def note_text(key: str, note: str) -> str:
    """The factor's note, in the language in use (empty when it has none)."""
    if language() == "fr" and note and key in french_texts():
        return french_texts()[key][1] or note
    return note


def unit_text(unit: str) -> str:
    """A factor's unit as the language writes it: ``gCO2e/GiB/year`` → « gCO2e/Gio/an »."""
    if language() != "fr":
        return unit
    if unit in _FRENCH_WHOLE:
        return _FRENCH_WHOLE[unit]
    for english, french in _FRENCH_UNITS:
        unit = unit.replace(english, french)
    return unit
