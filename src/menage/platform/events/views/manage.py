"""Organisers add events and venues, and see who registered."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from menage.platform.campaigns.models import Campaign
from menage.platform.core.space import form_page, managed_or_404, signed_in_user
from menage.platform.events.forms import EventForm, VenueForm
from menage.platform.events.models import Event, Venue
from menage.platform.organisations.permissions import (
    managed_organisation_ids,
    managed_organisations,
)


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_or_404(Campaign.objects.all(), request.user, "organisation", slug=slug)
    form = EventForm(request.POST or None, campaign=campaign)
    return form_page(
        request,
        form,
        title=_("Add an event to “{name}”").format(name=campaign.name),
        submit=_("Add the event"),
        back=campaign.get_absolute_url(),
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed_or_404(
        Event.objects.select_related("campaign__organisation"),
        request.user,
        "campaign__organisation",
        pk=pk,
    )
    form = EventForm(request.POST or None, instance=event, campaign=event.campaign)
    return form_page(
        request,
        form,
        title=_("Edit “{name}”").format(name=event.title),
        submit=_("Save"),
        back=event.get_absolute_url(),
    )


@login_required
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed_or_404(
        Event.objects.select_related("campaign"), request.user, "campaign__organisation", pk=pk
    )
    if request.method == "POST":
        campaign = event.campaign
        event.delete()
        messages.success(request, _("The event was deleted, with its registrations."))
        return redirect(campaign.get_absolute_url())
    return render(
        request,
        "space/confirm_delete.html",
        {
            "object": event,
            "warning": _("Its {count} registrations are deleted too.").format(
                count=event.registrations.count()
            ),
            "back": event.get_absolute_url(),
            "section": "space",
        },
    )


@login_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """The list of registered residents: for the event's managers and its facilitators."""
    event = (
        Event.objects.select_related("campaign", "venue")
        .filter(pk=pk)
        .filter(campaign__organisation__in=managed_organisation_ids(request.user))
        .first()
    ) or Event.objects.select_related("campaign", "venue").filter(
        pk=pk, facilitators=signed_in_user(request)
    ).first()
    if event is None:
        raise Http404(_("Nothing here that you manage."))
    return render(
        request,
        "space/registrations.html",
        {"event": event, "registrations": event.registrations.all(), "section": "space"},
    )


@login_required
def venue_create(request: HttpRequest) -> HttpResponse:
    organisations = managed_organisations(request.user)
    if not organisations.exists():
        raise Http404(_("You manage no organisation."))
    form = VenueForm(request.POST or None, organisations=organisations)
    return form_page(
        request,
        form,
        title=_("Add a venue"),
        submit=_("Add the venue"),
        back=reverse("space:home"),
        success=reverse("space:home"),
    )


@login_required
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    venue = managed_or_404(Venue.objects.all(), request.user, "organisation", pk=pk)
    form = VenueForm(
        request.POST or None, instance=venue, organisations=managed_organisations(request.user)
    )
    return form_page(
        request,
        form,
        title=_("Edit “{name}”").format(name=venue.name),
        submit=_("Save"),
        back=reverse("space:home"),
        success=reverse("space:home"),
    )
