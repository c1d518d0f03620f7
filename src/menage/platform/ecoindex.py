"""EcoIndex of a web page, from the public method (ecoindex.fr, cnumr reference code).

Written here because the ``ecoindex-*`` packages carry a non-commercial licence. Each
measure is ranked 0–20 by interpolating in the published quantile tables; the score
weighs DOM size 3, requests 2 and size 1. The browser tests measure our pages with it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

# published quantiles (research/stack.md, section 4)
DOM = (
    0,
    47,
    75,
    159,
    233,
    298,
    358,
    417,
    476,
    537,
    603,
    674,
    753,
    843,
    949,
    1076,
    1237,
    1459,
    1801,
    2479,
    594601,
)
REQUESTS = (
    0,
    2,
    15,
    25,
    34,
    42,
    49,
    56,
    63,
    70,
    78,
    86,
    95,
    105,
    117,
    130,
    147,
    170,
    205,
    281,
    3920,
)
SIZE_KB = (
    0,
    1.37,
    144.7,
    319.53,
    479.46,
    631.97,
    783.38,
    937.91,
    1098.62,
    1265.47,
    1448.32,
    1648.27,
    1876.08,
    2142.06,
    2465.37,
    2866.31,
    3401.59,
    4155.73,
    5400.08,
    8037.54,
    223212.26,
)
GRADES = ((80, "A"), (70, "B"), (55, "C"), (40, "D"), (25, "E"), (10, "F"))


def rank(value: float, quantiles: tuple[float, ...]) -> float:
    """Where ``value`` falls among the quantiles, from 0 to 20, interpolated linearly."""
    i = bisect_right(quantiles, value)
    if i >= len(quantiles):
        return float(len(quantiles) - 1)
    low, high = quantiles[i - 1], quantiles[i]
    return i - 1 + (value - low) / (high - low)


@dataclass(frozen=True)
class EcoIndex:
    score: int
    grade: str
    ghg_g: float  # gCO2e per page view
    water_cl: float


def ecoindex(dom: int, requests: int, size_kb: float) -> EcoIndex:
    """Score, grade and footprint of a page.

    Args:
        dom: elements in the page, not counting those inside ``<svg>``.
        requests: HTTP responses needed to load it.
        size_kb: bytes transferred, divided by 1000.
    """
    weighted = 3 * rank(dom, DOM) + 2 * rank(requests, REQUESTS) + rank(size_kb, SIZE_KB)
    score = round(100 - 5 * weighted / 6)
    grade = next((letter for bound, letter in GRADES if score > bound), "G")
    return EcoIndex(score, grade, 2 + 2 * (50 - score) / 100, 3 + 3 * (50 - score) / 100)
