"""The public page of an organisation: what it runs, and the organisations below it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from menage.platform.campaigns.queries import visible_campaigns
from menage.platform.organisations.models import Organisation
from menage.platform.organisations.permissions import can_manage


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "campaigns": visible_campaigns(request.user).filter(organisation=organisation),
            "children": organisation.children.all(),
            "can_manage": can_manage(request.user, organisation),
            "theme": organisation,
        },
    )
