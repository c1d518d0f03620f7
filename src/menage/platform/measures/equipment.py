"""Devices the equipment team recorded for a campaign, read in this one place.

The equipment module records each collected device (type, weight, lifecycle) and the
devices counted in bulk at a collection point; the dashboards take both from here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from menage.platform.equipment.lifecycle import ENDED_RECYCLED, REUSED
from menage.platform.equipment.models import CollectedBatch, Device


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
    # devices dropped in bulk and counted at a collection point, not recorded one by one
    batches = CollectedBatch.objects.filter(campaign_id__in=campaign_ids)
    if organisation_ids is not None:
        batches = batches.filter(campaign__organisation_id__in=organisation_ids)
    counted = batches.aggregate(devices=Sum("count"), kg=Sum("weight_kg"))
    reused = Counter(devices.filter(state__in=REUSED).values_list("device_type", flat=True))
    return EquipmentCounts(
        collected=devices.count() + (counted["devices"] or 0),
        reused=sum(reused.values()),
        recycled=devices.filter(state__in=ENDED_RECYCLED).count(),
        kg_collected=(devices.aggregate(total=Sum("weight_kg"))["total"] or Decimal(0))
        + (counted["kg"] or Decimal(0)),
        reused_by_type=dict(reused),
    )
