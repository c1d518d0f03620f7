"""The device sheet: making a device against using it, over lifetime scenarios.

For one device type it gives the manufacturing footprint (made once), the yearly
electricity of its usual use and what that electricity emits on a grid, and for
lifetimes of 3, 4, 5 and 6 years the yearly total (manufacturing spread over the
lifetime plus a year of use). It also says what a second life avoids, and the raw
materials where the sources give them. ``to_dict`` is the JSON form (`menage impact
--device laptop --json`); :mod:`menage.impact.chart` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from menage.impact._base import DEFAULT_REGION
from menage.impact.devices import DeviceType, device_type, impact_device
from menage.impact.model import Model
from menage.impact.values import Impact, Range

#: lifetimes shown on every sheet, in years
LIFETIMES = (3.0, 4.0, 5.0, 6.0)


@dataclass(frozen=True)
class Scenario:
    """One lifetime: the yearly share of manufacturing and a year of use."""

    years: float
    manufacturing_per_year: Range
    use_per_year: Range

    @property
    def total_per_year(self) -> Range:
        return self.manufacturing_per_year + self.use_per_year

    @property
    def manufacturing_fraction(self) -> float:
        """The share of manufacturing in the yearly total (central values)."""
        total = self.total_per_year.central
        return self.manufacturing_per_year.central / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "years": self.years,
            "manufacturing_kgco2e_per_year": self.manufacturing_per_year.to_dict(),
            "use_kgco2e_per_year": self.use_per_year.to_dict(),
            "total_kgco2e_per_year": self.total_per_year.to_dict(),
            "manufacturing_fraction": round(self.manufacturing_fraction, 3),
        }


@dataclass(frozen=True)
class DeviceSheet:
    """Everything the sources say about one device type, for one electricity mix."""

    device: DeviceType
    region: str
    manufacturing: Impact
    lifespan: Range
    power_w: Range
    hours_per_day: float
    use_one_year: Impact
    scenarios: tuple[Scenario, ...]
    keep_one_year: Impact
    second_life_one_year: Impact
    adpe_kgsbeq: Range | None

    def sources(self) -> tuple[str, ...]:
        keys = [
            *self.manufacturing.sources,
            *self.use_one_year.sources,
            *self.keep_one_year.sources,
            *self.second_life_one_year.sources,
        ]
        if self.adpe_kgsbeq is not None:
            keys.append(f"device_{self.device.code}_adpe")
        return tuple(dict.fromkeys(keys))

    def to_dict(self) -> dict[str, Any]:
        use = self.use_one_year
        return {
            "device": self.device.to_dict(),
            "region": self.region,
            "manufacturing_kgco2e": self.manufacturing.kgco2e.to_dict(),
            "usual_lifespan_years": self.lifespan.to_dict(),
            "power_w": self.power_w.to_dict(),
            "hours_per_day": self.hours_per_day,
            "use_per_year": {
                "kwh": use.kwh.to_dict() if use.kwh is not None else None,
                "kgco2e": use.kgco2e.to_dict(),
            },
            "lifetimes": [s.to_dict() for s in self.scenarios],
            "keep_one_more_year": self.keep_one_year.to_dict(),
            "second_life_one_year": self.second_life_one_year.to_dict(),
            "raw_materials_adpe_kgsbeq": (
                self.adpe_kgsbeq.to_dict() if self.adpe_kgsbeq is not None else None
            ),
            "sources": list(self.sources()),
        }


def device_sheet(
    device: str, region: str = DEFAULT_REGION, model: Model | None = None
) -> DeviceSheet:
    """The sheet of ``device`` (a code of :mod:`menage.impact.devices`).

    Args:
        device: ``phone``, ``laptop``, ``box``, ... (a type with sourced figures).
        region: the electricity mix of the use phase.
        model: the formulas and factors (the shipped ones by default).

    Raises:
        ValueError: an unknown device or region, or a type without figures.
    """
    code = impact_device(device)
    m = model or Model()
    use = m.device_use(code, 1.0, region)
    made = m.device_manufacturing(code)
    scenarios = tuple(Scenario(years, made.kgco2e * (1 / years), use.kgco2e) for years in LIFETIMES)
    adpe_key = f"device_{code}_adpe"
    return DeviceSheet(
        device=device_type(code),
        region=region,
        manufacturing=made,
        lifespan=m.lifespan(code),
        power_w=m.r(f"device_{code}_power_w"),
        hours_per_day=m.table[f"device_{code}_hours_per_day"].central,
        use_one_year=use,
        scenarios=scenarios,
        keep_one_year=m.device_life_extension(code, 1.0),
        second_life_one_year=m.second_life(code, 1, 1.0),
        adpe_kgsbeq=m.r(adpe_key) if adpe_key in m.table else None,
    )
