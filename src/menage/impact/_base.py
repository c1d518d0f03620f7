"""What every part of the model shares: the factor table, ranges by key, the grid."""

from __future__ import annotations

from menage.impact.factors import FactorTable, factors
from menage.impact.required import REGIONS
from menage.impact.values import Range

DEFAULT_REGION = "france"
GIB = 2**30
MIB = 2**20
GB = 10**9
HOURS_PER_YEAR = 365 * 24


class ModelBase:
    """The formulas' shared state: one factor table (the shipped one by default)."""

    def __init__(self, table: FactorTable | None = None) -> None:
        self.table = table if table is not None else factors()

    def r(self, key: str) -> Range:
        """The factor ``key`` as a range."""
        factor = self.table[key]
        return Range(factor.low, factor.central, factor.high)

    def per_unit_of(self, key: str, n_bytes: float) -> float:
        """``n_bytes`` in the size unit the factor is expressed per (GiB or GB)."""
        unit = self.table[key].unit
        if "/GiB" in unit:
            return n_bytes / GIB
        if "/GB" in unit:
            return n_bytes / GB
        raise ValueError(f"{key} is not a per-size factor ({unit})")

    def grid(self, region: str) -> Range:
        """Electricity carbon intensity in gCO2e/kWh."""
        return self.r(f"elec_{check_region(region)}")


def check_region(region: str) -> str:
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r} (one of {', '.join(REGIONS)})")
    return region


def check_count(value: float, name: str) -> None:
    if value < 0:
        raise ValueError(f"{name} must be zero or more")
