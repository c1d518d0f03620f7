"""``manage.py purge_registrations``: delete residents' registrations once their campaign is over.

Run it daily (cron or a systemd timer). Registrations are deleted
``MENAGE_REGISTRATION_RETENTION_DAYS`` days (default 0) after the last day of their
campaign; ``--dry-run`` only counts. Old rate-limit counters go at the same time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from menage.platform.core.ratelimit import purge_old
from menage.platform.events.models import Registration


def expired_registrations(today: dt.date, retention_days: int) -> Any:
    """Registrations whose campaign ended more than ``retention_days`` days before ``today``."""
    last_day = today - dt.timedelta(days=retention_days + 1)
    return Registration.objects.filter(event__campaign__ends_on__lte=last_day)


class Command(BaseCommand):
    help = "Delete residents' registrations of campaigns that are over (personal data minimised)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="days kept after the campaign ends (default MENAGE_REGISTRATION_RETENTION_DAYS)",
        )
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is None:
            days = settings.MENAGE_REGISTRATION_RETENTION_DAYS
        if days < 0:
            self.stderr.write("--days must be 0 or more.")
            raise SystemExit(2)
        expired = expired_registrations(timezone.localdate(), days)
        count = expired.count()
        if options["dry_run"]:
            self.stdout.write(f"{count} registrations would be deleted.")
            return
        with transaction.atomic():
            expired.delete()
            purge_old()
        self.stdout.write(f"{count} registrations deleted.")
