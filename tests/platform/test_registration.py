"""Residents register (name and email only), cancel with their link; bad input stores nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from menage.platform.events.models import Registration

pytestmark = pytest.mark.django_db


def register(client, event, name="Ada Lovelace", email="ada@example.org", consent="on"):
    data = {"name": name, "email": email}
    if consent:
        data["consent"] = consent
    return client.post(reverse("events:register", args=[event.pk]), data)


def test_registration_books_a_place_and_gives_a_cancellation_link(world, client, parse):
    event = world["alpha_public_event"]
    response = register(client, event, email="Ada@Example.org")
    assert response.status_code == 200
    registration = Registration.objects.get(event=event)
    assert (registration.name, registration.email) == ("Ada Lovelace", "ada@example.org")
    page = parse(response)
    link = page.find("a", href=re.compile("/annuler/"))
    assert link is not None
    # the token is only in the link and the mail; the database holds its hash
    token = link["href"].rstrip("/").split("/")[-2]
    assert token not in registration.token_hash
    assert len(mail.outbox) == 1 and link["href"] in mail.outbox[0].body
    cancel = client.get(link["href"])
    assert cancel.status_code == 200
    assert client.post(link["href"]).status_code == 200
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert client.get(link["href"]).status_code == 404  # a used link is dead


def test_a_duplicate_registration_is_refused_clearly(world, client, parse):
    event = world["alpha_public_event"]
    register(client, event)
    response = register(client, event, email="ADA@example.org ")
    page = parse(response)
    summary = page.find(class_="error-summary")
    assert summary is not None
    assert summary.find("a")["href"] == "#id_email"
    assert page.find(id="id_email")["aria-invalid"] == "true"
    assert "id_email_error" in page.find(id="id_email")["aria-describedby"]
    assert Registration.objects.filter(event=event).count() == 1


def test_the_last_place_cannot_be_taken_twice(world, client):
    event = world["alpha_public_event"]  # capacity 3
    for n in range(3):
        assert register(client, event, email=f"r{n}@example.org").status_code == 200
    response = register(client, event, email="late@example.org")
    assert response.status_code == 409
    assert Registration.objects.filter(event=event).count() == 3


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        pytest.param({"consent": ""}, "consent", id="no-consent"),
        pytest.param({"email": "not-an-address"}, "email", id="bad-email"),
        pytest.param({"name": "   "}, "name", id="blank-name"),
        pytest.param({"name": "x" * 500}, "name", id="name-too-long"),
    ],
)
def test_bad_registrations_store_nothing(world, client, parse, fields, error_field):
    event = world["alpha_public_event"]
    response = register(client, event, **fields)
    assert response.status_code == 200
    page = parse(response)
    assert page.find(id=f"id_{error_field}_error") is not None
    assert page.title.string.startswith("Erreur")
    assert (
        not Registration.objects.exists() or not Registration.objects.filter(event=event).exists()
    )


def test_html_in_a_name_is_shown_as_text(world, client, login, parse):
    event = world["alpha_public_event"]
    register(client, event, name='<script>alert("x")</script><b>Bob</b>')
    page = parse(login("alpha_manager").get(reverse("space:registrations", args=[event.pk])))
    assert page.find("script") is None and page.find("b") is None
    assert '<script>alert("x")</script><b>Bob</b>' in page.find("tbody").get_text()


def test_closed_events_refuse_registrations(world, client):
    event = world["alpha_public_event"]
    event.registration_open = False
    event.save()
    assert register(client, event).status_code == 409
    assert not Registration.objects.filter(event=event).exists()


def test_forms_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = register(client, world["alpha_public_event"])
    assert response.status_code == 403
    assert (
        not Registration.objects.exists()
        or not Registration.objects.filter(event=world["alpha_public_event"]).exists()
    )


def test_public_forms_are_rate_limited(world, client, settings):
    settings.MENAGE_RATE_LIMIT = 3
    event = world["alpha_public_event"]
    codes = [
        register(client, event, email=f"x{n}@example.org", consent="").status_code for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    response = register(client, event, email="late@example.org")
    assert response.status_code == 429 and "Retry-After" in response
    # another client is not affected
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert register(other, event, email="other@example.org").status_code == 200


def test_sign_in_is_rate_limited(world, client, settings):
    settings.MENAGE_RATE_LIMIT = 2
    url = reverse("accounts:login")
    codes = [
        client.post(url, {"username": "alpha_manager", "password": "wrong"}).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
