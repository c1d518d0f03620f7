"""Organisers change and cancel events (people are told, with iCalendar), register walk-ins,
take attendance, export the list; reminders go out the day before; housekeeping runs."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from menage.platform.core.housekeeping import ensure_scheduled, run_once
from menage.platform.events import booking
from menage.platform.events.models import Event, Registration
from menage.platform.events.reminders import send_reminders
from menage.platform.outbox.models import OutgoingMail

pytestmark = pytest.mark.django_db


def confirmed(event, name, email, language="fr"):
    return booking.confirm(booking.register_online(event, name, email, language))


def event_data(event, **changes):
    data = {
        "title": event.title,
        "kind": event.kind,
        "description": event.description,
        "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "venue": event.venue_id,
        "audience": "",
        "capacity": str(event.capacity or ""),
        "registration_open": "on" if event.registration_open else "",
        "accessibility": "",
    }
    data.update(changes)
    return data


def calendar_of(message):
    (_name, content, mimetype) = message.attachments[0]
    assert mimetype == "text/calendar"
    return Calendar.from_ical(content)


def test_a_new_time_is_mailed_to_everyone_registered_with_a_calendar_update(
    world, login, sent_mail
):
    event = world["alpha_public_event"]
    confirmed(event, "Ada", "ada@example.org")
    confirmed(event, "Ann", "ann@example.org", language="en")
    booking.register_online(event, "Unconfirmed", "who@example.org", "fr")
    sent_mail()
    from django.core import mail

    mail.outbox.clear()
    start = timezone.localtime(event.starts_at) + dt.timedelta(hours=1)
    response = login("alpha_manager").post(
        reverse("space:event_edit", args=[event.pk]),
        event_data(event, starts_at=start.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 302
    mails = sent_mail()
    # the confirmed people, each in their language; an unconfirmed address gets nothing
    assert sorted(m.to[0] for m in mails) == ["ada@example.org", "ann@example.org"]
    french = next(m for m in mails if m.to == ["ada@example.org"])
    english = next(m for m in mails if m.to == ["ann@example.org"])
    assert french.subject.startswith("Changement") and english.subject.startswith("Change")
    assert "15\u00a0h" in french.body and "3\u00a0pm" in english.body
    calendar = calendar_of(french)
    item = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST" and int(item["SEQUENCE"]) == 1
    assert item.decoded("DTSTART") == start
    # a change of the title alone tells nobody
    mail.outbox.clear()
    event.refresh_from_db()
    login("alpha_manager").post(
        reverse("space:event_edit", args=[event.pk]), event_data(event, title="New title")
    )
    assert sent_mail() == []


def test_an_event_with_registrations_is_cancelled_not_deleted(world, login, client, sent_mail):
    event = world["alpha_public_event"]
    confirmed(event, "Ada", "ada@example.org")
    booking.register_at_desk(
        event, name="Desk", email="", phone="01 02", language="fr", over_capacity=False
    )
    manager = login("alpha_manager")
    # the delete address leads to the cancellation: registrations are never erased silently
    response = manager.post(reverse("space:event_delete", args=[event.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("space:event_cancel", args=[event.pk])
    assert Event.objects.filter(pk=event.pk).exists()
    page = manager.get(reverse("space:event_cancel", args=[event.pk]))
    assert "1 personne inscrite" in page.content.decode() or page.status_code == 200
    manager.post(reverse("space:event_cancel", args=[event.pk]), {"reason": "Salle inondée."})
    event.refresh_from_db()
    assert event.is_cancelled and event.registrations.count() == 2
    message = [m for m in sent_mail() if m.to == ["ada@example.org"]][-1]
    assert "Salle inondée." in message.body
    calendar = calendar_of(message)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    # the public page says so and takes no booking
    text = client.get(event.get_absolute_url()).content.decode()
    assert "Salle inondée." in text
    assert reverse("events:register", args=[event.pk]) not in text


def test_an_event_nobody_registered_for_can_be_deleted(world, login):
    event = world["alpha_public_event"]
    login("alpha_manager").post(reverse("space:event_delete", args=[event.pk]))
    assert not Event.objects.filter(pk=event.pk).exists()


def test_walk_ins_with_or_without_an_address(world, login, parse, sent_mail):
    event = world["alpha_public_event"]  # capacity 3
    manager = login("alpha_manager")
    url = reverse("space:walk_in", args=[event.pk])
    assert manager.post(url, {"name": "Jeanne", "phone": "06 12 34 56 78"}).status_code == 302
    jeanne = Registration.objects.get(name="Jeanne")
    assert jeanne.is_confirmed and jeanne.source == "desk" and jeanne.email == ""
    manager.post(url, {"name": "Paul", "email": "Paul@Example.org"})
    assert [m.to for m in sent_mail()] == [["paul@example.org"]]
    manager.post(url, {"name": "Rose"})
    manager.post(url, {"name": "Late"})
    assert Registration.objects.get(name="Late").place == "waiting"
    manager.post(url, {"name": "At the door", "over_capacity": "on"})
    assert Registration.objects.get(name="At the door").place == "booked"
    assert event.places_taken() == 4
    for data, field in (
        ({"name": "  "}, "walkin_name"),
        ({"name": "X", "phone": "call me <b>"}, "walkin_phone"),
        ({"name": "X", "email": "paul@example.org"}, "walkin_email"),
        ({"name": "X", "email": "not an address"}, "walkin_email"),
    ):
        response = manager.post(url, data)
        assert response.status_code in (400, 409)
        page = parse(response)
        assert page.find(id=f"{field}_error") is not None, data
    assert Registration.objects.filter(name="X").count() == 0


def test_facilitators_take_attendance_and_export(world, login, parse):
    event = world["alpha_private_event"]  # Fay facilitates it; one resident registered
    resident = event.registrations.get()
    booking.register_at_desk(
        event, name='=HYPERLINK("x")', email="", phone="", language="fr", over_capacity=False
    )
    fay = login("alpha_facilitator")
    page = parse(fay.get(reverse("space:registrations", args=[event.pk])))
    boxes = page.find_all("input", attrs={"name": "present"})
    assert len(boxes) == 2 and all(page.find("label", attrs={"for": b["id"]}) for b in boxes)
    fay.post(reverse("space:attendance", args=[event.pk]), {"present": [str(resident.pk), "x"]})
    resident.refresh_from_db()
    assert resident.attended is True
    assert Registration.objects.get(phone="", source="desk").attended is False

    response = fay.get(reverse("space:registrations_csv", args=[event.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Nom" and len(rows) == 3
    assert ["Resident", "resident@alpha.example"] == rows[1][:2]
    assert rows[1][-1] == "oui"
    # a spreadsheet does not run what was typed as a name
    assert rows[2][0] == '\'=HYPERLINK("x")'

    sheet = parse(fay.get(reverse("space:attendance_sheet", args=[event.pk])))
    names = [row.find_all("td")[1].get_text() for row in sheet.find("tbody").find_all("tr")]
    assert "Resident" in names and names.count("") == 8


def test_other_organisations_reach_none_of_it(world, login):
    event = world["alpha_private_event"]
    beta = login("beta_manager")
    for name in ("registrations", "registrations_csv", "attendance_sheet"):
        assert beta.get(reverse(f"space:{name}", args=[event.pk])).status_code == 404
    for name in ("walk_in", "attendance"):
        assert (
            beta.post(reverse(f"space:{name}", args=[event.pk]), {"name": "x"}).status_code == 404
        )
    assert beta.post(reverse("space:event_cancel", args=[event.pk])).status_code == 404
    event.refresh_from_db()
    assert not event.is_cancelled and event.registrations.count() == 1


def test_reminders_go_out_the_day_before_once(world, sent_mail):
    event = world["alpha_public_event"]
    ada = confirmed(event, "Ada", "ada@example.org")
    booking.register_at_desk(
        event, name="No mail", email="", phone="", language="fr", over_capacity=False
    )
    from django.core import mail

    sent_mail()
    mail.outbox.clear()
    two_days_before = event.starts_at - dt.timedelta(days=2, hours=1)
    assert send_reminders(two_days_before) == 0
    day_before = timezone.make_aware(
        dt.datetime.combine(timezone.localdate(event.starts_at) - dt.timedelta(days=1), dt.time(9))
    )
    # Ada, and the resident of each of the world's other events that day (not "No mail")
    assert send_reminders(day_before) == 3
    assert send_reminders(day_before) == 0
    (message,) = [m for m in sent_mail() if m.to == [ada.email]]
    assert message.subject.startswith("Rappel")


def test_housekeeping_schedules_itself_and_does_its_rounds(world, client, run_tasks):
    event = world["alpha_public_event"]
    booking.register_online(event, "Gone", "gone@example.org", "fr")
    Registration.objects.filter(email="gone@example.org").update(
        hold_until=timezone.now() - dt.timedelta(minutes=1)
    )
    assert ensure_scheduled() is True
    assert ensure_scheduled() is False  # one chain only
    ran = run_tasks()
    assert any(r.task_path.endswith("housekeeping") and r.status == "SUCCESSFUL" for r in ran)
    assert not Registration.objects.filter(email="gone@example.org").exists()
    assert ensure_scheduled() is False  # the next run is already queued for later
    done = run_once()
    assert done.released == 0


def test_the_organiser_sees_mails_that_failed_and_sends_them_again(world, login, parse, settings):
    event = world["alpha_public_event"]
    registration = confirmed(event, "Ada", "ada@example.org")
    mail = registration.mails.first()
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status="failed", last_error="SMTPRecipientsRefused: 550"
    )
    manager = login("alpha_manager")
    page = parse(manager.get(reverse("space:registrations", args=[event.pk])))
    assert "SMTPRecipientsRefused" in page.find("main").get_text()
    assert (
        login("beta_manager").post(reverse("space:mail_retry", args=[mail.pk])).status_code == 404
    )
    manager = login("alpha_manager")
    manager.post(reverse("space:mail_retry", args=[mail.pk]), {"next": "https://evil.example/"})
    mail.refresh_from_db()
    assert mail.status == "queued" and mail.attempts == 0
