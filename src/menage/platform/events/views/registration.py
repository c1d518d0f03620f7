"""Residents register for an event (name and email only) and cancel with their link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from menage.platform.core.ratelimit import rate_limited
from menage.platform.events.forms import RegistrationForm
from menage.platform.events.models import Event, Registration, hash_token
from menage.platform.events.queries import visible_events


def _closed_reason(event: Event) -> str:
    if not event.registration_open:
        return _("This event has no registration: come along.")
    if event.ends_at < timezone.now():
        return _("This event is over.")
    if event.places_left() == 0:
        return _("This event is full.")
    return ""


@rate_limited("register")
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(visible_events(request.user), pk=pk)
    closed = _closed_reason(event)
    form = RegistrationForm(request.POST or None, event=event)
    if closed or request.method != "POST" or not form.is_valid():
        return render(
            request,
            "events/register.html",
            {"event": event, "form": form, "closed": closed, "section": "agenda"},
            status=409 if closed and request.method == "POST" else 200,
        )
    try:
        with transaction.atomic():
            # lock the event so that two residents cannot take the last place together
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if locked.places_left() == 0:
                form.add_error(None, _("This event has just become full."))
                raise _Refused
            registration = Registration(
                event=locked, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
            )
            token = registration.new_token()
            registration.save()
    except _Refused:
        return render(request, "events/register.html", {"event": event, "form": form}, status=409)
    except IntegrityError:
        form.add_error("email", _("This email address is already registered for this event."))
        return render(request, "events/register.html", {"event": event, "form": form}, status=409)
    cancel_url = request.build_absolute_uri(reverse("events:cancel", kwargs={"token": token}))
    send_mail(
        _("Your place: {event}").format(event=event.title),
        _(
            "Hello {name},\n\nYour place is booked for “{event}”, {when}, at {venue}, "
            "{address}.\n\nTo cancel: {url}\n\nYour name and email address are deleted "
            "after the campaign."
        ).format(
            name=registration.name,
            event=event.title,
            when=date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT"),
            venue=event.venue.name,
            address=event.venue.address,
            url=cancel_url,
        ),
        settings.DEFAULT_FROM_EMAIL,
        [registration.email],
        fail_silently=True,  # the page shows the cancellation link too
    )
    return render(
        request,
        "events/registered.html",
        {"event": event, "registration": registration, "cancel_url": cancel_url},
    )


class _Refused(Exception):
    """The event filled up between the form check and the insert."""


@rate_limited("cancel")
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = Registration.objects.select_related("event").get(
            token_hash=hash_token(token)
        )
    except Registration.DoesNotExist:
        raise Http404(_("This cancellation link is not valid any more.")) from None
    if request.method == "POST":
        event = registration.event
        registration.delete()
        return render(request, "events/cancelled.html", {"event": event})
    return render(request, "events/cancel.html", {"registration": registration})
