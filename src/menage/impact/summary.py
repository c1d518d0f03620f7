"""What reports say about impact: freed storage, ranges in words, and proportion.

Reports (terminal, JSON, HTML) call :func:`storage_summary` with the bytes that can
be or were freed. It gives the yearly footprint of those bytes where they are (a
local disk, for a scan) and, second, what they would cost if they were synced to a
data centre, and puts it next to what keeping a smartphone one more year avoids:
deleting data matters far less than making devices last, and Ménage says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from menage.i18n import NBSP, _, format_number, language
from menage.impact.equivalences import car_km_text
from menage.impact.model import DEFAULT_REGION, Model
from menage.impact.values import Impact, Range

#: the device life extension every figure is compared with
ANCHOR_DEVICE = "phone"
#: where the freed bytes are: shown first, the other place second
PLACES = ("local", "cloud")


def significant(value: float, figures: int = 2) -> tuple[float, int]:
    """``value`` rounded to ``figures`` significant figures, and the decimals to show."""
    if value == 0 or not math.isfinite(value):
        return 0.0, 0
    magnitude = math.floor(math.log10(abs(value)))
    places = figures - 1 - magnitude
    rounded = float(round(value, places))
    if math.floor(math.log10(abs(rounded))) > magnitude:  # 9.96 became 10.0: one place less
        places -= 1
        rounded = float(round(value, places))
    return rounded, max(0, places)


def _number(value: float) -> str:
    rounded, digits = significant(value)
    return format_number(rounded, digits)


#: (threshold, divisor, unit): the first threshold the central value reaches picks
#: the unit, so that a range reads 0.49 kgCO2e rather than 0.00049 tCO2e
_CO2 = ((1000.0, 1000.0, "tCO2e"), (0.1, 1.0, "kgCO2e"), (0.0, 0.001, "gCO2e"))
_KWH = ((1000.0, 1000.0, "MWh"), (0.1, 1.0, "kWh"), (0.0, 0.001, "Wh"))
_WATER = ((1000.0, 1000.0, "m³"), (0.1, 1.0, "L"), (0.0, 0.001, "mL"))


def _scaled(value: Range, scales: tuple[tuple[float, float, str], ...]) -> str:
    divisor, unit = scales[-1][1:]
    for threshold, scale, name in scales:
        if abs(value.central) >= threshold:
            divisor, unit = scale, name
            break
    central = _number(value.central / divisor)
    if significant(value.low / divisor) == significant(value.high / divisor):
        # French keeps a number and its unit on one line
        return f"{central}{NBSP if language() == 'fr' else ' '}{unit}"
    return _("{central} {unit} ({low}–{high})").format(
        central=central,
        unit=unit,
        low=_number(value.low / divisor),
        high=_number(value.high / divisor),
    )


def format_co2(kg: Range) -> str:
    """``0.49 kgCO2e (0.019–0.68)``: the unit follows the central value."""
    return _scaled(kg, _CO2)


def format_kwh(kwh: Range) -> str:
    """``0.94 kWh (0.18–1.2)``, or Wh below 0.1 kWh."""
    return _scaled(kwh, _KWH)


def format_water(litres: Range) -> str:
    """``13 L (0.078–14)``, or mL below 0.1 L."""
    return _scaled(litres, _WATER)


def anchor(model: Model | None = None) -> Impact:
    """What keeping a smartphone one year longer avoids (the comparison point)."""
    return (model or Model()).device_life_extension(ANCHOR_DEVICE, 1.0)


def proportion_sentence(kgco2e: float, model: Model | None = None) -> str:
    """Put a footprint next to keeping a smartphone one more year, in one sentence."""
    phone = anchor(model).kgco2e
    phone_text = format_co2(Range.exact(phone.central))
    if kgco2e <= 0:
        return _(
            "Keeping a smartphone one year longer avoids ≈ {phone} "
            "(its yearly share of manufacturing): making devices last matters most."
        ).format(phone=phone_text)
    ratio = phone.central / kgco2e
    if ratio >= 1.5:
        return _(
            "Keeping a smartphone one year longer avoids ≈ {phone} (its yearly share of "
            "manufacturing), about {ratio} times more: making devices last matters most."
        ).format(phone=phone_text, ratio=_number(ratio))
    if ratio > 1 / 1.5:
        return _(
            "That is about what keeping a smartphone one year longer avoids (≈ {phone}, "
            "its yearly share of manufacturing)."
        ).format(phone=phone_text)
    return _(
        "That is about {ratio} times what keeping a smartphone one year longer avoids "
        "(≈ {phone}, its yearly share of manufacturing)."
    ).format(phone=phone_text, ratio=_number(1 / ratio))


def freed_storage_impact(
    n_bytes: float, region: str = DEFAULT_REGION, where: str = "cloud", years: float = 1.0
) -> Impact:
    """The yearly footprint of ``n_bytes`` that a cleanup can free.

    Args:
        n_bytes: bytes that can be or were freed.
        region: electricity mix of the use phase (``france``, ``europe``, ``world``).
        where: ``cloud`` (a data centre, with its backup copies: mail, synced files,
            file servers) or ``local`` (the share of a local disk's footprint).
        years: how long the bytes would have been kept.

    Returns:
        An :class:`Impact` with kWh and kgCO2e as low / central / high and the keys
        of the factors used.

    Raises:
        ValueError: unknown region or place, or negative bytes.
    """
    model = Model()
    if where == "cloud":
        return model.storage_cloud(n_bytes, years, region)
    if where == "local":
        return model.storage_local(n_bytes, years, region)
    raise ValueError(f"unknown place {where!r} (cloud or local)")


@dataclass(frozen=True)
class StorageSummary:
    """The impact block of a report: freed bytes, a year where they are, and a year in
    the other place (for a scan: on this disk first, then as if synced to the cloud)."""

    n_bytes: int
    region: str
    cloud: Impact
    local: Impact
    anchor: Impact
    where: str = "local"

    @property
    def primary(self) -> Impact:
        """The figure for where the bytes are."""
        return self.local if self.where == "local" else self.cloud

    @property
    def ratio(self) -> float | None:
        """How many times more keeping a smartphone a year longer avoids."""
        if self.primary.kgco2e.central <= 0:
            return None
        return self.anchor.kgco2e.central / self.primary.kgco2e.central

    def local_line(self) -> str:
        """``0.11 kgCO2e (0.014–0.31) a year as a share of this disk's manufacturing``."""
        return _("{co2} a year as a share of this disk's manufacturing").format(
            co2=format_co2(self.local.kgco2e)
        )

    def cloud_line(self) -> str:
        """``0.49 kgCO2e (…) and 0.94 kWh (…) a year in a data centre``."""
        return _("{co2} and {kwh} a year in a data centre, with its backup copies").format(
            co2=format_co2(self.cloud.kgco2e),
            kwh=format_kwh(self.cloud.kwh or Range.exact(0)),
        )

    def synced_line(self) -> str:
        """The other place, said as a hypothesis: ``… if it were synced to a data centre``."""
        if self.where == "local":
            return _("{co2} and {kwh} a year if it were synced to a data centre").format(
                co2=format_co2(self.cloud.kgco2e),
                kwh=format_kwh(self.cloud.kwh or Range.exact(0)),
            )
        return _("{co2} a year if it were kept on a local disk instead").format(
            co2=format_co2(self.local.kgco2e)
        )

    def headline(self) -> str:
        """The figure for where the bytes are (the one to show first)."""
        return self.local_line() if self.where == "local" else self.cloud_line()

    def message(self) -> str:
        return proportion_sentence(self.primary.kgco2e.central)

    def sources(self) -> tuple[str, ...]:
        """Keys of the factors behind the lines and :meth:`message`."""
        first, second = (
            (self.local, self.cloud) if self.where == "local" else (self.cloud, self.local)
        )
        keys = [k for k in (*first.sources, *second.sources) if k != "dc_water_per_kwh"]
        return tuple(dict.fromkeys([*keys, *self.anchor.sources]))

    def to_dict(self) -> dict[str, Any]:
        ratio = self.ratio
        return {
            "bytes": self.n_bytes,
            "region": self.region,
            "period_years": 1,
            "shown_first": self.where,
            "local": self.local.to_dict(),
            "cloud": self.cloud.to_dict(),
            "keep_smartphone_one_year": self.anchor.to_dict(),
            "ratio": round(ratio, 1) if ratio is not None else None,
            "car_km": car_km_text(self.primary.kgco2e.central),
            "message": self.message(),
        }


def storage_summary(
    n_bytes: int, region: str = DEFAULT_REGION, where: str = "local"
) -> StorageSummary:
    """The impact of ``n_bytes`` freed, for the scan, mail and photo reports (and HTML).

    Args:
        n_bytes: bytes that can be or were freed.
        region: electricity mix of the use phase.
        where: where the bytes are: ``local`` (a scan of this computer's disks: the
            disk's figure first, the cloud one as "if it were synced") or ``cloud``
            (a mailbox, a file server: the data-centre figure first).

    Raises:
        ValueError: unknown region or place, or negative bytes.
    """
    if where not in PLACES:
        raise ValueError(f"unknown place {where!r} (local or cloud)")
    model = Model()
    return StorageSummary(
        n_bytes=n_bytes,
        region=region,
        cloud=model.storage_cloud(n_bytes, 1.0, region),
        local=model.storage_local(n_bytes, 1.0, region),
        anchor=anchor(model),
        where=where,
    )
