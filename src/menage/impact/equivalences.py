"""Equivalences from ADEME's Impact CO2: a footprint in kilometres by car, meals, ...

Shown beside totals, never instead of them: "keeping a phone one more year ≈ 146 km
by car". Each equivalence is a factor row (Base Empreinte via Impact CO2) with its
source, so a report can cite it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from menage.i18n import N_, _, format_number
from menage.impact.factors import FactorTable, factors


@dataclass(frozen=True)
class Equivalence:
    """One way of picturing a footprint: ``kgco2e / per_unit`` units of something."""

    key: str
    factor: str
    unit_singular: str
    unit_plural: str


EQUIVALENCES: tuple[Equivalence, ...] = (
    Equivalence("car_km", "equiv_car_km", N_("km by petrol car"), N_("km by petrol car")),
    Equivalence("tgv_km", "equiv_tgv_km", N_("km by TGV"), N_("km by TGV")),
    Equivalence("beef_meal", "equiv_beef_meal", N_("meal with beef"), N_("meals with beef")),
    Equivalence(
        "vegetarian_meal", "equiv_vegetarian_meal", N_("vegetarian meal"), N_("vegetarian meals")
    ),
)


def equivalents(kgco2e: float, table: FactorTable | None = None) -> list[dict[str, Any]]:
    """``kgco2e`` in every equivalence: key, amount, words and the factor used.

    Raises:
        ValueError: a negative footprint.
    """
    if kgco2e < 0:
        raise ValueError("kgco2e must be zero or more")
    table = table if table is not None else factors()
    result = []
    for eq in EQUIVALENCES:
        per_unit = table[eq.factor].central
        amount = kgco2e / per_unit
        result.append(
            {
                "key": eq.key,
                "amount": float(f"{amount:.3g}"),
                "text": equivalence_text(amount, eq),
                "factor": eq.factor,
                "kgco2e_per_unit": per_unit,
            }
        )
    return result


def equivalence_text(amount: float, eq: Equivalence) -> str:
    """``146 km by petrol car``, rounded to what the figure supports."""
    if amount >= 100:
        shown = format_number(round(amount, -1 if amount < 1000 else -2))
    elif amount >= 10:
        shown = format_number(round(amount))
    else:
        shown = format_number(round(amount, 1), 1 if amount < 9.95 else 0)
    words = _(eq.unit_singular) if round(amount, 1) <= 1 else _(eq.unit_plural)
    return f"{shown} {words}"


def car_km_text(kgco2e: float, table: FactorTable | None = None) -> str:
    """``≈ 146 km by petrol car`` for one footprint (the equivalence shown beside totals)."""
    table = table if table is not None else factors()
    amount = kgco2e / table["equiv_car_km"].central
    if amount < 1:
        metres = format_number(max(1, round(amount * 1000, -1 if amount >= 0.1 else 0)))
        return _("≈ {metres} m by petrol car").format(metres=metres)
    return _("≈ {amount}").format(amount=equivalence_text(amount, EQUIVALENCES[0]))
