"""Small inline SVG charts for the HTML reports, written by hand.

Why by hand: pygal weighs 18 kB and loads a script for five bars; these weigh well under
2 kB for ten bars and need no library. Each chart is ``<svg role="img"
aria-labelledby=…><title>…</title>…</svg>``: assistive technologies read the title,
and the page always follows the chart with a ``<table>`` of the same numbers (RGAA 1.3
and WCAG 1.1.1: a complex image needs a text alternative). The value of each bar is
written next to it, so no information depends on colour.

Labels are text, not markup: they are escaped here. Pass file names in their escaped
display form (:func:`menage.files.names.escape`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: viewBox width; the chart scales to its container
WIDTH = 640
#: the label column: as wide as the longest label, within these bounds
LABEL_MIN = 64
LABEL_MAX = 232
#: a generous average width of a character at font-size 13 (system sans-serif fonts
#: measure 7 to 8.5), to size the label column without measuring text
CHAR_WIDTH = 8.6
GAP = 8
#: room left after the longest bar for its value
VALUE_ROOM = 84
ROW = 24
BAR_HEIGHT = 16
#: labels longer than this are shortened in the middle (the table gives them whole)
LABEL_CHARS = 32
#: bars: dark blue on white, contrast 7.6:1 (WCAG 1.4.11 asks 3:1 for graphics)
BAR_COLOUR = "#1d4f7a"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and the value as people read it (``12,4 Mo``)."""

    label: str
    value: float
    shown: str


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """Cut ``text`` in the middle to ``limit`` characters: the end of a path says most."""
    if len(text) <= limit:
        return text
    head = (limit - 1) // 3
    tail = limit - 1 - head
    return f"{text[:head]}…{text[-tail:]}"


def _num(value: float) -> str:
    """A coordinate with at most one decimal, as short as it can be written."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> Markup:
    """A horizontal bar chart, one bar per item, largest value spanning the width.

    Args:
        chart_id: unique in the page; the title's id is ``{chart_id}-title``.
        title: what the chart shows, read by screen readers.
        bars: the bars, top to bottom; negative values are drawn as zero.

    Returns:
        The ``<svg>`` element, safe to insert in an HTML page as it is.
    """
    top = max((bar.value for bar in bars), default=0) or 1
    names = [shorten(bar.label) for bar in bars]
    label_end = round(
        min(LABEL_MAX, max(LABEL_MIN, 4 + CHAR_WIDTH * max(map(len, names), default=0)))
    )
    bar_start = label_end + GAP
    span = WIDTH - bar_start - VALUE_ROOM
    height = ROW * len(bars) + 8
    labels: list[str] = []
    values: list[str] = []
    path: list[str] = []
    for row, (bar, name) in enumerate(zip(bars, names, strict=True)):
        y = 4 + row * ROW
        baseline = y + 17
        width = max(bar.value, 0) / top * span
        labels.append(f'<text x="{label_end}" y="{baseline}">{escape(name)}</text>')
        if width > 0:
            # one path for all the bars: a fraction of the size of one <rect> each
            path.append(f"M{bar_start} {y + 4}h{_num(max(width, 1))}v{BAR_HEIGHT}H{bar_start}z")
        values.append(
            f'<text x="{_num(bar_start + width + 6)}" y="{baseline}">{escape(bar.shown)}</text>'
        )
    title_id = f"{chart_id}-title"
    drawn = f'<path fill="{BAR_COLOUR}" d="{"".join(path)}"/>' if path else ""
    return Markup(
        f'<svg id="{escape(chart_id)}" class="chart" role="img" '
        f'aria-labelledby="{escape(title_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'fill="currentColor" font-size="13">'
        f'<title id="{escape(title_id)}">{escape(title)}</title>'
        f'<g class="labels" text-anchor="end">{"".join(labels)}</g>'
        f"{drawn}"
        f'<g class="values">{"".join(values)}</g>'
        "</svg>"
    )
