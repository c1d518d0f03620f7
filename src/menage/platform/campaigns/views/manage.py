"""Organisers register and edit their campaigns."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from menage.platform.campaigns.forms import CampaignForm
from menage.platform.campaigns.models import Campaign
from menage.platform.core.space import form_page, managed_or_404
from menage.platform.organisations.permissions import managed_organisations


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    organisations = managed_organisations(request.user)
    if not organisations.exists():
        raise Http404(_("You manage no organisation."))
    form = CampaignForm(request.POST or None, organisations=organisations)
    return form_page(
        request,
        form,
        title=_("Register a campaign"),
        submit=_("Register the campaign"),
        back=reverse("space:home"),
    )


@login_required
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_or_404(Campaign.objects.all(), request.user, "organisation", slug=slug)
    form = CampaignForm(
        request.POST or None,
        instance=campaign,
        organisations=managed_organisations(request.user),
    )
    return form_page(
        request,
        form,
        title=_("Edit “{name}”").format(name=campaign.name),
        submit=_("Save"),
        back=campaign.get_absolute_url(),
    )
