"""An inline SVG of the bytes cleaned so far, day by day (no JavaScript)."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from menage.platform.measures.format import size

WIDTH, HEIGHT, PAD = 640, 220, 40


def progress_svg(days: list[tuple[dt.date, int]]) -> SafeString:
    if not days:
        return mark_safe("")
    top = max(total for _day, total in days) or 1
    step = (WIDTH - 2 * PAD) / max(1, len(days) - 1)
    points, labels, bars = [], [], []
    for n, (day, total) in enumerate(days):
        x = PAD + n * step
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * total / top
        points.append(f"{x:.1f},{y:.1f}")
        label = escape(date_format(day, "D j"))
        labels.append(
            f'<text x="{x:.1f}" y="{HEIGHT - PAD + 18}" text-anchor="middle">{label}</text>'
        )
        bars.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{label}\u00a0: '
                    f"{escape(size(total))}</title></circle>")  # fmt: skip
    title = escape(
        _("Cleaned so far, day by day: {total} on the last day").format(total=size(days[-1][1]))
    )
    return mark_safe(
        f'<svg class="progress" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="progress-title" width="100%"><title id="progress-title">{title}</title>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="currentColor"/><text x="{PAD}" y="{PAD - 12}">{escape(size(top))}</text>'
        f'<polyline fill="none" stroke="#1d4f91" stroke-width="3" points="{" ".join(points)}"/>'
        f"{''.join(bars)}{''.join(labels)}</svg>"
    )
