"""What the platform does by itself, every few minutes, in the background worker.

Unconfirmed registrations and unanswered offers expire (their places go to the waiting
list), reminders go out the day before, old rate-limit counters, delivered mails and
residents' registrations past their retention are deleted.

The :func:`housekeeping` task schedules its own next run (``MENAGE_HOUSEKEEPING_MINUTES``
later): the worker that ``menage serve`` starts, or ``menage platform worker`` in
production, keeps it going; nothing else is needed (no cron).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from menage.platform.core.ratelimit import purge_old
from menage.platform.events.booking import release_expired
from menage.platform.events.models import Registration
from menage.platform.events.reminders import send_reminders
from menage.platform.outbox.models import OutgoingMail

TASK_PATH = "menage.platform.core.housekeeping.housekeeping"


@dataclass
class Done:
    released: int
    reminders: int
    registrations_purged: int
    mails_purged: int
    counters_purged: int


def expired_registrations(today: dt.date, retention_days: int) -> object:
    """Registrations whose campaign ended more than ``retention_days`` days before ``today``."""
    last_day = today - dt.timedelta(days=retention_days + 1)
    return Registration.objects.filter(event__campaign__ends_on__lte=last_day)


def run_once(now: dt.datetime | None = None) -> Done:
    """Everything housekeeping does, once, now."""
    now = now or timezone.now()
    released = release_expired(now)
    reminders = send_reminders(now)
    purged, _kinds = expired_registrations(  # type: ignore[attr-defined]
        timezone.localdate(now), settings.MENAGE_REGISTRATION_RETENTION_DAYS
    ).delete()
    # delivered mails hold addresses: kept a week for questions, failed ones a month
    week, month = now - dt.timedelta(days=7), now - dt.timedelta(days=30)
    mails, _kinds = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.SENT, sent_at__lt=week
    ).delete()
    old_failed, _kinds = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.FAILED, created_at__lt=month
    ).delete()
    return Done(released, reminders, purged, mails + old_failed, purge_old(now.timestamp()))


def ensure_scheduled(run_after: dt.datetime | None = None) -> bool:
    """Queue the next housekeeping run unless one is already waiting; True if queued."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=TASK_PATH)
    if waiting.exists():
        return False
    (housekeeping.using(run_after=run_after) if run_after else housekeeping).enqueue()
    return True


@task()
def housekeeping() -> dict[str, int]:
    try:
        return asdict(run_once())
    finally:
        # the next run is queued whatever happened to this one
        later = timezone.now() + dt.timedelta(minutes=settings.MENAGE_HOUSEKEEPING_MINUTES)
        ensure_scheduled(later)
