"""The public counter of a campaign: what participants cleaned, summed on read."""

from __future__ import annotations

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
        html = render_to_string(
            "measures/_counter_figures.html",
            {
                "totals": totals,
                "groups": groups,
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
