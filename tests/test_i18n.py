"""French and English: the catalogue is complete and safe, the CLI speaks both, numbers read right.

The rest of the suite runs in English (see conftest.py); these tests switch languages
themselves, in a subprocess when the text is translated at import time (help texts).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from menage import i18n

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "i18n.py"
PO = ROOT / "src" / "menage" / "locale" / "fr" / "LC_MESSAGES" / "menage.po"
NNBSP = "\u202f"  # narrow no-break space: CLDR's French digit grouping and unit separator
NBSP = "\u00a0"
LANGUAGE_VARIABLES = ("MENAGE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


# --- the catalogue --------------------------------------------------------------------------


def test_catalogue_is_up_to_date_and_fully_translated():
    """`make i18n` was run after the last string change and every entry is translated."""
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("menage_i18n_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_reports_untranslated_and_fuzzy_entries():
    """The check above can fail: it sees a missing, a half-translated and a fuzzy entry."""
    script = _load_script()
    catalog = Catalog(locale="fr")
    catalog.add("Done", "Fait")
    catalog.add("Missing", "")
    catalog.add(("{n} file", "{n} files"), ("{n} fichier", ""))
    catalog.add("Guessed", "Deviné", flags=["fuzzy"])
    assert script.problems(catalog) == [
        "untranslated: 'Missing'",
        "untranslated: '{n} file'",
        "fuzzy: 'Guessed'",
    ]


def _french_messages() -> list[Message]:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    return [message for message in catalog if message.id]


_BRACE_FIELD = re.compile(r"\{[^{}]*\}")
_PERCENT_FIELD = re.compile(r"%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
_RICH_TAG = re.compile(r"\[/?[a-z][a-z ]*\]")
_COMMAND = re.compile(r"`(menage [a-z-]+)")


def forms(message: Message) -> tuple[list[str], list[str]]:
    """The English forms and the French forms of an entry (one each, or singular and plural)."""
    if isinstance(message.id, str):
        assert isinstance(message.string, str)
        return [message.id], [message.string]
    assert isinstance(message.string, tuple | list)
    return list(message.id), list(message.string)


def placeholders(text: str) -> Counter[str]:
    """``{path}``, ``{value!r}``, ``%(prog)s``: what ``.format`` / ``%`` fill in, as written."""
    text = text.replace("{{", "").replace("}}", "")
    return Counter(_BRACE_FIELD.findall(text) + _PERCENT_FIELD.findall(text))


def test_placeholder_parser():
    assert placeholders("{value!r} is not {0:>10} {{literal}} %(prog)s, %(n)d%%") == Counter(
        ["{value!r}", "{0:>10}", "%(prog)s", "%(n)d"]
    )


@pytest.mark.parametrize("message", _french_messages(), ids=lambda m: str(m.id)[:40])
def test_translation_keeps_placeholders(message: Message):
    """A lost or renamed ``{field}`` is a KeyError or a wrong message at run time, in French only.

    French has two forms (n ≤ 1 and n > 1): the plural form must use exactly the English
    plural's fields; the singular form, which French also uses for 0, may take fields of the
    English plural form (``{len}`` where English wrote a literal 1), never unknown ones.
    """
    english, french = forms(message)
    if len(english) == 1:
        assert placeholders(french[0]) == placeholders(english[0])
        return
    singular, plural = english
    one, many = french
    assert placeholders(many) == placeholders(plural)
    allowed = set(placeholders(singular)) | set(placeholders(plural))
    assert set(placeholders(singular)) <= set(placeholders(one)) <= allowed


@pytest.mark.parametrize("message", _french_messages(), ids=lambda m: str(m.id)[:40])
def test_translation_keeps_markup_commands_and_layout(message: Message):
    """Rich markup, `menage …` command names, indentation and paragraphs survive translation."""
    for source, target in zip(*forms(message), strict=True):
        assert _RICH_TAG.findall(target) == _RICH_TAG.findall(source)
        assert set(_COMMAND.findall(target)) == set(_COMMAND.findall(source))
        assert len(target) - len(target.lstrip(" ")) == len(source) - len(source.lstrip(" "))
        assert target.count("\n\n") == source.count("\n\n")


# --- the command line in both languages -----------------------------------------------------


def run_menage(*args: str | Path, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m menage`` with only the language variables given here."""
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    env.update(COLUMNS="80", **environment)
    return subprocess.run(
        [sys.executable, "-m", "menage", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


FRENCH_HELP = (
    "Utilisation\u00a0:",
    "Options\u00a0:",
    "Commandes\u00a0:",
    "Afficher ce message et quitter.",
)
ENGLISH_HELP = ("Usage:", "Options:", "Commands:", "Show this message and exit.")


@pytest.mark.parametrize(
    ("args", "environment", "expected", "unexpected"),
    [
        pytest.param([], {}, FRENCH_HELP, ENGLISH_HELP, id="default-french"),
        pytest.param([], {"LANG": "fr_FR.UTF-8"}, FRENCH_HELP, ENGLISH_HELP, id="LANG-fr"),
        pytest.param([], {"LANG": "en_GB.UTF-8"}, ENGLISH_HELP, FRENCH_HELP, id="LANG-en"),
        pytest.param(
            [],
            {"MENAGE_LANG": "en", "LANG": "fr_FR.UTF-8"},
            ENGLISH_HELP,
            FRENCH_HELP,
            id="MENAGE_LANG-wins",
        ),
        pytest.param(
            ["--lang", "fr"], {"LANG": "en_GB.UTF-8"}, FRENCH_HELP, ENGLISH_HELP, id="flag-fr-wins"
        ),
        pytest.param(["--lang", "en"], {}, ENGLISH_HELP, FRENCH_HELP, id="flag-en"),
    ],
)
def test_help_language(args, environment, expected, unexpected):
    out = run_menage(*args, "--help", **environment)
    assert out.returncode == 0, out.stderr
    for text in expected:
        assert text in out.stdout
    for text in unexpected:
        assert text not in out.stdout


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("command", [[], ["scan"], ["scans"], ["impact"], ["demo-data"]])
def test_help_fits_an_80_column_terminal(lang, command):
    out = run_menage("--lang", lang, *command, "--help")
    assert out.returncode == 0, out.stderr
    too_long = [line for line in out.stdout.splitlines() if len(line) > 80]
    assert not too_long


def test_errors_in_french(tmp_path):
    missing = tmp_path / "absent"
    out = run_menage("--lang", "fr", "scan", missing)
    assert out.returncode == 1
    assert out.stderr == f"Erreur{NBSP}: {missing}{NBSP}: fichier ou dossier introuvable\n"

    out = run_menage("--lang", "fr", "scan", "--top", "-1", tmp_path)
    assert out.returncode == 2
    assert (
        "Valeur non valide pour '--top'\u00a0: -1 n’est pas dans l’intervalle x>=0." in out.stderr
    )
    assert "Pour de l’aide, essayez «\u00a0menage scan --help\u00a0»." in out.stderr

    out = run_menage("--lang", "fr", "scna")
    assert out.returncode == 2
    assert "Commande inconnue\u00a0: 'scna'." in out.stderr


@pytest.mark.parametrize(
    ("args", "french", "english"),
    [
        pytest.param(["scan"], "Argument manquant 'CHEMIN...'", "Missing argument", id="missing"),
        pytest.param(
            ["scan", "--nope", "."],
            "Option inconnue\u00a0: '--nope'",
            "No such option",
            id="option",
        ),
        pytest.param(
            ["scan", "--sort-by", "x", "."],
            "Vouliez-vous dire '--by'\u202f?",
            "Did you mean",
            id="mean",
        ),
        pytest.param(
            ["scan", "--top"],
            "L’option '--top' attend un argument",
            "requires an",
            id="needs-value",
        ),
        pytest.param(
            ["scan", "--by", "size", "."],
            "Valeur non valide pour '--by'",
            "Invalid value",
            id="choice",
        ),
        pytest.param(
            ["undo", "1", "2"], "Argument en trop inattendu", "Got unexpected", id="extra"
        ),
        pytest.param(["undo", "--help"], "Afficher ce message et quitter.", "Show this", id="help"),
    ],
)
def test_click_messages_our_commands_show_are_french(args, french, english):
    """Click's own messages, from its catalogue, whatever click release is installed."""
    out = run_menage("--lang", "fr", *args)
    shown = out.stdout + out.stderr
    assert french in shown
    assert english not in shown
    assert "Usage:" not in shown and "Error:" not in shown and "Try '" not in shown


def test_bad_value_error_is_all_french(tmp_path):
    out = run_menage("--lang", "fr", "scan", "--min-size", "abc", tmp_path)
    assert out.returncode == 2
    assert "'abc' n’est pas une taille valide\u00a0: écrivez par exemple" in out.stderr


@pytest.mark.parametrize(
    ("lang", "present", "absent"),
    [
        (
            "fr",
            (
                "Analyse de ",
                "Total analysé",
                "Doublons",
                "Espace récupérable",
                "Plus gros groupes de doublons",
                "Par catégorie",
                f"{NNBSP}Mo",
            ),
            ("Scanned", "Duplicates", "Reclaimable", "Biggest files", " MB"),
        ),
        (
            "en",
            (
                "Scan of ",
                "Scanned",
                "Duplicates",
                "Reclaimable",
                "Largest duplicate groups",
                "By category",
                " MB",
            ),
            ("Total analysé", "Doublons", "Récupérable", f"{NNBSP}Mo"),
        ),
    ],
)
def test_scan_summary_language(tmp_path, lang, present, absent):
    sample = tmp_path / "sample"
    made = run_menage("--lang", lang, "demo-data", sample)
    assert made.returncode == 0, made.stderr
    out = run_menage("--lang", lang, "scan", sample)
    assert out.returncode == 0, out.stderr
    for text in present:
        assert text in out.stdout
    for text in absent:
        assert text not in out.stdout


# --- numbers, sizes and percentages (Babel) -------------------------------------------------


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Switch the process's language, then put back English (the suite's) and LANGUAGE."""
    saved = os.environ.get("LANGUAGE")
    i18n.setup(lang)
    try:
        yield
    finally:
        i18n.setup("en")
        if saved is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved


@pytest.mark.parametrize(
    ("call", "french", "english"),
    [
        pytest.param(lambda: i18n.format_size(12_400_000_000), f"12,4{NNBSP}Go", "12.4 GB"),
        pytest.param(lambda: i18n.format_size(1_500_000), f"1,5{NNBSP}Mo", "1.5 MB"),
        pytest.param(lambda: i18n.format_size(123_456_789_000), f"123{NNBSP}Go", "123 GB"),
        pytest.param(lambda: i18n.format_size(1000), f"1{NNBSP}ko", "1 kB"),
        pytest.param(lambda: i18n.format_size(999), f"999{NBSP}octets", "999 bytes"),
        pytest.param(lambda: i18n.format_size(1), f"1{NBSP}octet", "1 byte"),
        pytest.param(lambda: i18n.format_number(1_234_567), f"1{NNBSP}234{NNBSP}567", "1,234,567"),
        pytest.param(lambda: i18n.format_number(1234.56, 1), f"1{NNBSP}234,6", "1,234.6"),
    ],
)
def test_formats_in_both_languages(call, french, english):
    with speaking("fr"):
        assert call() == french
    with speaking("en"):
        assert call() == english


def test_percent_in_english():
    with speaking("en"):
        assert i18n.format_percent(0.301) == "30.1%"
        assert i18n.format_percent(0.4337) == "43.4%"


def test_percent_in_french_has_a_space_before_the_sign():
    with speaking("fr"):
        assert i18n.format_percent(0.301) == f"30,1{NBSP}%"


_UNITS = {
    "fr": {"octet": 1, "octets": 1, "ko": 10**3, "Mo": 10**6, "Go": 10**9, "To": 10**12},
    "en": {"byte": 1, "bytes": 1, "kB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@settings(deadline=None)  # the first call loads Babel's locale data
@given(n_bytes=st.integers(min_value=0, max_value=10**18))
def test_format_size_always_ends_with_a_unit(lang, n_bytes):
    """Any size reads as '<number> <unit>', and the number is within 5% of the truth."""
    from babel.numbers import parse_decimal

    with speaking(lang):
        text = i18n.format_size(n_bytes)
    match = re.fullmatch(r"(\S.*?)\s+(\S+)", text)
    assert match is not None, text
    number, unit = match.groups()
    assert unit in _UNITS[lang], text
    factor = _UNITS[lang][unit]
    assert factor <= max(n_bytes, 1), text
    shown = float(parse_decimal(number, locale="fr_FR" if lang == "fr" else "en_GB")) * factor
    assert abs(shown - n_bytes) <= 0.05 * n_bytes, text


def test_format_number_is_babels_format_decimal_with_the_pattern_parsed_once():
    """The locale and the pattern are parsed once (a dashboard formats thousands of
    numbers): the text is still Babel's, in both languages, whatever the value."""
    import random

    from babel.numbers import format_decimal

    rng = random.Random(14)
    values = [0, 1, -1, 999, 1000, 0.5, 1.5, 2.5, -0.004, 1e-9, 12.345, 10**15]
    values += [rng.uniform(-1e9, 1e9) for _ in range(300)]
    values += [rng.randint(-(10**12), 10**12) for _ in range(300)]
    for lang in ("fr", "en"):
        with i18n.speaking(lang):
            for digits in (0, 1, 2):
                pattern = "#,##0" + ("." + "0" * digits if digits else "")
                for value in values:
                    expected = format_decimal(value, format=pattern, locale=i18n._babel_locale())
                    assert i18n.format_number(value, digits) == expected
