"""Campaign totals: aggregate measures turned into a yearly impact, with the method.

The measures dashboards call :func:`campaign_totals` with what a campaign reported
(bytes deleted, devices reused or collected, by device type) and show its result::

    from menage.impact.campaign import campaign_totals

    totals = campaign_totals(
        deleted_cloud_bytes=10_970 * 10**9,      # "10.97 TB cleaned"
        devices_reused={"laptop": 40, "phone": 120},
        devices_collected={"tv": 12},
    )
    totals.avoided_kgco2e          # Range(low=..., central=..., high=...)
    totals.to_dict()               # JSON-able: lines, totals, method, equivalents

Everything is per year (``years`` = 1 by default): a year of storage not kept, a year
of second life. Devices collected for recycling are counted but not converted: no
source gives what recycling one device avoids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from menage.i18n import N_, _
from menage.impact._base import DEFAULT_REGION, check_count, check_region
from menage.impact.devices import device_type, impact_device
from menage.impact.equivalences import equivalents
from menage.impact.lifecycle import METHOD_SHARE, METHOD_STUDY
from menage.impact.model import Model
from menage.impact.values import ZERO, Impact, Range

METHOD_TEXT = {
    "storage_cloud": N_(
        "Data deleted from online services: a year of data-centre storage with its backup "
        "copies (ADEME's model; low confidence on the storage parameters)."
    ),
    "storage_local": N_(
        "Data deleted from local disks: the share of a disk's manufacturing that the space "
        "takes for a year; it is avoided only if it spares buying storage."
    ),
    METHOD_STUDY: N_(
        "Phones and laptops given a second life: ADEME's 2022 study of refurbished products, "
        "per year of use, refurbishing included."
    ),
    METHOD_SHARE: N_(
        "Other devices given a second life: a new device's manufacturing divided by its usual "
        "lifespan, per year of use; an upper estimate (refurbishing is not deducted)."
    ),
    "collected": N_(
        "Devices collected for recycling are counted, not converted: no source gives what "
        "recycling one device avoids."
    ),
}


@dataclass(frozen=True)
class CampaignTotals:
    """What a campaign's measures avoid in a year, line by line, with the method."""

    region: str
    years: float
    lines: tuple[Impact, ...]
    devices_collected: Mapping[str, int] = field(default_factory=dict)

    @property
    def avoided_kgco2e(self) -> Range:
        """The sum of every line, low with low and high with high."""
        total = ZERO
        for line in self.lines:
            total = total + line.kgco2e
        return total

    @property
    def avoided_kwh(self) -> Range:
        """Electricity not used (storage lines only: devices' figures are manufacturing)."""
        total = ZERO
        for line in self.lines:
            if line.kwh is not None:
                total = total + line.kwh
        return total

    def methods(self) -> list[str]:
        """The method keys of the lines present, in a stable order."""
        found: list[str] = []
        for line in self.lines:
            method = line.detail.get("method") if line.detail else None
            key = str(method) if method else line.activity
            if key in METHOD_TEXT and key not in found:
                found.append(key)
        if self.devices_collected:
            found.append("collected")
        return found

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: every value a number, a string, a list or a dict."""
        central = self.avoided_kgco2e.central
        return {
            "region": self.region,
            "period_years": self.years,
            "avoided_kgco2e": self.avoided_kgco2e.to_dict(),
            "avoided_kwh": self.avoided_kwh.to_dict(),
            "lines": [line.to_dict() for line in self.lines],
            "devices_collected": dict(self.devices_collected),
            "method": [{"key": key, "text": _(METHOD_TEXT[key])} for key in self.methods()],
            "equivalents": equivalents(central) if central > 0 else [],
        }


def campaign_totals(
    deleted_cloud_bytes: int = 0,
    deleted_local_bytes: int = 0,
    devices_reused: Mapping[str, int] | None = None,
    devices_collected: Mapping[str, int] | None = None,
    region: str = DEFAULT_REGION,
    years: float = 1.0,
    model: Model | None = None,
) -> CampaignTotals:
    """Turn a campaign's aggregate measures into the impact they avoid.

    Args:
        deleted_cloud_bytes: bytes deleted from mailboxes, online storage and servers.
        deleted_local_bytes: bytes deleted from computers' and phones' own disks.
        devices_reused: device code (:mod:`menage.impact.devices`) -> number of devices
            given a second life (reused, refurbished, donated).
        devices_collected: device code -> number collected for recycling (counted only).
        region: electricity mix of the use phase (``france``, ``europe``, ``world``).
        years: the period, in years (each reused device counts that many years of use).
        model: the formulas and factors (the shipped ones by default).

    Returns:
        A :class:`CampaignTotals`; ``to_dict()`` is JSON-able.

    Raises:
        ValueError: a negative amount, an unknown device code or region, or a reused
            device type without sourced figures.
    """
    check_region(region)
    check_count(deleted_cloud_bytes, "deleted_cloud_bytes")
    check_count(deleted_local_bytes, "deleted_local_bytes")
    check_count(years, "years")
    m = model or Model()
    lines: list[Impact] = []
    # deleting avoids keeping: the storage lines are marked avoided like the devices'
    if deleted_cloud_bytes:
        lines.append(replace(m.storage_cloud(deleted_cloud_bytes, years, region), avoided=True))
    if deleted_local_bytes:
        lines.append(replace(m.storage_local(deleted_local_bytes, years, region), avoided=True))
    for code, count in sorted((devices_reused or {}).items()):
        check_count(count, f"devices_reused[{code!r}]")
        if count:
            lines.append(m.second_life(impact_device(code), count, years))
    collected: dict[str, int] = {}
    for code, count in sorted((devices_collected or {}).items()):
        check_count(count, f"devices_collected[{code!r}]")
        if count:
            collected[device_type(code).code] = collected.get(device_type(code).code, 0) + count
    return CampaignTotals(
        region=region, years=years, lines=tuple(lines), devices_collected=collected
    )
