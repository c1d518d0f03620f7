"""Dashboards of a campaign and of an organisation, their exports and printable bilan.

Public pages: they show aggregates only, and nothing for a group below the minimum
size (:mod:`menage.platform.measures.dashboard`). An organisation's managers choose
there whether the organisations below theirs are ranked (off by default).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from menage.impact.devices import device_type
from menage.platform.campaigns.models import Campaign
from menage.platform.campaigns.queries import (
    Moved,
    campaign_or_moved,
    redirect_moved,
    visible_campaigns,
)
from menage.platform.core.space import managed_or_404
from menage.platform.measures import aggregates
from menage.platform.measures import dashboard as boards
from menage.platform.measures.chart import progress_svg
from menage.platform.measures.exports import table, to_csv, to_ods
from menage.platform.measures.models import DashboardOptions, DeviceState
from menage.platform.organisations.models import Organisation
from menage.platform.organisations.permissions import can_manage

METHOD = [
    gettext_lazy(
        "Deleted data weighs little: a year of storage avoided, in a data centre with its "
        "backup copies for cloud accounts, mail and servers (ADEME's model), or as a share "
        "of a disk's manufacturing for computers and phones. Deleting is worth it for order "
        "and for the storage not bought; for the climate, it is a small line."
    ),
    gettext_lazy(
        "Devices kept and reused weigh much: making a device is most of its footprint. Each "
        "device given a second life counts one year of use instead of a new one (ADEME's "
        "2022 study of refurbished phones and laptops; for other types, a new device's "
        "manufacturing divided by its lifespan, an upper estimate)."
    ),
    gettext_lazy(
        "Devices: when the equipment team records the collected devices, its records are "
        "used (a device counts as reused once donated or sold); otherwise what participants "
        "declared, a working device counted as reused (an upper estimate). Devices collected "
        "for recycling are counted, not converted: no source gives what recycling avoids."
    ),
    gettext_lazy(
        "Every figure is a range (low – high) because sources disagree; the central value "
        "is in bold. Only accepted entries count; an entry corrected by its sender counts once."
    ),
]
OTHERS = gettext_lazy("Others together ({count} organisations)")


def _others() -> str:
    return str(OTHERS)


def _days(days: list[tuple[dt.date, int]]) -> list[tuple[dt.date, int, int]]:
    """(day, cleaned that day, cleaned so far): the chart's table."""
    found, before = [], 0
    for day, running in days:
        found.append((day, running - before, running))
        before = running
    return found


def _devices(board: boards.Dashboard) -> list[tuple[str, str, int]]:
    states = dict(DeviceState.choices)
    # the label in the page's language (the impact model's own follows MENAGE_LANG)
    language = get_language() or "fr"
    return [(device_type(t).label(language), str(states.get(s, s)), n) for t, s, n in board.devices]


def _context(board: boards.Dashboard, **extra: Any) -> dict[str, Any]:
    for group in board.groups:
        if group.members > 1:
            group.name = group.name.format(count=group.members)
    return {
        "board": board,
        "totals": board.totals,
        "chart": progress_svg(board.totals.days) if board.totals.shown else "",
        "days": _days(board.totals.days),
        "devices": _devices(board),
        "method": METHOD,
        **extra,
    }


def _campaign(request: HttpRequest, slug: str) -> Campaign:
    return campaign_or_moved(request.user, slug)


def campaign_dashboard(request: HttpRequest, slug: str, view: str = "page") -> HttpResponse:
    try:
        campaign = _campaign(request, slug)
    except Moved as moved:
        return redirect_moved(request.path, slug, moved.campaign.slug)
    board = boards.for_campaign(campaign, _others())
    base = reverse("campaigns:dashboard", args=[campaign.slug])
    context = _context(
        board,
        scope=campaign.name,
        subject=campaign.organisation.name,
        kind="campaign",
        exports={"csv": base + "export.csv", "ods": base + "export.ods"},
        print_url=reverse("campaigns:dashboard_print", args=[campaign.slug]),
        theme=campaign.organisation,
    )
    return _answer(request, view, context, f"{campaign.slug}")


def organisation_dashboard(request: HttpRequest, slug: str, view: str = "page") -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("dashboard_options"), slug=slug
    )
    campaigns = aggregates.campaigns_of(organisation, visible_campaigns(request.user))
    wanted = request.GET.get("campaign", "")[:80]
    chosen = next((c for c in campaigns if c.slug == wanted), campaigns[0] if campaigns else None)
    base = reverse("organisations:dashboard", args=[organisation.slug])
    query = f"?campaign={chosen.slug}" if chosen else ""
    context: dict[str, Any] = {
        "organisation": organisation,
        "campaigns": campaigns,
        "chosen": chosen,
        "scope": organisation.name,
        "subject": chosen.name if chosen else "",
        "kind": "organisation",
        "can_manage": can_manage(request.user, organisation),
        "ranked": boards.ranked_for(organisation),
        "exports": {"csv": base + "export.csv" + query, "ods": base + "export.ods" + query},
        "print_url": reverse("organisations:dashboard_print", args=[organisation.slug]) + query,
        "theme": organisation,
    }
    if chosen is None:
        if view != "page":
            raise Http404("no campaign with entries")
        return render(request, "measures/dashboard.html", context)
    board = boards.for_organisation(
        organisation, chosen, _others(), str(_("{name} (its own entries)"))
    )
    return _answer(request, view, _context(board, **context), organisation.slug)


def _answer(request: HttpRequest, view: str, context: dict[str, Any], name: str) -> HttpResponse:
    if view == "print":
        return render(request, "measures/bilan.html", context)
    if view in ("csv", "ods"):
        rows = table(context["board"], context["scope"])
        filename = slugify(f"{name}-{context['board'].campaign.slug}")[:100] or "bilan"
        if view == "csv":
            answer = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
        else:
            answer = HttpResponse(
                to_ods(rows, context["board"].campaign.name),
                content_type="application/vnd.oasis.opendocument.spreadsheet",
            )
        answer["Content-Disposition"] = f'attachment; filename="{filename}.{view}"'
        return answer
    if view != "page":
        raise Http404("unknown export")
    return render(request, "measures/dashboard.html", context)


def campaign_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return campaign_dashboard(request, slug, fmt if fmt in ("csv", "ods") else "unknown")


def campaign_print(request: HttpRequest, slug: str) -> HttpResponse:
    return campaign_dashboard(request, slug, "print")


def organisation_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return organisation_dashboard(request, slug, fmt if fmt in ("csv", "ods") else "unknown")


def organisation_print(request: HttpRequest, slug: str) -> HttpResponse:
    return organisation_dashboard(request, slug, "print")


@login_required
@require_POST
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    """Turn the ranking of the organisations below on or off (its managers only)."""
    organisation = managed_or_404(Organisation.objects.all(), request.user, "pk", slug=slug)
    wanted = request.POST.get("rank") == "on"
    DashboardOptions.objects.update_or_create(
        organisation=organisation, defaults={"rank_children": wanted}
    )
    messages.success(
        request,
        _("The organisations below yours are now ranked.")
        if wanted
        else _("The organisations below yours are no longer ranked."),
    )
    return redirect("organisations:dashboard", organisation.slug)
