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
