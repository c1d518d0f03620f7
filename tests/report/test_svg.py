"""The hand-written SVG bar charts: structure, escaping, proportions, weight."""

from __future__ import annotations

import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from menage.report.svg import LABEL_CHARS, LABEL_MAX, VALUE_ROOM, WIDTH, Bar, bar_chart, shorten


def soup(markup: str) -> Any:
    """The parsed markup (typed loosely: tests walk it freely)."""
    return BeautifulSoup(markup, "html.parser")


def parse(svg: str) -> Any:
    return soup(svg).find("svg")


def bar_widths(svg: Any) -> list[float]:
    path = svg.find("path")
    if path is None:
        return []
    return [float(w) for w in re.findall(r"h([\d.]+)v", path["d"])]


def bar_starts(svg: Any) -> list[float]:
    return [float(x) for x in re.findall(r"M([\d.]+) ", svg.find("path")["d"])]


def test_chart_is_an_image_with_a_title():
    svg = bar_chart("c1", "Bytes by category", [Bar("Video", 41e6, "41 MB")])
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert root["role"] == "img"
    title = root.find("title")
    assert title.text == "Bytes by category"
    assert root["aria-labelledby"] == title["id"] == "c1-title"
    assert root["viewbox"].startswith(f"0 0 {WIDTH} ")


def test_labels_and_values_are_written_in_order():
    bars = [Bar("Video", 41e6, "41 MB"), Bar("Documents", 16.4e6, "16.4 MB"), Bar("Other", 0, "0")]
    root = parse(bar_chart("c", "t", bars))
    assert [t.text for t in root.find("g", class_="labels").find_all("text")] == [
        "Video",
        "Documents",
        "Other",
    ]
    assert [t.text for t in root.find("g", class_="values").find_all("text")] == [
        "41 MB",
        "16.4 MB",
        "0",
    ]


def test_bars_are_proportional_and_the_largest_fills_the_width():
    bars = [Bar("a", 200, "200"), Bar("b", 100, "100"), Bar("c", 50, "50")]
    root = parse(bar_chart("c", "t", bars))
    widths = bar_widths(root)
    (start,) = set(bar_starts(root))
    span = WIDTH - start - VALUE_ROOM
    assert widths == [span, span / 2, span / 4]
    # each value is written just after its bar
    xs = [float(t["x"]) for t in root.find("g", class_="values").find_all("text")]
    assert xs == [start + w + 6 for w in widths]


def test_the_label_column_fits_the_labels():
    short = parse(bar_chart("c", "t", [Bar("Video", 1, "1"), Bar("Audio", 2, "2")]))
    long = parse(bar_chart("c", "t", [Bar("x" * 80, 1, "1")]))
    label_x = [float(t["x"]) for t in short.find("g", class_="labels").find_all("text")]
    assert len(set(label_x)) == 1 and label_x[0] < bar_starts(short)[0] < 100
    assert float(long.find("g", class_="labels").find("text")["x"]) == LABEL_MAX


def test_zero_and_negative_values_draw_no_bar():
    root = parse(bar_chart("c", "t", [Bar("a", 10, "10"), Bar("b", 0, "0"), Bar("c", -5, "-5")]))
    assert len(bar_widths(root)) == 1
    assert len(root.find("g", class_="values").find_all("text")) == 3


def test_tiny_values_stay_visible():
    widths = bar_widths(parse(bar_chart("c", "t", [Bar("a", 10**12, "1 TB"), Bar("b", 1, "1")])))
    assert widths[1] >= 1


def test_an_empty_chart_is_still_valid():
    root = parse(bar_chart("c", "Nothing", []))
    assert root["role"] == "img"
    assert root.find("path") is None
    assert root.find("title").text == "Nothing"


@pytest.mark.parametrize(
    "label",
    [
        "<script>alert(1)</script>",
        '" onload="alert(1)',
        "a & b </text></svg><img src=x onerror=alert(1)>",
    ],
)
def test_hostile_labels_are_text(label):
    svg = bar_chart("c", label, [Bar(label, 1, label)])
    page = soup(svg)
    assert page.find("script") is None
    assert page.find("img") is None
    assert len(page.find_all("svg")) == 1
    root = page.find("svg")
    assert not any(name.startswith("on") for tag in root.find_all(True) for name in tag.attrs)
    assert root.find("title").text == label
    assert root.find("g", class_="labels").text == shorten(label)
    assert root.find("g", class_="values").text == label


def test_hostile_ids_are_escaped():
    root = parse(bar_chart('x" onload="y', "t", [Bar("a", 1, "1")]))
    assert root["id"] == 'x" onload="y'
    assert "onload" not in root.attrs


def test_long_labels_are_cut_in_the_middle_keeping_the_end():
    label = "/srv/partage/Service urbanisme/Archives 2012/plans/version finale.pdf"
    short = shorten(label)
    assert len(short) == LABEL_CHARS
    assert "…" in short
    assert short.endswith("version finale.pdf")
    assert short.startswith("/srv/")
    assert shorten("short") == "short"
    assert shorten("x" * LABEL_CHARS) == "x" * LABEL_CHARS


def test_ten_bars_weigh_under_two_kilobytes():
    bars = [
        Bar(
            f"/home/someone/Documents/folder number {n}",
            10**9 / (n + 1),
            f"{1000 / (n + 1):.1f} MB",
        )
        for n in range(10)
    ]
    svg = bar_chart("chart-folders", "Biggest folders", bars)
    assert len(svg.encode("utf-8")) < 2000, len(svg.encode("utf-8"))
