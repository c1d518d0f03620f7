"""Residents register (name and email only), confirm with the link they get, and cancel.

The page after the form never says a mail was sent: it says one is on its way, and
links to a page that tells whether it left (:mod:`menage.platform.outbox.views`).
Links in mails lead to a page that changes nothing until its button is pressed: mail
scanners that open links must not confirm or cancel anything.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _

from menage.platform.core.ratelimit import rate_limited
from menage.platform.events import booking
from menage.platform.events.forms import RegistrationForm
from menage.platform.events.models import Registration
from menage.platform.events.queries import visible_events


@rate_limited("register")
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(visible_events(request.user), pk=pk)
    closed = booking.closed_reason(event)
    left = event.places_left()
    form = RegistrationForm(request.POST or None, event=event)
    context = {"event": event, "form": form, "closed": closed, "full": left == 0}
    if closed or request.method != "POST" or not form.is_valid():
        status = 200 if request.method != "POST" else 409 if closed else 400
        return render(
            request, "events/register.html", {**context, "section": "agenda"}, status=status
        )
    try:
        registration = booking.register_online(
            event,
            form.cleaned_data["name"],
            form.cleaned_data["email"],
            translation.get_language() or "fr",
        )
    except booking.Refused as refused:
        form.add_error(refused.field, str(refused))
        form._describe()
        return render(request, "events/register.html", {**context, "section": "agenda"}, status=409)
    mail = registration.mails.first()
    return render(
        request,
        "events/check_mail.html",
        {"event": event, "registration": registration, "mail": mail, "section": "agenda"},
    )


@rate_limited("registration")
def registration(request: HttpRequest, token: str) -> HttpResponse:
    """The page every mail links to: confirm, accept an offer, cancel — one button each."""
    found = Registration.from_token(token)
    if found is None:
        raise Http404(_("This link is not valid any more."))
    event = found.event
    done = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "confirm" and not found.is_confirmed:
            found = booking.confirm(found)
            done = "confirmed"
        elif action == "accept" and found.place == Registration.Place.OFFERED:
            done = "accepted" if booking.accept_offer(found) else "expired"
            found.refresh_from_db()
        elif action == "cancel":
            booking.cancel(found)
            return render(request, "events/cancelled.html", {"event": event})
    return render(
        request,
        "events/registration.html",
        {"registration": found, "event": event, "done": done, "section": "agenda"},
    )
