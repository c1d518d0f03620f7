"""The public counter of a campaign: what participants cleaned, summed on read."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from menage.platform.campaigns.queries import Moved, campaign_or_moved, redirect_moved
from menage.platform.measures import window
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
    context = {"campaign": campaign, "figures_html": mark_safe(html)}  # escaped by its template
    if not _shareable(request):
        return render(request, "measures/counter.html", context)
    # an anonymous reader's page holds nothing of theirs but the CSRF token of the
    # language form: the page is rendered once per version of the figures (and at most
    # once per freshness window, for the menus and the footer), then each reader gets
    # it with their own token spliced in
    page_key = (request.path, *key, campaign.pk, campaign.name, campaign.organisation.name)
    now = window.now()
    kept = figures.shared.get(page_key)
    if kept is None or now - kept[0] >= settings.MENAGE_MEASURES_FRESHNESS:
        page = render(request, "measures/counter.html", {**context, "csrf_token": _TOKEN})
        kept = (now, page.content.decode().split(_TOKEN))
        figures.shared[page_key] = kept
    return HttpResponse(get_token(request).join(kept[1]))


#: stands for the reader's CSRF token in a kept page (a masked token is letters and digits)
_TOKEN = "menage0kept0page0csrf0token"


def _shareable(request: HttpRequest) -> bool:
    """Whether the page can be one every anonymous reader shares: a plain GET (the
    address is the page's: the language form sends it back), no one signed in, no
    message waiting in the session for this reader, and a freshness window."""
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
        and settings.MENAGE_MEASURES_FRESHNESS > 0
        and len(get_messages(request)) == 0
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
