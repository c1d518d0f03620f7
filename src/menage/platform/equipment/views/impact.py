"""What second life avoided: per campaign, and per organisation with its campaigns."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from menage.impact.devices import device_type
from menage.platform.campaigns.models import Campaign
from menage.platform.equipment.impact import BASIS, METHODS, avoided
from menage.platform.equipment.models import Device
from menage.platform.equipment.totals import (
    Collected,
    collected_for_campaign,
    collected_for_organisation,
)
from menage.platform.organisations.models import Organisation
from menage.platform.organisations.permissions import member_organisation_ids


def _label(code: str, n: int) -> str:
    return device_type(code).label(get_language() or "fr", plural=n > 1)


def _summary(devices: Any, found: Collected) -> dict[str, Any]:
    totals = avoided(devices)
    return {
        "avoided": totals,
        "collected": found,
        "types": [
            (_label(code, n), n, found.kg_by_type.get(code))
            for code, n in sorted(found.by_type.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "reused_types": [(_label(code, n), n) for code, n in totals.by_type],
        "basis": BASIS,
        "methods": totals.methods,
    }


@login_required
def campaign_impact(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        campaign = Campaign.objects.select_related("organisation").get(
            slug=slug, organisation__in=member_organisation_ids(request.user)
        )
    except Campaign.DoesNotExist:
        raise Http404(_("Nothing here that you manage.")) from None
    return render(
        request,
        "equipment/impact.html",
        {
            "title": campaign.name,
            "campaign": campaign,
            "organisation": campaign.organisation,
            **_summary(Device.objects.filter(campaign=campaign), collected_for_campaign(campaign)),
            "section": "equipment",
        },
    )


@login_required
def organisation_impact(request: HttpRequest) -> HttpResponse:
    """Totals for each of the person's organisations, and a line per campaign."""
    rows = []
    for organisation in Organisation.objects.filter(pk__in=member_organisation_ids(request.user)):
        campaigns = (
            Campaign.objects.filter(organisation=organisation)
            .filter(Q(devices__isnull=False) | Q(collected_batches__isnull=False))
            .distinct()
        )
        rows.append(
            {
                "organisation": organisation,
                **_summary(
                    Device.objects.filter(organisation=organisation),
                    collected_for_organisation(organisation),
                ),
                "campaigns": [
                    (c, avoided(Device.objects.filter(campaign=c)), collected_for_campaign(c))
                    for c in campaigns
                ],
            }
        )
    return render(
        request,
        "equipment/impact_organisations.html",
        {
            "rows": rows,
            "methods": list(METHODS.values()),
            "basis": BASIS,
            "section": "equipment",
        },
    )
