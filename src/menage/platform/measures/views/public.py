"""The public counter of a campaign: what participants cleaned, summed on read."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
    return render(
        request,
        "measures/counter.html",
        {
            "campaign": campaign,
            "totals": totals,
            "groups": named(figures),
            "chart": progress_svg(totals.days) if totals.shown else "",
            "minimum": settings.MENAGE_MEASURES_MIN_GROUP,
        },
    )
