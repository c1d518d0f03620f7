"""What the devices given a second life avoid, from the impact model's second-life factors.

Method (stated on every page that shows the figures): each donated or sold device
counts one year of second life instead of a new device. Phones and laptops use
ADEME's 2022 study of refurbished products (refurbishing counted, raw materials
given); other types their yearly share of a new device's manufacturing (an upper
estimate). Types without sourced figures are counted, not converted. Recycled devices
count in kg only: no source gives what recycling one device avoids.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from menage.impact.campaign import campaign_totals
from menage.impact.devices import device_type
from menage.impact.lifecycle import METHOD_SHARE, METHOD_STUDY
from menage.impact.model import Model
from menage.impact.values import ZERO, Range
from menage.platform.equipment.lifecycle import ENDED_RECYCLED, REUSED
from menage.platform.equipment.models import Device

METHODS = {
    METHOD_STUDY: _(
        "Phones and laptops: ADEME's 2022 study of refurbished products, per year of second "
        "life, refurbishing included."
    ),
    METHOD_SHARE: _(
        "Other devices: a new device's manufacturing divided by its usual lifespan, per year "
        "of second life; an upper estimate (refurbishing is not deducted)."
    ),
    "not_converted": _(
        "Devices of a type without sourced figures (accessories, feature phones, others) are "
        "counted, not converted."
    ),
}
BASIS = _(
    "Each device donated or sold counts one year of second life instead of a new device "
    "(figures: Ménage's impact model, low – central – high)."
)


@dataclass
class Avoided:
    """Totals for a set of devices: counts, kg, and the avoided footprint with its method."""

    collected: int = 0
    reused: int = 0
    recycled: int = 0
    kg_collected: Decimal = Decimal(0)
    kg_recycled: Decimal = Decimal(0)
    kgco2e: Range = ZERO
    raw_materials_kg: Range = ZERO
    not_converted: int = 0
    methods: list[Any] = field(default_factory=list)
    by_type: list[tuple[str, int]] = field(default_factory=list)

    @property
    def basis(self) -> Any:
        return BASIS


def device_avoided(device: Device, model: Model | None = None) -> dict[str, Any] | None:
    """The second life of one device (a year), or None if it has none yet or no figures."""
    kind = device_type(device.device_type)
    if device.state not in REUSED or not kind.has_factors:
        return None
    line = (model or Model()).second_life(kind.code, 1, 1.0)
    raw = line.detail.get("raw_materials_kg")
    return {
        "kgco2e": line.kgco2e,
        "raw_materials_kg": Range(**raw) if raw else None,
        "method": METHODS[str(line.detail["method"])],
    }


def _kg(queryset: QuerySet[Device]) -> Decimal:
    return queryset.aggregate(total=Sum("weight_kg"))["total"] or Decimal(0)


def avoided(devices: QuerySet[Device], model: Model | None = None) -> Avoided:
    """Totals for ``devices`` (an organisation's, a campaign's)."""
    reused = Counter(devices.filter(state__in=REUSED).values_list("device_type", flat=True))
    convertible = {code: n for code, n in reused.items() if device_type(code).has_factors}
    totals = campaign_totals(devices_reused=convertible, model=model)
    raw = ZERO
    methods: list[Any] = []
    for line in totals.lines:
        found = line.detail.get("raw_materials_kg")
        if found:
            raw = raw + Range(**found)
        text = METHODS[str(line.detail["method"])]
        if text not in methods:
            methods.append(text)
    not_converted = sum(reused.values()) - sum(convertible.values())
    if not_converted:
        methods.append(METHODS["not_converted"])
    recycled = devices.filter(state__in=ENDED_RECYCLED)
    return Avoided(
        collected=devices.count(),
        reused=sum(reused.values()),
        recycled=recycled.count(),
        kg_collected=_kg(devices),
        kg_recycled=_kg(recycled),
        kgco2e=totals.avoided_kgco2e,
        raw_materials_kg=raw,
        not_converted=not_converted,
        methods=methods,
        by_type=sorted(reused.items()),
    )
