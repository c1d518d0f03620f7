"""An inline SVG of the bytes cleaned so far, day by day (no JavaScript).

The drawing is small (360 units wide) and its text large (15 units), so that once the
figure is scaled to a phone's width (about 340 px) the labels still read at 14 px; on a
wide screen the figure is capped by the stylesheet (``figure.chart``). Day labels are
thinned so that they never overlap, whatever the campaign's length.
"""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from menage.platform.core.dates import format_day
from menage.platform.measures.format import size

WIDTH, HEIGHT = 360, 210
LEFT, RIGHT, TOP, BOTTOM = 26, 26, 34, 34
FONT = 15
#: the narrowest gap between two day labels, in drawing units (a label is ~45 wide)
LABEL_GAP = 58


def progress_svg(days: list[tuple[dt.date, int]]) -> SafeString:
    if not days:
        return mark_safe("")
    top = max(total for _day, total in days) or 1
    step = (WIDTH - LEFT - RIGHT) / max(1, len(days) - 1)
    every = max(1, -(-LABEL_GAP // max(1, int(step)))) if len(days) > 1 else 1
    base = HEIGHT - BOTTOM
    points, labels, dots = [], [], []
    for n, (day, total) in enumerate(days):
        x = LEFT + n * step
        y = base - (base - TOP) * total / top
        points.append(f"{x:.1f},{y:.1f}")
        label = escape(format_day(day, "D j"))
        if n % every == 0:
            labels.append(
                f'<text x="{x:.1f}" y="{base + FONT + 6}" text-anchor="middle">{label}</text>'
            )
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{label}\u00a0: '
                    f"{escape(size(total))}</title></circle>")  # fmt: skip
    title = escape(
        _("Cleaned so far, day by day: {total} on the last day").format(total=size(days[-1][1]))
    )
    return mark_safe(
        f'<svg class="progress" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="progress-title" font-size="{FONT}">'
        f'<title id="progress-title">{title}</title>'
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="currentColor"/>'
        f'<line x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}" stroke="currentColor" '
        f'stroke-dasharray="3 4" opacity=".5"/>'
        f'<text x="{LEFT - 4}" y="{TOP - 10}">{escape(size(top))}</text>'
        f'<polyline fill="none" stroke="#1d4f91" stroke-width="3" points="{" ".join(points)}"/>'
        f"{''.join(dots)}{''.join(labels)}</svg>"
    )
