"""Devices the equipment team recorded for a campaign, read in this one place.

The equipment module records each collected device (type, weight, lifecycle); the
dashboards take its counts from here. When the equipment module exposes its own
per-campaign totals, this function should call them instead of reading its models.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from menage.platform.equipment.lifecycle import ENDED_RECYCLED, REUSED
from menage.platform.equipment.models import Device


@dataclass
class EquipmentCounts:
    collected: int = 0
    reused: int = 0
    recycled: int = 0
    kg_collected: Decimal = Decimal(0)
    reused_by_type: dict[str, int] = field(default_factory=dict)


def equipment_counts(
    campaign_ids: set[int], organisation_ids: set[int] | None = None
) -> EquipmentCounts:
    """Devices collected in these campaigns (by these organisations, when given)."""
    devices = Device.objects.filter(campaign_id__in=campaign_ids)
    if organisation_ids is not None:
        devices = devices.filter(organisation_id__in=organisation_ids)
    reused = Counter(devices.filter(state__in=REUSED).values_list("device_type", flat=True))
    return EquipmentCounts(
        collected=devices.count(),
        reused=sum(reused.values()),
        recycled=devices.filter(state__in=ENDED_RECYCLED).count(),
        kg_collected=devices.aggregate(total=Sum("weight_kg"))["total"] or Decimal(0),
        reused_by_type=dict(reused),
    )
