"""Environmental impact: sourced factors, a model with ranges, and report helpers.

Library use::

    from menage.impact import Model, campaign_totals, device_sheet, storage_summary

    storage_summary(10 * 10**9).message()        # the "in proportion" sentence
    Model().device_life_extension("laptop", 2)   # what keeping a laptop 2 years longer avoids
    device_sheet("box").to_dict()                # manufacturing against use, by lifetime
    campaign_totals(deleted_cloud_bytes=10**12, devices_reused={"phone": 10}).to_dict()

Every number comes from ``factors.csv`` (source, year, reference per row). Device types
come from :mod:`menage.impact.devices`, the vocabulary the platform shares.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The names are loaded on first use (PEP 562): a scan needs the storage summary, not
# the campaign, sheet and myth modules (and their factor tables) this package also has.
if TYPE_CHECKING:
    from menage.impact.campaign import CampaignTotals, campaign_totals
    from menage.impact.devices import DEVICE_TYPES, IMPACT_DEVICES, DeviceType, device_type
    from menage.impact.equivalences import EQUIVALENCES, equivalents
    from menage.impact.estimate import Estimate, Request, RequestError, estimate
    from menage.impact.factors import Factor, FactorsError, FactorTable, factors, load_factors
    from menage.impact.model import Model
    from menage.impact.myths import MYTHS, VERDICTS, Myth
    from menage.impact.required import QUALITIES, REGIONS
    from menage.impact.sheet import DeviceSheet, device_sheet
    from menage.impact.summary import (
        StorageSummary,
        format_co2,
        format_kwh,
        format_water,
        freed_storage_impact,
        proportion_sentence,
        storage_summary,
    )
    from menage.impact.values import Impact, Range

else:
    # a submodule of the same name would replace them once imported: bound now, as the
    # package always did (both modules are needed by a scan's summary anyway)
    from menage.impact.estimate import estimate
    from menage.impact.factors import factors

_WHERE = {
    "CampaignTotals": "menage.impact.campaign",
    "DEVICE_TYPES": "menage.impact.devices",
    "DeviceSheet": "menage.impact.sheet",
    "DeviceType": "menage.impact.devices",
    "EQUIVALENCES": "menage.impact.equivalences",
    "Estimate": "menage.impact.estimate",
    "Factor": "menage.impact.factors",
    "FactorTable": "menage.impact.factors",
    "FactorsError": "menage.impact.factors",
    "IMPACT_DEVICES": "menage.impact.devices",
    "Impact": "menage.impact.values",
    "MYTHS": "menage.impact.myths",
    "Model": "menage.impact.model",
    "Myth": "menage.impact.myths",
    "QUALITIES": "menage.impact.required",
    "REGIONS": "menage.impact.required",
    "Range": "menage.impact.values",
    "Request": "menage.impact.estimate",
    "RequestError": "menage.impact.estimate",
    "StorageSummary": "menage.impact.summary",
    "VERDICTS": "menage.impact.myths",
    "campaign_totals": "menage.impact.campaign",
    "device_sheet": "menage.impact.sheet",
    "device_type": "menage.impact.devices",
    "equivalents": "menage.impact.equivalences",
    "format_co2": "menage.impact.summary",
    "format_kwh": "menage.impact.summary",
    "format_water": "menage.impact.summary",
    "freed_storage_impact": "menage.impact.summary",
    "load_factors": "menage.impact.factors",
    "proportion_sentence": "menage.impact.summary",
    "storage_summary": "menage.impact.summary",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "DEVICE_TYPES",
    "EQUIVALENCES",
    "IMPACT_DEVICES",
    "MYTHS",
    "QUALITIES",
    "REGIONS",
    "VERDICTS",
    "CampaignTotals",
    "DeviceSheet",
    "DeviceType",
    "Estimate",
    "Factor",
    "FactorTable",
    "FactorsError",
    "Impact",
    "Model",
    "Myth",
    "Range",
    "Request",
    "RequestError",
    "StorageSummary",
    "campaign_totals",
    "device_sheet",
    "device_type",
    "equivalents",
    "estimate",
    "factors",
    "format_co2",
    "format_kwh",
    "format_water",
    "freed_storage_impact",
    "load_factors",
    "proportion_sentence",
    "storage_summary",
]
