"""The public counter of a campaign: what participants cleaned, summed on read."""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from menage.platform.campaigns.queries import Moved, campaign_or_moved, redirect_moved
from menage.platform.measures.aggregates import counted, named
from menage.platform.measures.chart import progress_svg


def counter(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        campaign = campaign_or_moved(request.user, slug)
    except Moved as moved:
        return redirect_moved(request.path, slug, moved.campaign.slug)
    figures = counted(campaign)
    totals = figures.total
    groups = named(figures)  # the names are read fresh: an organiser may rename a school
    # the figures' HTML (the table and the chart: most of the page's cost) is built once
    # per version of the figures (a new post or review makes a new ``Counted``), language
    # and names, then reused: exact, as the API's answer is
    key = (get_language(), settings.MENAGE_MEASURES_MIN_GROUP, tuple(name for name, _ in groups))
    html = figures.pages.get(key)
    if html is None:
        rows = "".join(
            _row(name, group.shown, group.moved_bytes, group.moved_files, group.participants,
                 key[0], key[1])
            for name, group in groups
        )  # fmt: skip
        html = render_to_string(
            "measures/_counter_figures.html",
            {
                "totals": totals,
                "rows": mark_safe(rows),  # each row escaped by its template
                "chart": progress_svg(totals.days) if totals.shown else "",
                "minimum": settings.MENAGE_MEASURES_MIN_GROUP,
            },
        )
        figures.pages[key] = html
    return render(
        request,
        "measures/counter.html",
        {"campaign": campaign, "figures_html": mark_safe(html)},  # escaped by its template
    )


@functools.lru_cache(maxsize=4096)
def _row(
    name: str,
    shown: bool,
    moved_bytes: int,
    moved_files: int,
    participants: int,
    language: str,
    minimum: int,
) -> str:
    """One organisation's row, kept per (values, language, minimum): while posts arrive,
    each read has new figures, but only the rows of the schools that posted change."""
    return render_to_string(
        "measures/_counter_row.html",
        {"name": name, "shown": shown, "moved_bytes": moved_bytes, "moved_files": moved_files,
         "participants": participants, "minimum": minimum},
    )  # fmt: skip
