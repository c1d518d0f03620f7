"""Extract, update and compile Ménage's translations (``make i18n``).

Messages come from our sources (``_``, ``N_``, ``ngettext``, Jinja2 templates) and from
click, whose help and error strings go through the same gettext domain. The French
catalogue lives in ``src/menage/locale/fr/LC_MESSAGES/menage.po``; English is the
source language and needs no catalogue.

    python scripts/i18n.py            # extract + update + compile
    python scripts/i18n.py --check    # fail if the catalogue is stale or incomplete
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
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
    click_dir = Path(click.__file__).parent
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(click_dir), [("*.py", "python")], keywords=KEYWORDS
    ):
        if filename in CLICK_MODULES:
            catalog.add(message, None, [(f"click/{filename}", lineno)], auto_comments=comments)
    return catalog


def load() -> Catalog:
    if PO.exists():
        with PO.open("rb") as handle:
            return read_po(handle, locale="fr")
    return Catalog(locale="fr", project="menage")


# fixed header values, so that the catalogue only changes when its messages do
_STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def updated() -> Catalog:
    catalog = load()
    catalog.update(extract(), no_fuzzy_matching=True)
    catalog.creation_date = _STAMP
    catalog.revision_date = _STAMP
    catalog.project = "menage"
    catalog.version = "1"
    catalog.copyright_holder = "Ménage contributors"
    catalog.msgid_bugs_address = "https://github.com/menage-numerique/menage/issues"
    catalog.last_translator = "Ménage contributors"
    catalog.language_team = "French"
    catalog.fuzzy = False
    return catalog


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    catalog = updated()
    if args.check:
        errors = problems(catalog)
        if not PO.exists() or _comparable(PO.read_bytes()) != _comparable(po_bytes(catalog)):
            errors.insert(0, f"{PO.relative_to(ROOT)} is stale: run `make i18n`")
        if not MO.exists() or _messages(MO.read_bytes()) != _messages(mo_bytes(catalog)):
            errors.insert(0, f"{MO.relative_to(ROOT)} is stale: run `make i18n`")
        for error in errors:
            print(error, file=sys.stderr)
        return 1 if errors else 0
    PO.parent.mkdir(parents=True, exist_ok=True)
    PO.write_bytes(po_bytes(catalog))
    MO.write_bytes(mo_bytes(catalog))
    missing = problems(catalog)
    print(f"{PO.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
