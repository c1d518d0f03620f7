"""Organisers add, change and cancel events, and add venues.

Changing an event's date, time or venue tells every registered person by e-mail, with
an iCalendar update; an event people registered for is cancelled (they are told), never
deleted: only an event nobody registered for can be deleted.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from menage.platform.campaigns.models import Campaign
from menage.platform.core.forms import Form
from menage.platform.core.space import form_page, managed_or_404
from menage.platform.events import booking, notify
from menage.platform.events.forms import EventForm, VenueForm
from menage.platform.events.models import Event, Venue
from menage.platform.organisations.permissions import managed_organisations


def _managed_event(request: HttpRequest, pk: int) -> Event:
    return managed_or_404(
        Event.objects.select_related("campaign__organisation", "venue"),
        request.user,
        "campaign__organisation",
        pk=pk,
    )


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_or_404(Campaign.objects.all(), request.user, "organisation", slug=slug)
    form = EventForm(request.POST or None, campaign=campaign)
    if not form.fields["venue"].queryset.exists():  # type: ignore[attr-defined]
        # no dead end: an event needs a venue, so say where to add one first
        return render(
            request,
            "space/no_venue.html",
            {"campaign": campaign, "section": "space"},
        )
    return form_page(
        request,
        form,
        title=_("Add an event to “{name}”").format(name=campaign.name),
        submit=_("Add the event"),
        back=campaign.get_absolute_url(),
    )


def _changes(before: Event, after: Event) -> list[str]:
    changed = []
    if (before.starts_at, before.ends_at) != (after.starts_at, after.ends_at):
        changed.append("time")
    if before.venue_id != after.venue_id:
        changed.append("venue")
    return changed


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    before = Event.objects.get(pk=event.pk)
    form = EventForm(request.POST or None, instance=event, campaign=event.campaign)
    if request.method != "POST" or not form.is_valid():
        return form_page(
            request,
            form,
            title=_("Edit “{name}”").format(name=event.title),
            submit=_("Save"),
            back=event.get_absolute_url(),
        )
    with transaction.atomic():
        saved: Event = form.save(commit=False)
        changes = _changes(before, saved)
        if changes:
            saved.sequence += 1
        saved.save()
        form.save_m2m()
        told = notify.event_changed(saved, changes) if changes else 0
        locked = Event.objects.select_for_update().get(pk=saved.pk)
        booking.offer_free_places(locked)  # more places, or none needed any more
    messages.success(request, _("Saved."))
    if told:
        messages.success(
            request,
            ngettext(
                "{count} registered person is told by email.",
                "{count} registered people are told by email.",
                told,
            ).format(count=told),
        )
    return redirect(saved.get_absolute_url())


class CancelForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (sent to the people registered)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    if event.is_cancelled:
        raise Http404(_("This event is already cancelled."))
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            event.cancelled_at = timezone.now()
            event.cancellation_reason = form.cleaned_data["reason"].strip()
            event.sequence += 1
            event.save(update_fields=["cancelled_at", "cancellation_reason", "sequence"])
            told = notify.event_cancelled(event)
        messages.success(
            request,
            ngettext(
                "The event is cancelled; {count} registered person is told by email.",
                "The event is cancelled; {count} registered people are told by email.",
                told,
            ).format(count=told),
        )
        return redirect(event.get_absolute_url())
    return render(
        request,
        "space/cancel_event.html",
        {
            "event": event,
            "form": form,
            "told": len(notify.everyone_told(event)),
            "without_email": event.registrations.filter(email="").count(),
            "section": "space",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    if event.registrations.exists():
        # registrations are never erased silently: such an event is cancelled instead
        return redirect("space:event_cancel", pk=event.pk)
    if request.method == "POST":
        campaign = event.campaign
        event.delete()
        messages.success(request, _("The event was deleted."))
        return redirect(campaign.get_absolute_url())
    return render(
        request,
        "space/confirm_delete.html",
        {"object": event, "back": event.get_absolute_url(), "section": "space"},
    )


@login_required
def venue_create(request: HttpRequest) -> HttpResponse:
    organisations = managed_organisations(request.user)
    if not organisations.exists():
        raise Http404(_("You manage no organisation."))
    form = VenueForm(request.POST or None, organisations=organisations)
    back = request.GET.get("next", "")
    # only our own pages: the next page is on this site, never another one
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.startswith("/")
    success = back if safe else ""
    return form_page(
        request,
        form,
        title=_("Add a venue"),
        submit=_("Add the venue"),
        back=success or reverse("space:home"),
        success=success or reverse("space:home"),
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
