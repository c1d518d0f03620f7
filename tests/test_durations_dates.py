"""One duration syntax in both languages, « 1er » for the first of the month, French progress."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from menage import i18n
from menage.units import BadValue, format_age, format_age_short, parse_age
from tests.test_i18n import speaking

DAY = 86400.0
YEAR = 365.25 * DAY
MONTH = YEAR / 12
NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("texts", "seconds"),
    [
        (("5a", "5ans", "5 ans", "5y", "5 years", "5yr", "5 années"), 5 * YEAR),
        (("1a", "1 an", "1y", "1 year"), YEAR),
        (("6m", "6mois", "6 mois", "6mo", "6 months"), 6 * MONTH),
        (("2sem", "2 semaines", "2w", "2 weeks"), 14 * DAY),
        (("30j", "30 jours", "30d", "30 days", "30 J", "30D"), 30 * DAY),
        (("12h", "12 heures", "12 hours"), 12 * 3600),
        (("45min", "45 minutes"), 45 * 60),
        (
            ("1a6m", "1y6m", "1 an et 6 mois", "1 year and 6 months", "1y, 6m", "1,5a", "1.5y"),
            1.5 * YEAR,
        ),
        (("2sem3j", "2w3d", "2 semaines 3 jours"), 17 * DAY),
        (("3\u00a0ans",), 3 * YEAR),
    ],
)
def test_one_syntax_in_both_languages(texts, seconds):
    for text in texts:
        assert parse_age(text) == pytest.approx(seconds), text


@pytest.mark.parametrize(
    "text", ["", " ", "5", "a5", "5x", "5 ans de plus", "-3y", "5y6", "mois", "3 parsecs"]
)
def test_not_a_duration_names_the_syntax(text):
    with pytest.raises(BadValue) as raised:
        parse_age(text)
    assert "5y, 6m, 2w, 30d or 1y6m" in raised.value.message


def test_bad_duration_in_french_shows_the_french_syntax():
    with speaking("fr"), pytest.raises(BadValue) as raised:
        parse_age("bientôt")
    assert "5a, 6m, 2sem, 30j ou 1a6m" in raised.value.message


@pytest.mark.parametrize(
    ("seconds", "french", "english", "short_fr", "short_en"),
    [
        (5 * YEAR, "5 ans", "5 years", "5a", "5y"),
        (YEAR, "1 an", "1 year", "1a", "1y"),
        (365 * DAY, "1 an", "1 year", "1a", "1y"),
        (6 * MONTH, "6 mois", "6 months", "6m", "6m"),
        (18 * MONTH, "18 mois", "18 months", "18m", "18m"),
        (14 * DAY, "2 semaines", "2 weeks", "2sem", "2w"),
        (30 * DAY, "30 jours", "30 days", "30j", "30d"),
        (31 * DAY, "31 jours", "31 days", "31j", "31d"),
        (DAY, "1 jour", "1 day", "1j", "1d"),
        (36 * 3600, "36 heures", "36 hours", "36h", "36h"),
        (1.3 * DAY, "1 jour", "1 day", "1j", "1d"),
        (40 * 60, "40 minutes", "40 minutes", "40min", "40min"),
        (0, "0 minute", "0 minutes", "0min", "0min"),
    ],
)
def test_durations_in_words_and_as_typed(seconds, french, english, short_fr, short_en):
    """« 3 ans », not "3,0 ans"; the number and its unit never part (no-break space)."""
    with speaking("fr"):
        assert format_age(seconds) == french.replace(" ", NBSP)
        assert format_age_short(seconds) == short_fr
    with speaking("en"):
        assert format_age(seconds) == english.replace(" ", NBSP)
        assert format_age_short(seconds) == short_en


@pytest.mark.parametrize("lang", ["fr", "en"])
@given(
    n=st.integers(min_value=1, max_value=400),
    unit=st.sampled_from(["y", "m", "w", "d", "h"]),
)
def test_what_is_shown_reads_back(lang, n, unit):
    """The short form a message suggests is read back as the same duration."""
    seconds = parse_age(f"{n}{unit}")
    with speaking(lang):
        shown = format_age_short(seconds)
        words = format_age(seconds)
    assert parse_age(shown) == pytest.approx(seconds, rel=0.01)
    assert parse_age(words) == pytest.approx(seconds, rel=0.01)


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "style", "french"),
    [
        (datetime(2026, 12, 1, 10, 4, 5), "medium", "1er déc. 2026"),
        (datetime(2026, 12, 1, 10, 4, 5), "long", "1er décembre 2026"),
        (datetime(2026, 12, 1, 10, 4, 5), "full", "mardi 1er décembre 2026"),
        (date(2026, 1, 1), "medium", "1er janv. 2026"),
        (datetime(2026, 12, 1), "short", "01/12/2026"),
        (datetime(2001, 1, 11), "medium", "11 janv. 2001"),
        (datetime(2026, 12, 21), "medium", "21 déc. 2026"),
    ],
)
def test_first_of_the_month_in_french(moment, style, french):
    with speaking("fr"):
        assert i18n.format_date(moment, style) == french
    with speaking("en"):
        assert "er" not in i18n.format_date(moment, style).split()[0]


def test_first_of_the_month_with_the_time():
    with speaking("fr"):
        assert i18n.format_datetime(datetime(2026, 12, 1, 10, 4, 5)).startswith("1er déc. 2026")
        assert i18n.format_datetime(datetime(2026, 12, 11, 10, 1, 5)).startswith("11 déc.")


# --- progress bars ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "total", "french", "english"),
    [
        (65_700_000, 65_700_000, f"65,7/65,7{NNBSP}Mo", f"65.7/65.7{NBSP}MB"),
        (1_200_000, 65_700_000, f"1,2/65,7{NNBSP}Mo", f"1.2/65.7{NBSP}MB"),
        (3_000_000_000, 250_000_000_000, f"3/250{NNBSP}Go", f"3/250{NBSP}GB"),
        (5, 999, f"5/999{NBSP}octets", f"5/999{NBSP}bytes"),
    ],
)
def test_size_progress(done, total, french, english):
    with speaking("fr"):
        assert i18n.format_size_progress(done, total) == french
    with speaking("en"):
        assert i18n.format_size_progress(done, total) == english


def test_progress_bar_columns_speak_french():
    """The bar a terminal shows: « Parcours des fichiers : 4 520 », « 65,7/65,7 Mo »."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn

    from menage.cli._progress import CountColumn, SizeColumn, counted

    with speaking("fr"):
        out = io.StringIO()
        console = Console(file=out, force_terminal=True, width=120, color_system=None)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), SizeColumn(), console=console
        ) as progress:
            progress.add_task(counted(i18n._("Listing files"), 4520), total=None)
            progress.add_task("x", total=65_700_000, completed=65_700_000)
            progress.add_task("z", total=9000, completed=4520, counting=True)
        with Progress(TextColumn("{task.description}"), CountColumn(), console=console) as bar:
            bar.add_task("y", total=9000, completed=4520)
        shown = out.getvalue()
    assert f"Parcours des fichiers{NBSP}: 4{NNBSP}520" in shown
    assert f"65,7/65,7{NNBSP}Mo" in shown
    assert re.search(f"z [^\\n\\r]*4{NNBSP}520/9{NNBSP}000", shown)  # messages: counted
    assert re.search(f"y [^\\n\\r]*4{NNBSP}520/9{NNBSP}000", shown)
    assert "octet" not in shown  # nothing measured while listing
    assert "MB" not in shown
