"""The mail queue end to end: a real SMTP server, temporary and permanent failures, retries,
and what residents and organisers are told at each step."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from menage.platform.outbox.models import OutgoingMail

pytestmark = pytest.mark.django_db


def register(client, event, email):
    return client.post(
        reverse("events:register", args=[event.pk]),
        {"name": "Ada", "email": email, "consent": "on"},
    )


def time_passes():
    """The retry is due now: move every waiting task's time to the past (no sleeping)."""
    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - dt.timedelta(seconds=1)
    )


def test_a_busy_server_gets_the_mail_later_and_the_link_works(
    world, client, parse, smtp, run_tasks
):
    event = world["alpha_public_event"]
    smtp.busy = 1
    page = parse(register(client, event, "ada@example.org"))
    status = page.find("a", href=re.compile("/courriels/"))["href"]
    run_tasks()
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts) == ("queued", 1)
    assert "451" in mail.last_error
    assert mail.next_attempt_at is not None and mail.next_attempt_at > timezone.now()
    assert smtp.messages == []
    text = parse(client.get(status)).find("main").get_text()
    assert "pas encore accepté" in text and "Nouvel essai" in text
    assert run_tasks() == []  # not before its time

    time_passes()
    run_tasks()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("sent", 2)
    (message,) = smtp.messages
    assert message["To"] == "ada@example.org"
    assert "Confirmez votre place" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    found = re.search(r"http://testserver(/\S+)", body)
    assert found is not None
    link = found.group(1)
    client.post(link, {"action": "confirm"})
    run_tasks()
    confirmed = smtp.messages[-1]
    calendar = [part for part in confirmed.iter_attachments()]
    assert calendar and calendar[0].get_content_type() == "text/calendar"
    assert "BEGIN:VEVENT" in calendar[0].get_content()


def test_an_address_that_does_not_exist_fails_at_once_and_the_organiser_sees_it(
    world, client, login, parse, smtp, run_tasks
):
    event = world["alpha_public_event"]
    smtp.refuse.add("nobody@example.org")
    page = parse(register(client, event, "nobody@example.org"))
    status = page.find("a", href=re.compile("/courriels/"))["href"]
    run_tasks()
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts) == ("failed", 1)  # a 5xx is not retried
    assert "n'a pas pu être envoyé" in parse(client.get(status)).find("main").get_text()
    registrations = parse(
        login("alpha_manager").get(reverse("space:registrations", args=[event.pk]))
    )
    assert "nobody@example.org" in registrations.find(class_="error-box").get_text()


def test_a_server_that_is_down_is_tried_again_then_given_up(
    world, client, smtp, run_tasks, settings
):
    event = world["alpha_public_event"]
    smtp.stop()  # connection refused from now on
    register(client, event, "ada@example.org")
    for attempt in range(1, len(settings.MENAGE_MAIL_RETRY_DELAYS) + 2):
        run_tasks()
        mail = OutgoingMail.objects.get()
        assert mail.attempts == attempt
        assert "ConnectionRefused" in mail.last_error
        time_passes()
    assert mail.status == "failed"
    # nothing is lost: the registration still holds its place, and the mail can go again
    assert event.registrations.count() == 1
    smtp.start()
    settings.EMAIL_PORT = smtp.port
    from menage.platform.outbox.queue import send_again

    send_again(mail)
    run_tasks()
    mail.refresh_from_db()
    assert mail.status == "sent" and len(smtp.messages) == 1
