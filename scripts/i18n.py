"""Extract, update and compile Ménage's translations (``make i18n``).

Two French catalogues live in ``src/menage/locale/fr/LC_MESSAGES``; English is the
source language and needs none:

- ``menage.po``: our messages (``_``, ``N_``, ``ngettext``, Jinja2 templates). The check
  fails when it is stale or incomplete: it depends only on our sources.
- ``click.po``: click's own help and error strings, which click looks up through the
  process-wide gettext domain. Click's messages change between its releases, so this
  catalogue only ever grows: ``make i18n`` adds what the installed click has and keeps
  the translations of older releases, so one catalogue serves every click a user may
  have. The check asks only that every entry is translated; whether our commands'
  output is French is checked by running them (``tests/test_i18n.py``), whatever click
  is installed.

    python scripts/i18n.py            # extract + update + compile
    python scripts/i18n.py --check    # fail if a catalogue is stale or incomplete
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "menage"
PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "menage.po"
MO = PO.with_suffix(".mo")
CLICK_PO = PO.with_name("click.po")
CLICK_MO = CLICK_PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": None}
CLICK_MODULES = (
    "core.py",
    "decorators.py",
    "exceptions.py",
    "formatting.py",
    "termui.py",
    "types.py",
    "parser.py",
    "_termui_impl.py",
)
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
# the platform (Django) has its own catalogues under menage/platform
SKIP = ("platform",)


def extract() -> Catalog:
    catalog = Catalog(project="menage")
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(PACKAGE),
        METHODS,
        keywords=KEYWORDS,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        if filename.split("/")[0] in SKIP:
            continue
        catalog.add(message, None, [(f"menage/{filename}", lineno)], auto_comments=comments)
    return catalog


def extract_click() -> Catalog:
    """The messages of the installed click's modules that print help and errors."""
    catalog = Catalog(project="click")
    click_dir = Path(click.__file__).parent
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(click_dir), [("*.py", "python")], keywords=KEYWORDS
    ):
        if filename in CLICK_MODULES:
            catalog.add(message, None, [(f"click/{filename}", lineno)], auto_comments=comments)
    return catalog


# French typography: a no-break space before « : » and inside « », a narrow one before
# ; ! ? (so that a line never starts with them). Translators type ordinary spaces;
# `make i18n` puts the right ones and the check refuses a catalogue that has not.
_SPACE_BEFORE = re.compile(r" +([:;!?»])")
_SPACE_AFTER = re.compile(r"« +")
_NO_BREAK = {":": "\u00a0", "»": "\u00a0", ";": "\u202f", "!": "\u202f", "?": "\u202f"}


def french_typography(text: str) -> str:
    text = _SPACE_BEFORE.sub(lambda m: _NO_BREAK[m.group(1)] + m.group(1), text)
    if text.endswith(" "):  # click adds the colon of a heading itself: "Options" + ":"
        text = text.rstrip(" ") + "\u00a0"
    return _SPACE_AFTER.sub("«\u00a0", text)


def _typeset(catalog: Catalog) -> None:
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.string, tuple):
            message.string = tuple(french_typography(s) for s in message.string)
        else:
            message.string = french_typography(message.string)


def load(path: Path = PO) -> Catalog:
    if path.exists():
        with path.open("rb") as handle:
            return read_po(handle, locale="fr")
    return Catalog(locale="fr", project=path.stem)


# fixed header values, so that the catalogue only changes when its messages do
_STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def _stamp(catalog: Catalog) -> None:
    catalog.creation_date = _STAMP
    catalog.revision_date = _STAMP
    catalog.version = "1"
    catalog.copyright_holder = "Ménage contributors"
    catalog.msgid_bugs_address = "https://github.com/menage-numerique/menage/issues"
    catalog.last_translator = "Ménage contributors"
    catalog.language_team = "French"
    catalog.fuzzy = False


def updated() -> Catalog:
    catalog = load()
    catalog.update(extract(), no_fuzzy_matching=True)
    _typeset(catalog)
    _stamp(catalog)
    catalog.project = "menage"
    return catalog


def click_updated() -> tuple[Catalog, list[str]]:
    """The click catalogue with the installed click's new messages added, and their ids.

    Nothing is removed: a translation made for another click release stays, for the
    users who have that release.
    """
    catalog = load(CLICK_PO)
    added = []
    for message in extract_click():
        if message.id and message.id not in catalog:
            catalog[message.id] = message
            added.append(message.id if isinstance(message.id, str) else message.id[0])
    _typeset(catalog)
    _stamp(catalog)
    catalog.project = "menage"
    return catalog, added


def po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        omit_header=False,
        ignore_obsolete=True,
        sort_output=False,
        include_lineno=False,
    )
    return buffer.getvalue()


def _comparable(po: bytes) -> bytes:
    """The catalogue without the line naming Babel's version, which upgrades change."""
    return b"\n".join(line for line in po.splitlines() if not line.startswith(b'"Generated-By'))


def _messages(mo: bytes) -> dict[object, str]:
    """The translations a compiled catalogue holds, header left out."""
    import gettext

    translations = gettext.GNUTranslations(io.BytesIO(mo))
    catalog: dict[object, str] = dict(translations._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)
    return catalog


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def problems(catalog: Catalog) -> list[str]:
    found = []
    for message in catalog:
        if not message.id:
            continue
        label = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            found.append(f"fuzzy: {label!r}")
        elif not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            found.append(f"untranslated: {label!r}")
    return found


def stale(catalog: Catalog, po: Path, mo: Path) -> list[str]:
    """Which of the catalogue's files differ from what ``make i18n`` would write."""
    errors = []
    if not mo.exists() or _messages(mo.read_bytes()) != _messages(mo_bytes(catalog)):
        errors.append(f"{mo.relative_to(ROOT)} is stale: run `make i18n`")
    if not po.exists() or _comparable(po.read_bytes()) != _comparable(po_bytes(catalog)):
        errors.append(f"{po.relative_to(ROOT)} is stale: run `make i18n`")
    return errors


def check() -> list[str]:
    """Our catalogue matches our sources; the click catalogue is complete and compiled."""
    ours = updated()
    errors = stale(ours, PO, MO) + problems(ours)
    click_catalog = load(CLICK_PO)
    _typeset(click_catalog)
    _stamp(click_catalog)
    errors += stale(click_catalog, CLICK_PO, CLICK_MO)
    errors += [f"{CLICK_PO.name}: {problem}" for problem in problems(click_catalog)]
    return errors


def write(catalog: Catalog, po: Path, mo: Path) -> None:
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_bytes(po_bytes(catalog))
    mo.write_bytes(mo_bytes(catalog))
    missing = problems(catalog)
    print(f"{po.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} to translate")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        errors = check()
        for error in errors:
            print(error, file=sys.stderr)
        return 1 if errors else 0
    write(updated(), PO, MO)
    click_catalog, added = click_updated()
    write(click_catalog, CLICK_PO, CLICK_MO)
    for message_id in added:
        print(f"new in click {version('click')}: {message_id!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
