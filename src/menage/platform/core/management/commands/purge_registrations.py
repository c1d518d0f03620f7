"""``manage.py purge_registrations``: delete residents' registrations once their campaign is over.

The background worker does it by itself (:mod:`menage.platform.core.housekeeping`); this
command is for a one-off purge or a check. Registrations are deleted
``MENAGE_REGISTRATION_RETENTION_DAYS`` days (default 0) after the last day of their
campaign; ``--dry-run`` only counts. Old rate-limit counters go at the same time.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from menage.platform.core.housekeeping import expired_registrations
from menage.platform.core.ratelimit import purge_old


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
            raise CommandError(_("--days must be 0 or more."))
        expired: Any = expired_registrations(timezone.localdate(), days)
        count = expired.count()
        if options["dry_run"]:
            self.stdout.write(
                ngettext(
                    "{count} registration would be deleted.",
                    "{count} registrations would be deleted.",
                    count,
                ).format(count=count)
            )
            return
        with transaction.atomic():
            expired.delete()
            purge_old()
        self.stdout.write(
            ngettext(
                "{count} registration deleted.", "{count} registrations deleted.", count
            ).format(count=count)
        )
