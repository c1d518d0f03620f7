"""Residents register (name and email only), confirm by e-mail, cancel; bad input stores nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from menage.platform.events import booking
from menage.platform.events.models import Registration

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver(/\S*inscriptions/\S+/)")


def register(client, event, name="Ada Lovelace", email="ada@example.org", consent="on"):
    data = {"name": name, "email": email}
    if consent:
        data["consent"] = consent
    return client.post(reverse("events:register", args=[event.pk]), data)


def link_in(message):
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def test_a_place_is_held_until_the_link_in_the_mail_is_clicked(world, client, parse, sent_mail):
    event = world["alpha_public_event"]
    response = register(client, event, email="Ada@Example.org")
    assert response.status_code == 200
    registration = Registration.objects.get(event=event)
    assert (registration.name, registration.email) == ("Ada Lovelace", "ada@example.org")
    assert not registration.is_confirmed
    assert registration.hold_until is not None and registration.hold_until > timezone.now()
    page = parse(response)
    # honest: the page says a mail is on its way, never that it was sent, and holds no link
    assert page.find("h1").get_text() == "Vérifiez votre boîte mail"
    assert "envoyé" not in page.find("main").get_text().replace("envoyons", "")
    assert page.find("a", href=re.compile("/inscriptions/")) is None
    status_link = page.find("a", href=re.compile("/courriels/"))["href"]
    assert "en cours d'envoi" in parse(client.get(status_link)).find("main").get_text()
    assert event.places_left() == 2  # the held place counts

    (message,) = sent_mail()
    assert message.to == ["ada@example.org"]
    assert "Confirmez votre place" in message.subject
    assert "a quitté" in parse(client.get(status_link)).find("main").get_text()
    link = link_in(message)
    # opening the link changes nothing (mail scanners open links): the button does
    client.get(link)
    registration.refresh_from_db()
    assert not registration.is_confirmed
    page = parse(client.post(link, {"action": "confirm"}))
    registration.refresh_from_db()
    assert registration.is_confirmed and registration.hold_until is None
    assert "votre place est réservée" in page.find("main").get_text().lower()
    # the confirmation mail carries the event for the calendar
    confirmed = sent_mail()[-1]
    assert "réservée" in confirmed.subject
    (name, content, mimetype) = confirmed.attachments[0]
    assert mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert calendar.walk("VEVENT")[0].decoded("DTSTART") == event.starts_at
    # the same link cancels, once
    assert client.post(link, {"action": "cancel"}).status_code == 200
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert client.get(link).status_code == 404


def test_an_unconfirmed_hold_expires_and_frees_the_place(world, client):
    event = world["alpha_public_event"]  # capacity 3
    register(client, event, email="a@example.org")
    later = timezone.now() + dt.timedelta(minutes=31)
    assert event.places_left(later) == 3
    assert booking.release_expired(later) == 1
    assert not Registration.objects.filter(event=event).exists()


def test_someone_elses_address_cannot_fill_an_event(world, client, sent_mail):
    """Nobody confirms: after the hold every place is free again, and the same address can
    register once more (its stale registration blocks nothing)."""
    event = world["alpha_public_event"]
    for n in range(3):
        register(client, event, email=f"victim{n}@example.org")
    assert event.places_left() == 0
    stale = timezone.now() + dt.timedelta(hours=1)
    registration = booking.register_online(event, "Victim", "victim0@example.org", "fr", stale)
    assert registration.place == Registration.Place.BOOKED
    assert event.places_taken(stale) == 1
    booking.release_expired(stale)
    assert list(Registration.objects.filter(event=event)) == [registration]


def test_a_confirmation_after_the_hold_takes_a_free_place_or_the_waiting_list(world, client):
    event = world["alpha_public_event"]
    event.capacity = 1
    event.save()
    first = booking.register_online(event, "First", "first@example.org", "fr")
    later = timezone.now() + dt.timedelta(hours=1)
    second = booking.register_online(event, "Second", "second@example.org", "fr", later)
    booking.confirm(second, later)
    assert booking.confirm(first, later).place == Registration.Place.WAITING


def test_a_duplicate_registration_is_refused_clearly(world, client, parse):
    event = world["alpha_public_event"]
    register(client, event)
    response = register(client, event, email="ADA@example.org ")
    assert response.status_code == 409
    page = parse(response)
    summary = page.find(class_="error-summary")
    assert summary is not None
    assert summary.find("a")["href"] == "#id_email"
    assert page.find(id="id_email")["aria-invalid"] == "true"
    assert "id_email_error" in page.find(id="id_email")["aria-describedby"]
    assert Registration.objects.filter(event=event).count() == 1


def test_a_full_event_offers_its_waiting_list(world, client, parse, sent_mail):
    event = world["alpha_public_event"]  # capacity 3
    people = [booking.register_online(event, f"P{n}", f"p{n}@example.org", "fr") for n in range(3)]
    for person in people:
        booking.confirm(person)
    detail = parse(client.get(event.get_absolute_url()))
    # no booking button beside "full"
    assert detail.find("a", class_="button") is None
    assert "Complet" in detail.find(class_="box").get_text()
    assert detail.find("a", string="Rejoindre la liste d'attente") is not None
    form = parse(client.get(reverse("events:register", args=[event.pk])))
    assert form.find("button", type="submit").get_text() == "Rejoindre la liste d'attente"

    register(client, event, name="Wendy", email="wendy@example.org")
    register(client, event, name="Walter", email="walter@example.org")
    mails = sent_mail()
    wendy = Registration.objects.get(email="wendy@example.org")
    assert wendy.place == Registration.Place.WAITING
    wendy_link = link_in([m for m in mails if m.to == ["wendy@example.org"]][-1])
    walter_link = link_in([m for m in mails if m.to == ["walter@example.org"]][-1])
    client.post(wendy_link, {"action": "confirm"})
    client.post(walter_link, {"action": "confirm"})
    assert "numéro 2" in parse(client.get(walter_link)).find("main").get_text()

    # someone cancels: the first on the waiting list is offered the place, by mail
    booking.cancel(people[0])
    wendy.refresh_from_db()
    assert wendy.place == Registration.Place.OFFERED
    offer = [m for m in sent_mail() if m.to == ["wendy@example.org"]][-1]
    assert "place est libre" in offer.subject
    assert event.places_left() == 0  # held for Wendy
    # she lets it expire: it goes to Walter
    booking.release_expired(timezone.now() + dt.timedelta(hours=25))
    assert not Registration.objects.filter(email="wendy@example.org").exists()
    walter = Registration.objects.get(email="walter@example.org")
    assert walter.place == Registration.Place.OFFERED
    client.post(walter_link, {"action": "accept"})
    walter.refresh_from_db()
    assert walter.place == Registration.Place.BOOKED


def test_the_last_place_cannot_be_taken_twice(world, client):
    event = world["alpha_public_event"]  # capacity 3
    for n in range(3):
        assert register(client, event, email=f"r{n}@example.org").status_code == 200
    register(client, event, email="late@example.org")
    assert Registration.objects.get(email="late@example.org").place == "waiting"
    assert event.places_taken() == 3


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        pytest.param({"consent": ""}, "consent", id="no-consent"),
        pytest.param({"email": "not-an-address"}, "email", id="bad-email"),
        pytest.param({"email": "a@b@c.example"}, "email", id="two-at-signs"),
        pytest.param({"email": "x" * 300 + "@example.org"}, "email", id="address-too-long"),
        pytest.param({"name": "   "}, "name", id="blank-name"),
        pytest.param({"name": "x" * 500}, "name", id="name-too-long"),
        pytest.param({"name": "a\x00b"}, "name", id="nul-byte"),
    ],
)
def test_bad_registrations_store_nothing(world, client, parse, fields, error_field):
    event = world["alpha_public_event"]
    response = register(client, event, **fields)
    assert response.status_code == 400
    page = parse(response)
    assert page.find(id=f"id_{error_field}_error") is not None
    assert page.title.string.startswith("Erreur")
    assert not Registration.objects.filter(event=event).exists()


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("1.1:forged", id="forged-signature"),
        pytest.param("nothing", id="no-signature"),
        pytest.param("%00", id="nul"),
        pytest.param("x" * 2000, id="very-long"),
    ],
)
def test_forged_links_find_nothing(world, client, token):
    response = client.post(reverse("events:registration", args=[token]), {"action": "cancel"})
    assert response.status_code == 404
    assert Registration.objects.count() == 2


def test_a_link_for_one_registration_does_not_open_another(world, client):
    other = Registration.objects.get(email="resident@beta.example")
    mine = booking.register_online(world["alpha_public_event"], "Me", "me@example.org", "fr")
    token = mine.token().replace(f"{mine.pk}.", f"{other.pk}.", 1)
    assert client.get(reverse("events:registration", args=[token])).status_code == 404


def test_html_in_a_name_is_shown_as_text(world, client, login, parse):
    event = world["alpha_public_event"]
    register(client, event, name='<script>alert("x")</script><b>Bob</b>')
    page = parse(login("alpha_manager").get(reverse("space:registrations", args=[event.pk])))
    assert page.find("script") is None and page.find("b") is None
    assert '<script>alert("x")</script><b>Bob</b>' in page.find("tbody").get_text()


def test_closed_and_cancelled_events_refuse_registrations(world, client):
    event = world["alpha_public_event"]
    event.registration_open = False
    event.save()
    assert register(client, event).status_code == 409
    event.registration_open = True
    event.cancelled_at = timezone.now()
    event.save()
    assert register(client, event).status_code == 409
    assert not Registration.objects.filter(event=event).exists()


def test_forms_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = register(client, world["alpha_public_event"])
    assert response.status_code == 403
    assert not Registration.objects.filter(event=world["alpha_public_event"]).exists()


def test_mails_are_in_the_residents_language(world, client, sent_mail):
    event = world["alpha_public_event"]
    client.post(
        "/en"
        + reverse("events:register", args=[event.pk])
        .replace("/evenements/", "/events/")
        .replace("/inscription/", "/register/"),
        {"name": "Ann", "email": "ann@example.org", "consent": "on"},
    )
    (message,) = sent_mail()
    assert message.subject.startswith("Confirm your place")
    assert "/en/registrations/" in message.body
