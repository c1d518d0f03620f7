"""The environmental factors: one CSV file with a source and year for every number.

``factors.csv`` ships inside the package. Each row is one published (or derived and
explained) figure: ``key, low, central, high, unit, scope, source, year, reference,
status, kind, confidence, verified, note``. ``status`` says how Ménage uses it: ``used``
by the model, ``reference`` (shown for comparison), ``contested`` (explained by
``--myths``, never used). ``kind`` says why the range is what it is: ``estimate``
(sources or scenarios disagree: low < high), ``single`` (one source, or sources that
agree: no range known), ``definition`` (a value fixed by a definition or a scenario's
choice, such as a 1 MB mail) or ``quote`` (a figure as someone published it).
``confidence`` is ``high``, ``medium`` or ``low``, shown with the figure. The whole
file is checked when it is loaded: a malformed row stops everything with a message
naming the file, the line and the problem, rather than a wrong number.
"""

from __future__ import annotations

import csv
import functools
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from menage.errors import MenageError
from menage.i18n import N_
from menage.impact.required import REQUIRED_KEYS

FACTORS_PATH = Path(__file__).with_name("factors.csv")
COLUMNS = (
    "key",
    "low",
    "central",
    "high",
    "unit",
    "scope",
    "source",
    "year",
    "reference",
    "status",
    "kind",
    "confidence",
    "verified",
    "note",
)
STATUSES = ("used", "reference", "contested")
KINDS = ("estimate", "single", "definition", "quote")
CONFIDENCES = ("high", "medium", "low")

#: every unit the file may use; the model converts by these, so a typo must not pass
UNITS = frozenset(
    {
        "gCO2e/kWh",
        "gCO2e/GiB/year",
        "kWh/GiB/year",
        "gCO2e/GB/year",
        "kWh/GB/year",
        "gCO2e/GiB",
        "gCO2e/GB",
        "kWh/GiB",
        "kWh/GB",
        "gCO2e/email",
        "kWh/email",
        "MiB/email",
        "transfers/email",
        "gCO2e/hour",
        "kWh/hour",
        "GiB/hour",
        "kWh/request",
        "gCO2e/request",
        "mL/request",
        "kWh/image",
        "kgCO2e/unit",
        "L/kWh",
        "L/unit",
        "copies",
        "years",
        "ratio",
        "%",
        "TB",
        "GB/participant",
        "minutes",
        "GiB/request",
        "hours/day",
        "W",
        "kgSbeq/unit",
        "kgCO2e/year",
        "kg/year",
        "kgCO2e/km",
        "kgCO2e/meal",
    }
)
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_YEAR_RE = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")


class FactorsError(MenageError):
    template = N_("{path}, line {line}: {detail}")


@dataclass(frozen=True)
class Factor:
    """One row of the factors file."""

    key: str
    low: float
    central: float
    high: float
    unit: str
    scope: str
    source: str
    year: str
    reference: str
    status: str
    kind: str
    confidence: str
    verified: str
    note: str

    @property
    def varies(self) -> bool:
        """Whether sources (or scenarios) disagree on this value."""
        return not (self.low == self.central == self.high)


class FactorTable:
    """The loaded factors, by key, in file order."""

    def __init__(self, factors: list[Factor], path: Path) -> None:
        self.path = path
        self._by_key = {f.key: f for f in factors}

    def __getitem__(self, key: str) -> Factor:
        try:
            return self._by_key[key]
        except KeyError:
            raise FactorsError(
                path=self.path, line="-", detail=f"the model needs {key!r}, which is missing"
            ) from None

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[Factor]:
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)


def _number(text: str, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{column} {text!r} must be a finite number, zero or more")
    return value


def _parse_row(row: dict[str, str | None]) -> Factor:
    missing = [c for c in COLUMNS if row.get(c) is None]
    if missing:
        raise ValueError(f"missing column(s) {', '.join(missing)}")
    if row.get(None) is not None:  # type: ignore[call-overload]
        raise ValueError("more values than columns (a comma not in quotes?)")
    cells = {c: (row[c] or "").strip() for c in COLUMNS}
    key = cells["key"]
    if not _KEY_RE.match(key):
        raise ValueError(f"key {key!r} must be lower case letters, digits and _")
    low, central, high = (_number(cells[c], c) for c in ("low", "central", "high"))
    if not low <= central <= high:
        raise ValueError(f"{key}: low <= central <= high is not true ({low}, {central}, {high})")
    if cells["unit"] not in UNITS:
        raise ValueError(f"{key}: unknown unit {cells['unit']!r}")
    for column in ("scope", "source", "reference", "verified"):
        if not cells[column]:
            raise ValueError(f"{key}: {column} is empty")
    if not _YEAR_RE.search(cells["year"]):
        raise ValueError(f"{key}: year {cells['year']!r} has no year in it")
    for column, allowed in (("status", STATUSES), ("kind", KINDS), ("confidence", CONFIDENCES)):
        if cells[column] not in allowed:
            raise ValueError(
                f"{key}: {column} {cells[column]!r} is not one of {', '.join(allowed)}"
            )
    _check_width(key, cells["kind"], low, high)
    return Factor(
        key=key,
        low=low,
        central=central,
        high=high,
        unit=cells["unit"],
        scope=cells["scope"],
        source=cells["source"],
        year=cells["year"],
        reference=cells["reference"],
        status=cells["status"],
        kind=cells["kind"],
        confidence=cells["confidence"],
        verified=cells["verified"],
        note=cells["note"],
    )


def _check_width(key: str, kind: str, low: float, high: float) -> None:
    """A range is as wide as the sources make it: an estimate has one, a definition none."""
    if kind == "estimate" and low == high:
        raise ValueError(f"{key}: an estimate has low < high (else its kind is single)")
    if kind in ("single", "definition") and low != high:
        raise ValueError(f"{key}: a {kind} has low = central = high")


def load_factors(path: Path = FACTORS_PATH) -> FactorTable:
    """Read and check a factors file.

    Raises:
        FactorsError: the file cannot be read, or a row is malformed (the message
            names the line), or a key appears twice.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FactorsError(path=path, line="-", detail=str(exc)) from None
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise FactorsError(path=path, line=1, detail=f"the header must be: {','.join(COLUMNS)}")
    factors: list[Factor] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        try:
            factor = _parse_row(row)
        except ValueError as exc:
            raise FactorsError(path=path, line=line, detail=str(exc)) from None
        if factor.key in seen:
            raise FactorsError(
                path=path,
                line=line,
                detail=f"key {factor.key!r} already defined on line {seen[factor.key]}",
            )
        seen[factor.key] = line
        factors.append(factor)
    if not factors:
        raise FactorsError(path=path, line="-", detail="no factor in the file")
    table = FactorTable(factors, path)
    _check_required(table)
    return table


def _check_required(table: FactorTable) -> None:
    for key in REQUIRED_KEYS:
        if key not in table:
            raise FactorsError(
                path=table.path, line="-", detail=f"the model needs {key!r}, which is missing"
            )
        if table[key].status != "used":
            raise FactorsError(
                path=table.path,
                line="-",
                detail=f"{key!r} is used by the model but its status is {table[key].status!r}",
            )


def factors() -> FactorTable:
    """The factors in use, loaded and checked once per process and file.

    The shipped file, unless ``MENAGE_FACTORS`` names another one (an organisation's
    own figures), which is checked the same way.
    """
    return _cached(os.environ.get("MENAGE_FACTORS") or str(FACTORS_PATH))


@functools.cache
def _cached(path: str) -> FactorTable:
    return load_factors(Path(path))
