"""A fleet's yearly footprint: manufacturing amortised over each device's life, and use.

Method (also in :data:`METHOD`): a device's manufacturing (with distribution and end of
life) is spread evenly over its expected life; a device older than its expected life is
fully amortised and counts for its use only. Use is a year of electricity on the
device's usual daily profile (Ménage's impact model, French mix by default). Figures
are low – central – high ranges from the impact model's sources.

Scenarios, per year, against the fleet as it is:

* **longer life** (laptops from 4 to 6 years): fewer replacements, each device's
  manufacturing spread over more years: Σ embodied × (1/L − 1/L′) kgCO2e and
  Σ quantity × (1/L − 1/L′) devices a year;
* **refurbished** (30 % of replacements): replacements a year = Σ quantity / L; each
  refurbished purchase avoids a new device's footprint over its life, from the
  second-life factors (ADEME 2022 for phones and laptops, the yearly share of
  manufacturing for the others).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from menage.fleet.inventory import Inventory, Item
from menage.i18n import N_
from menage.impact._base import DEFAULT_REGION
from menage.impact.devices import device_type
from menage.impact.model import Model
from menage.impact.values import ZERO, Range

METHOD = N_(
    "Manufacturing (with distribution and end of life) is spread evenly over each device's "
    "expected life; a device older than that is fully amortised and counts for its use only. "
    "Use is a year of electricity on the device's usual daily profile. Figures: Ménage's "
    "impact model (ADEME, Boavizta), low – central – high."
)
YEAR_DAYS = 365.25


@dataclass
class Group:
    """Devices of one service (or the whole fleet): counts and yearly footprint."""

    name: str
    devices: int = 0
    converted: int = 0
    amortised: int = 0  # devices past their expected life
    manufacturing: Range = ZERO
    use: Range = ZERO

    @property
    def total(self) -> Range:
        return self.manufacturing + self.use

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "devices": self.devices,
            "converted": self.converted,
            "past_expected_life": self.amortised,
            "manufacturing_kgco2e_per_year": self.manufacturing.to_dict(),
            "use_kgco2e_per_year": self.use.to_dict(),
            "total_kgco2e_per_year": self.total.to_dict(),
        }


@dataclass
class Scenario:
    """What a change of practice avoids a year: kgCO2e and devices not bought."""

    key: str
    kgco2e_per_year: Range
    devices_per_year: float
    parameters: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "parameters": dict(self.parameters),
            "avoided_kgco2e_per_year": self.kgco2e_per_year.to_dict(),
            "devices_avoided_per_year": round(self.devices_per_year, 3),
        }


@dataclass
class FleetFootprint:
    """The fleet's yearly footprint per service and in total, and the scenarios."""

    as_of: dt.date
    region: str
    total: Group
    services: list[Group]
    by_type: list[Group]
    scenarios: list[Scenario]
    warnings: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "region": self.region,
            "method": METHOD,
            "total": self.total.to_dict(),
            "services": [g.to_dict() for g in self.services],
            "types": [g.to_dict() for g in self.by_type],
            "scenarios": [s.to_dict() for s in self.scenarios],
            "warnings": list(self.warnings),
        }


def _lifespan(model: Model, item: Item) -> Range:
    if item.lifespan_years is not None:
        return Range.exact(item.lifespan_years)
    return model.lifespan(item.device)


def _age_years(item: Item, as_of: dt.date) -> float | None:
    if item.purchase_date is None:
        return None
    return max(0.0, (as_of - item.purchase_date).days / YEAR_DAYS)


def _add(group: Group, item: Item, model: Model, as_of: dt.date, region: str) -> None:
    group.devices += item.quantity
    if not device_type(item.device).has_factors:
        return
    group.converted += item.quantity
    lifespan = _lifespan(model, item)
    age = _age_years(item, as_of)
    if age is not None and age >= lifespan.central:
        group.amortised += item.quantity
    else:
        group.manufacturing = (
            group.manufacturing + model.embodied(item.device).divided_by(lifespan) * item.quantity
        )
    group.use = group.use + model.device_use(item.device, 1.0, region).kgco2e * item.quantity


def _grouped(
    items: Iterable[Item], key: Any, model: Model, as_of: dt.date, region: str
) -> list[Group]:
    groups: dict[str, Group] = {}
    for item in items:
        name = key(item)
        _add(groups.setdefault(name, Group(name)), item, model, as_of, region)
    return sorted(groups.values(), key=lambda g: (-g.total.central, g.name))


def extend_life(
    items: Iterable[Item], model: Model, device: str = "laptop", years: float = 6.0
) -> Scenario:
    """Keep ``device`` ``years`` instead of its current expected life (when shorter)."""
    kg, devices = ZERO, 0.0
    for item in items:
        if item.device != device:
            continue
        lifespan = _lifespan(model, item)
        if lifespan.central >= years:
            continue
        embodied = model.embodied(device) * item.quantity
        longer = Range.exact(years)
        kg = kg + _minus(embodied.divided_by(lifespan), embodied.divided_by(longer))
        devices += item.quantity * (1 / lifespan.central - 1 / years)
    return Scenario("extend_life", kg, devices, {"device": device, "years": years})


def _minus(a: Range, b: Range) -> Range:
    return Range(max(0.0, a.low - b.low), a.central - b.central, max(0.0, a.high - b.high))


def buy_refurbished(items: Iterable[Item], model: Model, share: float = 0.3) -> Scenario:
    """Buy refurbished for ``share`` of the replacements each year."""
    if not 0 <= share <= 1:
        raise ValueError("share must be between 0 and 1")
    kg, devices = ZERO, 0.0
    for item in items:
        if not device_type(item.device).has_factors:
            continue
        lifespan = _lifespan(model, item)
        replaced = item.quantity * share / lifespan.central
        devices += replaced
        kg = kg + model.second_life(item.device, 1, lifespan.central).kgco2e * replaced
    return Scenario("buy_refurbished", kg, devices, {"share": share})


def fleet_footprint(
    inventory: Inventory,
    *,
    as_of: dt.date | None = None,
    region: str = DEFAULT_REGION,
    extend_device: str = "laptop",
    extend_to_years: float = 6.0,
    refurbished_share: float = 0.3,
    model: Model | None = None,
) -> FleetFootprint:
    """The yearly footprint of ``inventory`` per service and in total, with the scenarios.

    Args:
        inventory: from :func:`menage.fleet.inventory.read_inventory`.
        as_of: the day ages are computed at (today by default).
        region: electricity mix of the use phase.
        extend_device, extend_to_years: the longer-life scenario.
        refurbished_share: the share of replacements bought refurbished.
        model: formulas and factors (the shipped ones by default).
    """
    m = model or Model()
    day = as_of or dt.date.today()
    items = inventory.items
    total = Group("total")
    for item in items:
        _add(total, item, m, day, region)
    return FleetFootprint(
        as_of=day,
        region=region,
        total=total,
        services=_grouped(items, lambda i: i.service, m, day, region),
        by_type=_grouped(items, lambda i: i.device, m, day, region),
        scenarios=[
            extend_life(items, m, extend_device, extend_to_years),
            buy_refurbished(items, m, refurbished_share),
        ],
        warnings=[str(w) for w in inventory.warnings],
    )
