"""Inline SVG for the device sheet: manufacturing against use, per year, by lifetime.

Hand-written SVG (no JavaScript, no charting library): one stacked bar per lifetime,
the yearly share of manufacturing and a year of electricity, with the values written
out so the chart reads without colour, and a title and description for screen readers.
"""

from __future__ import annotations

from html import escape

from menage.i18n import _, format_number
from menage.impact.labels import years_text
from menage.impact.sheet import DeviceSheet
from menage.impact.summary import significant

WIDTH = 560
BAR_HEIGHT = 34
GAP = 18
LEFT = 92
RIGHT = 150
MAKE_COLOUR = "#1f5f8b"  # 7.1:1 on white with white text inside
USE_COLOUR = "#b35c00"


def _kg(value: float) -> str:
    rounded, digits = significant(value)
    return format_number(rounded, digits)


def device_chart(sheet: DeviceSheet) -> str:
    """The sheet's lifetimes as horizontal stacked bars, in kgCO2e a year."""
    scenarios = sheet.scenarios
    top = 40
    height = top + len(scenarios) * (BAR_HEIGHT + GAP) + 30
    biggest = max(s.total_per_year.central for s in scenarios) or 1.0
    scale = (WIDTH - LEFT - RIGHT) / biggest
    title = _("Footprint per year of a {device}: manufacturing and use").format(
        device=sheet.device.label()
    )
    desc = " ".join(
        _("{years}: {make} kgCO2e of manufacturing and {use} kgCO2e of use a year.").format(
            years=years_text(s.years),
            make=_kg(s.manufacturing_per_year.central),
            use=_kg(s.use_per_year.central),
        )
        for s in scenarios
    )
    make_word, use_word = _("manufacturing"), _("electricity of use")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
        f'<rect x="{LEFT}" y="8" width="14" height="14" fill="{MAKE_COLOUR}"/>',
        f'<text x="{LEFT + 20}" y="20" font-size="13">{escape(make_word)}</text>',
        f'<rect x="{LEFT + 150}" y="8" width="14" height="14" fill="{USE_COLOUR}"/>',
        f'<text x="{LEFT + 170}" y="20" font-size="13">{escape(use_word)}</text>',
    ]
    for i, s in enumerate(scenarios):
        y = top + i * (BAR_HEIGHT + GAP)
        make = s.manufacturing_per_year.central * scale
        use = s.use_per_year.central * scale
        label = years_text(s.years)
        total = _("{kg} kgCO2e/year").format(kg=_kg(s.total_per_year.central))
        parts += [
            f'<text x="{LEFT - 8}" y="{y + BAR_HEIGHT / 2 + 5}" font-size="14" '
            f'text-anchor="end">{escape(label)}</text>',
            f'<rect x="{LEFT}" y="{y}" width="{make:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{MAKE_COLOUR}"/>',
            f'<rect x="{LEFT + make:.1f}" y="{y}" width="{max(use, 1.0):.1f}" '
            f'height="{BAR_HEIGHT}" fill="{USE_COLOUR}"/>',
            f'<text x="{LEFT + make + max(use, 1.0) + 6:.1f}" y="{y + BAR_HEIGHT / 2 + 5}" '
            f'font-size="14">{escape(total)}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)
