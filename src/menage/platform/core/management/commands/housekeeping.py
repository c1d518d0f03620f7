"""``manage.py housekeeping``: run the background housekeeping once, now, and say what it did."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from menage.platform.core.housekeeping import run_once


class Command(BaseCommand):
    help = "Expire holds and offers, send due reminders, purge old data: once, now."

    def handle(self, *args: Any, **options: Any) -> None:
        done = run_once()
        self.stdout.write(
            _(
                "Released registrations: {released}; reminders queued: {reminders}; "
                "registrations purged: {purged}; mails purged: {mails}."
            ).format(
                released=done.released,
                reminders=done.reminders,
                purged=done.registrations_purged,
                mails=done.mails_purged,
            )
        )
