"""Every factor is described in French too, with French typography; units read the French way."""

from __future__ import annotations

import csv

import pytest

from menage import i18n
from menage.impact.factor_texts import FRENCH_PATH, note_text, scope_text, unit_text
from menage.impact.factors import FACTORS_PATH, UNITS
from tests.test_french_catalogue import typography_mistakes


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ENGLISH = {row["key"]: row for row in _rows(FACTORS_PATH)}
FRENCH = {row["key"]: row for row in _rows(FRENCH_PATH)}


def test_every_factor_and_only_those_is_described_in_french():
    assert list(FRENCH) == list(ENGLISH)


@pytest.mark.parametrize("key", list(ENGLISH))
def test_french_description(key):
    english, french = ENGLISH[key], FRENCH[key]
    assert french["scope"] and french["scope"] != english["scope"]
    # a note in French exactly where there is one in English
    assert bool(french["note"]) == bool(english["note"])
    for text in (french["scope"], french["note"]):
        assert not typography_mistakes(text), text


def test_shown_in_the_language_in_use():
    try:
        i18n.setup("fr")
        assert scope_text("elec_world", "World average electricity mix") == (
            "Mix électrique moyen mondial"
        )
        assert note_text("elec_world", "") == ""
        assert scope_text("not_a_key", "As given") == "As given"
        assert unit_text("gCO2e/GiB/year") == "gCO2e/Gio/an"
        assert unit_text("transfers/email") == "transferts/courriel"
        i18n.setup("en")
        assert scope_text("elec_world", "World average electricity mix") == (
            "World average electricity mix"
        )
        assert unit_text("gCO2e/GiB/year") == "gCO2e/GiB/year"
    finally:
        i18n.setup("en")


def test_every_unit_reads_french():
    i18n.setup("fr")
    try:
        shown = {unit_text(unit) for unit in UNITS}
    finally:
        i18n.setup("en")
    assert not [
        unit
        for unit in shown
        if any(w in unit for w in ("year", "hour", "GiB", "GB", "email", "meal", "TB"))
    ]
