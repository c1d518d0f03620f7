"""Read a fleet inventory from CSV: Ménage's documented columns, or GLPI's computer export.

Ménage's format (one device or one group of identical devices per line; ``,`` or ``;``)::

    type,model,purchase_date,lifespan_years,service,serial,quantity
    laptop,ThinkPad T480,2019-09-01,5,Accueil,PF1ABC,1

Only ``type`` is required. GLPI's computer export, as it comes by default (``Nom;
Statut;Fabricant;Numéro de série;Type;Modèle;…;Lieu;…``, French or English headers),
is recognised as is: ``Lieu``/``Location`` is the service, ``Date d'achat`` the purchase
date when the financial columns were added. Other layouts give a mapping
(``{"type": "Catégorie"}``).

Bad input is reported per line and nothing is returned half-way: a missing column,
an unknown device type, an impossible date or a duplicate serial make the whole file
refused with every problem listed (:class:`InventoryError`). Files are decoded as UTF-8
(with or without BOM), else Windows-1252, the encoding of Excel's French CSV exports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from menage.errors import MenageError
from menage.fleet.vocabulary import HEADERS, TYPE_WORDS
from menage.i18n import _, ngettext
from menage.impact.devices import ALIASES, device_type

FIELDS = ("type", "model", "purchase_date", "lifespan_years", "service", "serial", "quantity")
REQUIRED = ("type",)
MAX_QUANTITY = 100_000
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: the line (1 = the header), the column, the message."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("line {line}").format(line=self.line) if self.line else _("file")
        if self.column:
            where = f"{where}, {self.column}"
        return f"{where}: {self.message}"


class InventoryError(MenageError):
    """The inventory cannot be read; every problem found is in ``problems``."""

    # the message agrees with the count (see ``message``)
    template: ClassVar[str] = "{path}: the inventory was not imported ({count} problems)"

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(path=path, count=len(problems))

    @property
    def message(self) -> str:
        return ngettext(
            "{path}: the inventory was not imported ({count} problem)",
            "{path}: the inventory was not imported ({count} problems)",
            self.fields["count"],
        ).format(**self.fields)


@dataclass(frozen=True)
class Item:
    """One line of the inventory, checked."""

    line: int
    device: str
    model: str = ""
    purchase_date: dt.date | None = None
    lifespan_years: float | None = None
    service: str = ""
    serial: str = ""
    quantity: int = 1


@dataclass
class Inventory:
    """Every line of a file that read without error, with the warnings."""

    items: list[Item]
    encoding: str
    layout: str  # "menage" or "glpi"
    columns: dict[str, str]
    warnings: list[Problem] = field(default_factory=list)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower().replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding: UTF-8 (BOM or not), else Windows-1252, else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # five bytes are undefined in cp1252; Latin-1 decodes every byte
    return data.decode("latin-1"), "latin-1"


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_YEAR = re.compile(r"^(19|20)\d\d$")


def parse_date(text: str) -> dt.date:
    """ISO or French dates (``2021-03-15``, ``15/03/2021``, ``15-03-2021``, ``15.03.21``),
    an ISO date with a time, or a year alone (taken as 1 July).

    Raises:
        ValueError: none of these.
    """
    value = text.strip().split(" ")[0].split("T")[0]
    if _YEAR.match(value):
        return dt.date(int(value), 7, 1)
    for pattern in (*_DATE_FORMATS, "%d.%m.%y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _number(text: str) -> float:
    return float(text.strip().replace("\u202f", "").replace("\xa0", "").replace(",", "."))


def device_code(word: str, extra: Mapping[str, str] | None = None) -> str:
    """Our device code for a type as written in an inventory.

    Raises:
        ValueError: the word is not known.
    """
    folded = _fold(word)
    for source, code in (extra or {}).items():
        if _fold(source) == folded:
            return device_type(code).code
    if folded in TYPE_WORDS:
        return TYPE_WORDS[folded]
    return device_type(ALIASES.get(folded, folded.replace(" ", "_"))).code


def _columns(header: list[str], mapping: Mapping[str, str]) -> tuple[dict[str, int], str]:
    folded = [_fold(h) for h in header]
    found: dict[str, int] = {}
    for name in FIELDS:
        wanted = [_fold(mapping[name])] if name in mapping else [_fold(h) for h in HEADERS[name]]
        for candidate in wanted:
            if candidate in folded:
                found[name] = folded.index(candidate)
                break
    layout = "glpi" if {"nom", "statut"} <= set(folded) or {"name", "status"} <= set(folded) else ""
    return found, layout or "menage"


def read_inventory(
    data: bytes,
    *,
    name: str = "inventory.csv",
    mapping: Mapping[str, str] | None = None,
    types: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> Inventory:
    """Check every line of a CSV inventory and return them all, or refuse the file.

    Args:
        data: the file's bytes.
        name: how to name the file in messages.
        mapping: field (``type``, ``purchase_date``…) → header, for other layouts.
        types: extra words for device types (``{"Tour": "desktop"}``).
        today: dates after this day are refused (the default is today).

    Raises:
        InventoryError: with every problem found (nothing is returned half-way).
    """
    if len(data) > MAX_BYTES:
        raise InventoryError(name, [Problem(0, "", _("the file is larger than 50 MB"))])
    text, encoding = decode(data)
    if not text.strip():
        raise InventoryError(name, [Problem(0, "", _("the file is empty"))])
    mapping = dict(mapping or {})
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        message = _("unknown field in the column mapping: {names} (fields: {fields})")
        raise InventoryError(
            name,
            [Problem(0, "", message.format(names=", ".join(unknown), fields=", ".join(FIELDS)))],
        )
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = rows[0]
    columns, layout = _columns(header, mapping)
    problems = [
        Problem(
            1,
            field_name,
            _("missing column (expected a header such as “{header}”)").format(
                header=mapping.get(field_name, HEADERS[field_name][0])
            ),
        )
        for field_name in REQUIRED
        if field_name not in columns
    ]
    if problems:
        raise InventoryError(name, problems)
    today = today or dt.date.today()
    items: list[Item] = []
    warnings: list[Problem] = []
    serials: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        item = _item(number, row, header, columns, types or {}, today, problems, warnings)
        if item is None:
            continue
        if item.serial:
            key = _fold(item.serial)
            if key in serials:
                problems.append(
                    Problem(
                        number,
                        header[columns["serial"]],
                        _("serial {serial} already on line {first}").format(
                            serial=item.serial, first=serials[key]
                        ),
                    )
                )
                continue
            serials[key] = number
        items.append(item)
    if problems:
        raise InventoryError(name, problems)
    if not items:
        raise InventoryError(name, [Problem(0, "", _("no device in the file"))])
    if "purchase_date" not in columns:
        warnings.insert(
            0,
            Problem(
                0, "", _("no purchase date column: every device is counted as within its lifespan")
            ),
        )
    return Inventory(
        items=items,
        encoding=encoding,
        layout=layout,
        columns={k: header[v] for k, v in columns.items()},
        warnings=warnings,
    )


def _item(
    number: int,
    row: list[str],
    header: list[str],
    columns: dict[str, int],
    types: Mapping[str, str],
    today: dt.date,
    problems: list[Problem],
    warnings: list[Problem],
) -> Item | None:
    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    before = len(problems)
    column = {name: header[index] for name, index in columns.items()}
    word = cell("type")
    code = ""
    try:
        code = device_code(word, types)
    except ValueError:
        problems.append(
            Problem(
                number,
                column["type"],
                _("unknown device type “{word}” (map it to one of: {codes})").format(
                    word=word, codes=", ".join(sorted(set(TYPE_WORDS.values())))
                ),
            )
        )
    purchase: dt.date | None = None
    if cell("purchase_date"):
        try:
            purchase = parse_date(cell("purchase_date"))
        except ValueError:
            problems.append(
                Problem(
                    number,
                    column["purchase_date"],
                    _("unreadable date “{value}” (write 2021-03-15 or 15/03/2021)").format(
                        value=cell("purchase_date")
                    ),
                )
            )
        else:
            if purchase > today:
                problems.append(
                    Problem(
                        number,
                        column["purchase_date"],
                        _("purchase date in the future: {value}").format(
                            value=cell("purchase_date")
                        ),
                    )
                )
    lifespan: float | None = None
    if cell("lifespan_years"):
        try:
            lifespan = _number(cell("lifespan_years"))
            if not 0.5 <= lifespan <= 30:
                raise ValueError
        except ValueError:
            problems.append(
                Problem(
                    number,
                    column["lifespan_years"],
                    _(
                        "lifespan must be a number of years between 0.5 and 30, not “{value}”"
                    ).format(value=cell("lifespan_years")),
                )
            )
    quantity = 1
    if cell("quantity"):
        try:
            quantity = int(_number(cell("quantity")))
            if not 1 <= quantity <= MAX_QUANTITY or quantity != _number(cell("quantity")):
                raise ValueError
        except ValueError:
            problems.append(
                Problem(
                    number,
                    column["quantity"],
                    _("quantity must be a whole number from 1 to 100,000, not “{value}”").format(
                        value=cell("quantity")
                    ),
                )
            )
    if len(problems) > before:
        return None
    if not device_type(code).has_factors:
        warnings.append(
            Problem(
                number,
                column["type"],
                _("“{word}” has no sourced figures: counted, not converted").format(word=word),
            )
        )
    return Item(
        line=number,
        device=code,
        model=cell("model"),
        purchase_date=purchase,
        lifespan_years=lifespan,
        service=cell("service"),
        serial=cell("serial"),
        quantity=quantity,
    )
