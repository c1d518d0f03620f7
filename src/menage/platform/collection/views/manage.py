"""Organisers add and edit collection points."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from menage.platform.campaigns.models import Campaign
from menage.platform.collection.forms import CollectionPointForm
from menage.platform.collection.models import CollectionPoint
from menage.platform.core.space import form_page, managed_or_404


@login_required
def point_create(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_or_404(Campaign.objects.all(), request.user, "organisation", slug=slug)
    form = CollectionPointForm(request.POST or None, campaign=campaign)
    return form_page(
        request,
        form,
        title=_("Add a collection point to “{name}”").format(name=campaign.name),
        submit=_("Add the collection point"),
        back=campaign.get_absolute_url(),
    )


@login_required
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    point = managed_or_404(
        CollectionPoint.objects.select_related("campaign"),
        request.user,
        "campaign__organisation",
        pk=pk,
    )
    form = CollectionPointForm(request.POST or None, instance=point, campaign=point.campaign)
    return form_page(
        request,
        form,
        title=_("Edit “{name}”").format(name=point.name),
        submit=_("Save"),
        back=point.get_absolute_url(),
    )


@login_required
def point_delete(request: HttpRequest, pk: int) -> HttpResponse:
    point = managed_or_404(
        CollectionPoint.objects.select_related("campaign"),
        request.user,
        "campaign__organisation",
        pk=pk,
    )
    if request.method == "POST":
        campaign = point.campaign
        point.delete()
        messages.success(request, _("The collection point was deleted."))
        return redirect(campaign.get_absolute_url())
    return render(
        request,
        "space/confirm_delete.html",
        {"object": point, "back": point.get_absolute_url(), "section": "space"},
    )
