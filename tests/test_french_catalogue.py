"""French that reads naturally, over every catalogue: typography, nothing left in English, plurals.

Each check reads the French ``msgstr`` of every entry of Ménage's catalogue, the platform's
(Django) and click's, and fails with the list of entries at fault. The allow-lists say why
each exception is one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = {
    "menage": ROOT / "src/menage/locale/fr/LC_MESSAGES/menage.po",
    "click": ROOT / "src/menage/locale/fr/LC_MESSAGES/click.po",
    "django": ROOT / "src/menage/platform/locale/fr/LC_MESSAGES/django.po",
}
NBSP = "\u00a0"  # before « : » and inside « »
NNBSP = "\u202f"  # before ; ! ?

# French text where a « ; ! ? : » is not French punctuation, with the reason.
NOT_FRENCH_PUNCTUATION = {
    "How Bad Are Bananas?": "an English book title, quoted as published",
    "8h30-18h; sam": "an example of what to type in the opening-hours field, which splits on ;",
}

# msgids whose French is the English word itself, with the reason.
SAME_IN_FRENCH = {
    # proper names, titles, standards and codes
    "France": "a proper name",
    "Europe": "a proper name",
    "Alex de Vries, Joule (2023).": "an author and a journal title",
    "API": "an acronym, the same in French",
    "SD": "a video quality's acronym",
    "HD": "a video quality's acronym",
    "{n} action, {size}.": "the French singular is spelt as the English one",
    "{n} minute": "the French is spelt as the English",
    "%(num)s message": "the French is spelt as the English",
    "Photo %(name)s": "the French is spelt as the English",
    "{region}, {value} gCO2e/kWh": "a place and a unit",
    "%(prog)s, version %(version)s": "a program name and its version",
    "Choice({choices})": "a Python type's name, shown to developers",
    # placeholders in help: SCREAMING words that are names of values, the same in French
    "DATE": "same word in French",
    "URL": "an acronym, the same in French",
    "CODE": "same word in French",
    "SOURCE": "same word in French",
    "PLAN": "same word in French",
    "[OPTIONS]": "same word in French",
    # URL patterns (the platform's addresses are French already)
    "impact/": "a URL path",
    "impact/<slug:slug>/": "a URL path",
    "<slug:slug>/programme/": "a URL path",
    "agenda/": "a URL path",
    "organisations/": "a URL path",
    "invitations/<str:token>/": "a URL path",
    # words spelt the same in both languages
    **{
        word: "spelt the same in French"
        for word in (
            "Date",
            "Dates",
            "Messages",
            "Impact",
            "Documents",
            "Images",
            "Audio",
            "Code",
            "Codes",
            "code",
            "service",
            "Service",
            "type",
            "Type",
            "Photos",
            "Copies",
            "Action",
            "Actions",
            "organisation",
            "Organisation",
            "organisations",
            "Organisations",
            "description",
            "latitude",
            "longitude",
            "note",
            "Note",
            "Notes",
            "cloud",
            "Cloud",
            "Association",
            "logo",
            "invitation",
            "invitations",
            "Invitation",
            "message",
            "Agenda",
            "Programme",
            "Pages",
            "Cookies",
            "Total",
            "Bilan",
            "participations",
            "Participations",
            "Signature",
            "Administration",
            "Contact",
            "Port.",
            "{num} photo",
            "%(num)s photo",
            "{min} min {s} s",
        )
    },
}

# placeholders that hold a bare number (a count, a number of years…)
NUMBER_FIELD = re.compile(
    r"\{(n|num|count|number|years|months|days|read|old|dups|taken|capacity|minimum)\}"
    r"|%\((n|num|count|number|years|months|days|read|old|dups|taken|capacity|minimum)\)[sd]"
)
# French words ending in s or x that are not plurals
INVARIABLE = {"mois", "fois", "pas", "plus", "sans", "sous", "dans", "vers", "depuis", "très"}
# entries whose number is never 1, with the reason
NEVER_ONE = {
    "%(read)s read": "a percentage (« 40 % lus »), never a count",
    "Group %(n)s: %(count)s photos — frees %(freed)s": "a group of similar photos has 2 or more",
    "Fewer than %(minimum)s entries: not shown.": "the minimum group is at least 2 (settings)",
    "Fewer than %(minimum)s participations: not shown.": "the minimum group is at least 2",
    "fewer than {minimum} entries: not shown": "the minimum group is at least 2 (settings)",
    "Others together ({count} organisations)": "a lone small group is put with the smallest shown",
    "The reason is too long (at most {n} characters).": "the limit is a constant of hundreds",
    "The figures appear once at least %(minimum)s entries have been received: a small group "
    "must not be singled out.": "the minimum group is at least 2 (settings)",
    "No figure is shown for a group of fewer than %(minimum)s entries; such groups are put "
    "together, with the smallest shown one when needed, so that no hidden figure can be worked "
    "out from the total.": "the minimum group is at least 2 (settings)",
    "The figures appear once at least %(minimum)s participations have been received.": (
        "the minimum group is at least 2 (settings)"
    ),
    "Group %(n)s: %(count)s copies of %(size)s — frees %(freed)s": "a group has 2 copies or more",
}

_FIELD = re.compile(r"\{[^{}]*\}|%\([^)]*\)[a-z]|<[^<>]*>|`[^`]*`|https?://\S+|\[/?[a-z ]+\]")


def _messages() -> list[tuple[str, Message]]:
    found = []
    for name, path in CATALOGUES.items():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="fr")
        found += [(name, message) for message in catalog if message.id]
    return found


MESSAGES = _messages()


def _french(message: Message) -> list[str]:
    string = message.string
    if string is None:
        return [""]
    return [string] if isinstance(string, str) else [form or "" for form in string]


def _english(message: Message) -> list[str]:
    return [message.id] if isinstance(message.id, str) else list(message.id)


_NUMBER_THEN_UNIT = re.compile(
    r"(?:\{\w+\}|%\(\w+\)[sd]|\b\d+) "
    r"(?:s|h|min|W|Wh|kWh|kg|g|kgCO2e|gCO2e|Mo|Go|ko|To|km|m|%|ans?|mois|jours?|octets?)(?!\w)"
)


def typography_mistakes(text: str) -> list[str]:
    """What is wrong with the spaces around French punctuation in ``text``."""
    for example in NOT_FRENCH_PUNCTUATION:
        text = text.replace(example, "")
    mistakes = []
    # a number and its unit never part at the end of a line
    for match in _NUMBER_THEN_UNIT.finditer(text):
        mistakes.append(f"ordinary space in {match.group(0)!r}")
    text = re.sub(r"https?://\S+|\{[^{}]*\}|`[^`]*`", "X", text)
    # a colon that ends a clause (followed by a space or the end), not a JSON key's
    for match in re.finditer(r"(.?)(:)(?=\s|$|»)", text):
        if match.group(1) not in (NBSP, '"'):
            mistakes.append(f"{match.group(1)!r} before «:»")
    for match in re.finditer(r"(.?)([;!?])(?=\s|$|»|\)|\")", text):
        if match.group(1) != NNBSP:
            mistakes.append(f"{match.group(1)!r} before {match.group(2)!r}")
    if re.search(r"«(?!\u00a0)", text) or re.search(r"(?<!\u00a0)»", text):
        mistakes.append("« » without non-breaking spaces inside")
    return mistakes


def test_typography_checker_sees_each_mistake():
    assert typography_mistakes("Erreur : x") == ["' ' before «:»"]
    assert typography_mistakes("Erreur: x") == ["'r' before «:»"]
    assert typography_mistakes(f"Vraiment{NBSP}?") == ["'\\xa0' before '?'"]
    assert typography_mistakes(f"«{NBSP}oui »") == ["« » without non-breaking spaces inside"]
    assert typography_mistakes(f'Fin{NBSP}: "confirmed": true, voir http://a:80/ et {{a:>3}}') == []
    assert typography_mistakes(f"a{NBSP}: b{NNBSP}; c{NNBSP}! «{NBSP}d{NBSP}»{NNBSP}?") == []
    assert typography_mistakes("{hours} h, 3 Mo, {n} ans") == [
        "ordinary space in '{hours} h'",
        "ordinary space in '3 Mo'",
        "ordinary space in '{n} ans'",
    ]
    assert typography_mistakes(f"{{hours}}{NBSP}h, 3{NNBSP}Mo, {{host}}:{{port}}{NBSP}: non") == []


def test_french_typography_everywhere():
    """A non-breaking space before « : » and inside « », a narrow one before ; ! ?."""
    wrong = [
        f"{name}: {message.id!r}: {', '.join(mistakes)}"
        for name, message in MESSAGES
        for text in _french(message)
        if (mistakes := typography_mistakes(text))
    ]
    assert not wrong, "\n".join(wrong)


def has_words(text: str) -> bool:
    return re.search(r"[A-Za-z]{2,}", _FIELD.sub("", text)) is not None


def test_nothing_left_empty_or_in_english():
    wrong = []
    for name, message in MESSAGES:
        english, french = _english(message), _french(message)
        if not all(french):
            wrong.append(f"{name}: empty: {message.id!r}")
        elif french[0] == english[0] and has_words(english[0]):
            if english[0] not in SAME_IN_FRENCH:
                wrong.append(f"{name}: left in English: {message.id!r}")
    assert not wrong, "\n".join(wrong)


def test_allow_list_has_no_dead_entries():
    """Every exception still names an entry: the lists do not hide future mistakes."""
    ids = {_english(message)[0] for _name, message in MESSAGES}
    assert set(SAME_IN_FRENCH) <= ids
    assert set(NEVER_ONE) <= ids | {""}
    french = "\n".join(text for _name, message in MESSAGES for text in _french(message))
    assert all(example in french for example in NOT_FRENCH_PUNCTUATION)


def plural_without_agreement(english: str, french: str) -> bool:
    """A bare number followed by a plural word, in an entry that has a single form."""
    if english in NEVER_ONE:
        return False
    for match in NUMBER_FIELD.finditer(french):
        word = re.match(r"\s+([^\W\d_][\w’'-]*)", french[match.end() :])
        if word and word.group(1)[-1] in "sx" and word.group(1).lower() not in INVARIABLE:
            return True
    return False


def test_plural_checker():
    assert plural_without_agreement("{n} files", "{n} fichiers")
    assert plural_without_agreement("%(taken)s taken", "%(taken)s places prises")
    assert not plural_without_agreement("{n} months", "{n} mois")
    assert not plural_without_agreement("Lines: {n}", "Lignes\u00a0: {n}")
    assert not plural_without_agreement("{files} freed", "{files} libérés")


def test_counts_agree_with_their_nouns():
    """« 1 fichiers » cannot happen: a count before a plural noun is an ngettext entry."""
    wrong = [
        f"{name}: {message.id!r} → {message.string!r}"
        for name, message in MESSAGES
        if isinstance(message.id, str) and plural_without_agreement(message.id, _french(message)[0])
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_no_fuzzy_entry(name):
    with CATALOGUES[name].open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    assert not [message.id for message in catalog if message.id and message.fuzzy]
