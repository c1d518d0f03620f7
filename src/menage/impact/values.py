"""Values with a range (low, central, high) and the impact of one activity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Range:
    """A quantity as sources give it: a central estimate between a low and a high one."""

    low: float
    central: float
    high: float

    @classmethod
    def exact(cls, value: float) -> Range:
        return cls(value, value, value)

    def __add__(self, other: Range | float) -> Range:
        if not isinstance(other, Range):
            other = Range.exact(other)
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    __radd__ = __add__

    def __mul__(self, other: Range | float) -> Range:
        # every quantity here is zero or more, so bounds multiply with bounds
        if isinstance(other, Range):
            return Range(self.low * other.low, self.central * other.central, self.high * other.high)
        return Range(self.low * other, self.central * other, self.high * other)

    __rmul__ = __mul__

    def divided_by(self, other: Range) -> Range:
        """``self / other`` as the widest range: low over high, high over low.

        Dividing by a lifespan is where this matters: a shorter life makes a bigger
        yearly share, so the low result pairs the low numerator with the high divisor.
        """
        return Range(
            _div(self.low, other.high),
            _div(self.central, other.central),
            _div(self.high, other.low),
        )

    @property
    def width(self) -> float:
        return self.high - self.low

    def to_dict(self, digits: int = 6) -> dict[str, float]:
        return {
            "low": _round(self.low, digits),
            "central": _round(self.central, digits),
            "high": _round(self.high, digits),
        }


ZERO = Range(0.0, 0.0, 0.0)


def _div(a: float, b: float) -> float:
    if b <= 0:
        raise ValueError("cannot divide by zero or less")
    return a / b


def _round(value: float, digits: int) -> float:
    """Round to ``digits`` significant figures (JSON stays readable, no false precision)."""
    if value == 0:
        return 0.0
    return float(f"{value:.{digits}g}")


@dataclass(frozen=True)
class Impact:
    """The footprint of one activity: energy, carbon and (where sourced) water.

    ``kgco2e`` and ``kwh`` are totals for the activity as asked (one year of storage,
    N mails, ...). ``kwh`` is None where no energy figure is sourced (manufacturing);
    ``water_l`` is None where sources do not allow a figure; where it
    is given it is indicative. ``avoided`` marks what an action saves rather than costs
    (keeping a device longer, a second life). ``sources`` are the factor keys used.
    """

    activity: str
    quantity: float
    unit: str
    kwh: Range | None
    kgco2e: Range
    water_l: Range | None
    sources: tuple[str, ...]
    avoided: bool = False
    #: what the activity was, beyond quantity and unit (recipients, quality, device...)
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "activity": self.activity,
            "quantity": self.quantity,
            "unit": self.unit,
            "kwh": self.kwh.to_dict() if self.kwh is not None else None,
            "kgco2e": self.kgco2e.to_dict(),
            "water_l": self.water_l.to_dict() if self.water_l is not None else None,
            "water_indicative": self.water_l is not None,
            "avoided": self.avoided,
            "sources": list(self.sources),
            **({"detail": dict(self.detail)} if self.detail else {}),
        }


def total(impacts: list[Impact]) -> tuple[Range, Range]:
    """Sum of kWh and kgCO2e over impacts, low with low and high with high.

    Adding bounds assumes the errors go the same way everywhere: the summed range is
    the widest one, on purpose.
    """
    kwh, co2 = ZERO, ZERO
    for impact in impacts:
        if impact.kwh is not None:
            kwh = kwh + impact.kwh
        co2 = co2 + impact.kgco2e
    return kwh, co2
