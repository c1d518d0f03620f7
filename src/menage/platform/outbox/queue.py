"""Queue an e-mail, deliver it, retry it, give up on it: the outbox's whole life cycle.

Queueing writes an :class:`OutgoingMail` row and enqueues the :func:`deliver` task in the
same database transaction (the tasks' database backend), so a mail is never queued for a
registration that was rolled back, nor lost when the worker is down: it waits.

A temporary failure (a 4xx answer, a refused or dropped connection) is retried after
each delay of ``MENAGE_MAIL_RETRY_DELAYS`` in turn; a permanent one (a 5xx answer: the
address does not exist) or the last retry marks the mail failed, for the organisers to see.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from menage.platform.outbox.models import OutgoingMail


def queue_mail(
    to: str,
    template: str,
    context: dict[str, Any],
    *,
    language: str,
    calendar: bytes = b"",
    **links: Any,
) -> OutgoingMail:
    """Render ``template`` (``mail/NAME.txt``: subject on the first line) and queue it.

    Args:
        to: the recipient's address.
        template: the template's name under ``mail/``, without ``.txt``.
        context: what the template needs.
        language: the recipient's language; the mail is rendered in it now.
        calendar: an iCalendar attachment, if any.
        links: ``organisation=``, ``event=``, ``registration=``: whom the mail is about.
    """
    with translation.override(language):
        text = render_to_string(
            f"mail/{template}.txt", {**context, "site_name": settings.MENAGE_SITE_NAME}
        )
    subject, _blank, body = text.strip().partition("\n")
    mail = OutgoingMail.objects.create(
        to=to,
        subject=" ".join(subject.split())[:300],
        body=body.strip() + "\n",
        calendar=calendar.decode(),
        **links,
    )
    deliver.enqueue(mail.pk)
    return mail


def retry_delays() -> list[int]:
    return [int(delay) for delay in settings.MENAGE_MAIL_RETRY_DELAYS]


def _permanent(error: Exception) -> bool:
    """A 5xx answer will not change by waiting: the address or the message is refused."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _message(mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to])
    if mail.calendar:
        message.attach("evenement.ics", mail.calendar, "text/calendar")
    return message


@task()
def deliver(mail_id: int) -> str:
    """Send one queued mail; on failure, schedule the next attempt or give up.

    No database lock is held while the SMTP server answers (SQLite would stall every
    writer): the worker that claimed this task is the only one sending this mail.
    """
    mail = OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMail.Status.QUEUED).first()
    if mail is None:  # sent, given up or deleted since it was queued
        return "gone"
    mail.attempts += 1
    try:
        _message(mail).send(fail_silently=False)
    except Exception as error:  # every failure is recorded and retried or shown, none is lost
        mail.last_error = f"{type(error).__name__}: {error}"[:500]
        delays = retry_delays()
        with transaction.atomic():
            if _permanent(error) or mail.attempts > len(delays):
                mail.status = OutgoingMail.Status.FAILED
                mail.next_attempt_at = None
            else:
                delay = dt.timedelta(seconds=delays[mail.attempts - 1])
                mail.next_attempt_at = timezone.now() + delay
                deliver.using(run_after=mail.next_attempt_at).enqueue(mail.pk)
            mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return str(mail.status)
    mail.status = OutgoingMail.Status.SENT
    mail.sent_at = timezone.now()
    mail.next_attempt_at = None
    mail.last_error = ""
    mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "sent_at"])
    return str(mail.status)


def send_again(mail: OutgoingMail) -> None:
    """An organiser asks for a failed mail to be sent again: a fresh series of attempts."""
    mail.status = OutgoingMail.Status.QUEUED
    mail.attempts = 0
    mail.next_attempt_at = None
    mail.save()
    deliver.enqueue(mail.pk)
