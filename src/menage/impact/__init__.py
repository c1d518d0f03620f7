"""Environmental impact: sourced factors, a model with ranges, and report helpers.

Library use::

    from menage.impact import Model, freed_storage_impact, storage_summary

    freed_storage_impact(10 * 10**9).kgco2e      # Range(low=..., central=0.49, high=...)
    storage_summary(10 * 10**9).message()        # the "in proportion" sentence
    Model().device_life_extension("laptop", 2)   # what keeping a laptop 2 years longer avoids

Every number comes from ``factors.csv`` (source, year, reference per row).
"""

from menage.impact.factors import Factor, FactorsError, FactorTable, factors, load_factors
from menage.impact.model import DEVICES, QUALITIES, REGIONS, Model
from menage.impact.myths import MYTHS, Myth
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
    "DEVICES",
    "MYTHS",
    "QUALITIES",
    "REGIONS",
    "Factor",
    "FactorTable",
    "FactorsError",
    "Impact",
    "Model",
    "Myth",
    "Range",
    "StorageSummary",
    "factors",
    "format_co2",
    "format_kwh",
    "format_water",
    "freed_storage_impact",
    "load_factors",
    "proportion_sentence",
    "storage_summary",
]
