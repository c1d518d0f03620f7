"""The people of one event, for its managers and facilitators: who registered, walk-ins,
attendance on the day, mails that could not be sent, and the exports (CSV, printable sheet).
"""

from __future__ import annotations

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from menage.platform.core.forms import Form
from menage.platform.core.space import signed_in_user
from menage.platform.events import booking
from menage.platform.events.models import Event, Registration, holds_a_place
from menage.platform.organisations.permissions import managed_organisation_ids
from menage.platform.outbox.models import OutgoingMail


def event_for_its_people(request: HttpRequest, pk: int) -> Event:
    """The event if ``request.user`` manages it or facilitates it, else 404."""
    events = Event.objects.select_related("campaign__organisation", "venue").filter(pk=pk)
    event = (
        events.filter(campaign__organisation__in=managed_organisation_ids(request.user)).first()
        or events.filter(facilitators=signed_in_user(request)).first()
    )
    if event is None:
        raise Http404(_("Nothing here that you manage."))
    return event


class WalkInForm(Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        required=False,
        help_text=gettext_lazy("Optional: they get a confirmation and the link to cancel."),
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)
    over_capacity = forms.BooleanField(
        label=gettext_lazy("Let them in even if the event is full (on the day, at the door)"),
        required=False,
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name

    def clean_email(self) -> str:
        return str(self.cleaned_data.get("email") or "").strip().lower()

    def clean_phone(self) -> str:
        phone = " ".join(str(self.cleaned_data.get("phone") or "").split())
        if phone and not all(c.isdigit() or c in "+ .-()" for c in phone):
            raise forms.ValidationError(_("A phone number has digits, spaces and + . - ( ) only."))
        return phone


def _page(
    request: HttpRequest, event: Event, walk_in: WalkInForm, status: int = 200
) -> HttpResponse:
    people = list(event.registrations.order_by("place", "created_at", "pk"))
    holding = set(event.registrations.filter(holds_a_place()).values_list("pk", flat=True))
    failed = OutgoingMail.objects.filter(event=event, status=OutgoingMail.Status.FAILED)
    return render(
        request,
        "space/registrations.html",
        {
            "event": event,
            "registrations": people,
            "holding": holding,
            "taken": len(holding),
            "failed": failed,
            "walk_in": walk_in,
            "section": "space",
        },
        status=status,
    )


@login_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_its_people(request, pk)
    return _page(request, event, WalkInForm(auto_id="walkin_%s"))


@login_required
def walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_its_people(request, pk)
    form = WalkInForm(request.POST or None, auto_id="walkin_%s")
    if request.method != "POST" or not form.is_valid():
        return _page(request, event, form, status=400 if request.method == "POST" else 200)
    data = form.cleaned_data
    try:
        registration = booking.register_at_desk(
            event,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            language=translation.get_language() or "fr",
            over_capacity=data["over_capacity"],
        )
    except booking.Refused as refused:
        form.add_error(refused.field, str(refused))
        form._describe()
        return _page(request, event, form, status=409)
    if registration.place == Registration.Place.WAITING:
        messages.success(
            request,
            _("The event is full: {name} is on the waiting list.").format(name=registration.name),
        )
    else:
        messages.success(request, _("{name} is registered.").format(name=registration.name))
    return redirect("space:registrations", pk=event.pk)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Save who came: every ticked box is present, every other booked person absent."""
    event = event_for_its_people(request, pk)
    if request.method != "POST":
        return redirect("space:registrations", pk=event.pk)
    present = {value for value in request.POST.getlist("present") if value.isdigit()}
    with transaction.atomic():
        booked = event.registrations.filter(place=Registration.Place.BOOKED)
        booked.filter(pk__in=present).update(attended=True)
        booked.exclude(pk__in=present).update(attended=False)
    messages.success(request, _("Attendance saved."))
    return redirect("space:registrations", pk=event.pk)


def _status(registration: Registration) -> str:
    label = str(registration.get_place_display())
    if not registration.is_confirmed:
        label += " — " + _("not confirmed yet")
    return label


def _cell(value: str) -> str:
    """A spreadsheet must not run what a resident typed: =, +, -, @ start a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def registrations_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_its_people(request, pk)
    french = (translation.get_language() or "fr").startswith("fr")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscriptions-{event.pk}.csv"'
    response.write("\ufeff")  # spreadsheets then read UTF-8 as UTF-8
    writer = csv.writer(response, delimiter=";" if french else ",")
    writer.writerow(
        [_("Name"), _("Email address"), _("Phone"), _("Status"), _("Registered"), _("Present")]
    )
    for registration in event.registrations.order_by("place", "created_at", "pk"):
        present = {True: _("yes"), False: _("no"), None: ""}[registration.attended]
        writer.writerow(
            [
                _cell(registration.name),
                _cell(registration.email),
                _cell(registration.phone),
                _status(registration),
                date_format(timezone.localtime(registration.created_at), "SHORT_DATETIME_FORMAT"),
                present,
            ]
        )
    return response


@login_required
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A page to print and sign at the door: the booked people, and blank lines for walk-ins."""
    event = event_for_its_people(request, pk)
    people = event.registrations.filter(holds_a_place()).order_by("name")
    return render(
        request,
        "space/attendance_sheet.html",
        {"event": event, "people": people, "blank": range(8), "section": "space"},
    )
