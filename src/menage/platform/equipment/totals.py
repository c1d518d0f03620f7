"""What collection points took in: devices recorded one by one plus devices counted in bulk.

For the measures' dashboards and the equipment pages::

    from menage.platform.equipment.totals import collected_for_campaign

    found = collected_for_campaign(campaign)
    found.devices, found.kg, found.by_type["laptop"], found.by_state["working"]

Devices recorded one by one count whatever their lifecycle step is now (they were
collected); their weight counts when it was entered. Devices counted in bulk count
with their batch weight. ``unweighed`` says how many devices have no weight, so that a
page can say the kg are a floor.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from menage.platform.campaigns.models import Campaign
from menage.platform.equipment.models import CollectedBatch, Device
from menage.platform.organisations.models import Organisation


@dataclass
class Collected:
    """Devices collected: in all, by type, by state (condition), by both, and kg."""

    devices: int = 0
    kg: Decimal = Decimal(0)
    unweighed: int = 0
    recorded: int = 0  # one by one, with a device record
    counted: int = 0  # in bulk
    by_type: Counter[str] = field(default_factory=Counter)
    by_state: Counter[str] = field(default_factory=Counter)
    by_type_and_state: Counter[tuple[str, str]] = field(default_factory=Counter)
    kg_by_type: dict[str, Decimal] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain values (JSON, CSV exports)."""
        return {
            "devices": self.devices,
            "kg": str(self.kg),
            "unweighed": self.unweighed,
            "recorded": self.recorded,
            "counted": self.counted,
            "by_type": dict(sorted(self.by_type.items())),
            "by_state": dict(sorted(self.by_state.items())),
            "by_type_and_state": [
                {"type": kind, "state": state, "devices": n}
                for (kind, state), n in sorted(self.by_type_and_state.items())
            ],
            "kg_by_type": {k: str(v) for k, v in sorted(self.kg_by_type.items())},
        }


def _add(found: Collected, kind: str, state: str, n: int, kg: Decimal | None) -> None:
    found.devices += n
    found.by_type[kind] += n
    found.by_state[state] += n
    found.by_type_and_state[(kind, state)] += n
    found.kg += kg or 0
    found.kg_by_type[kind] = found.kg_by_type.get(kind, Decimal(0)) + (kg or 0)


def collected(devices: QuerySet[Device], batches: QuerySet[CollectedBatch]) -> Collected:
    """Totals of ``devices`` (recorded one by one) and ``batches`` (counted in bulk)."""
    found = Collected()
    for row in devices.values("device_type", "condition").annotate(
        n=Count("pk"), kg=Sum("weight_kg"), unweighed=Count("pk", filter=Q(weight_kg__isnull=True))
    ):
        _add(found, row["device_type"], row["condition"], row["n"], row["kg"])
        found.recorded += row["n"]
        found.unweighed += row["unweighed"]
    for row in batches.values("device_type", "condition").annotate(
        n=Sum("count"),
        kg=Sum("weight_kg"),
        unweighed=Sum("count", filter=Q(weight_kg__isnull=True)),
    ):
        _add(found, row["device_type"], row["condition"], row["n"], row["kg"])
        found.counted += row["n"]
        found.unweighed += row["unweighed"] or 0
    return found


def collected_for_campaign(campaign: Campaign | int) -> Collected:
    """Devices collected during ``campaign`` (at its points, or recorded under it)."""
    pk = campaign if isinstance(campaign, int) else campaign.pk
    return collected(
        Device.objects.filter(campaign_id=pk), CollectedBatch.objects.filter(campaign_id=pk)
    )


def collected_for_organisation(organisation: Organisation | int) -> Collected:
    """Every device ``organisation`` collected, in any campaign or none."""
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return collected(
        Device.objects.filter(organisation_id=pk),
        CollectedBatch.objects.filter(campaign__organisation_id=pk),
    )
