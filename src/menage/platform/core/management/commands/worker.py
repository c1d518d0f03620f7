"""``manage.py worker``: the background worker (mail queue, reminders, housekeeping).

It makes sure the self-rescheduling housekeeping task is queued, then runs the tasks'
database worker (``db_worker``) on every queue. ``menage serve`` starts one beside the
web server; in production run one as a service (docs/deployment.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from menage.platform.core.housekeeping import ensure_scheduled


class Command(BaseCommand):
    help = "Run the background worker: sends the mail queue, reminders and housekeeping."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run what is due now, then stop (tests, cron)"
        )
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_scheduled()
        extra = ["--batch"] if options["batch"] else []
        call_command(
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            str(options["interval"]),
            "--no-startup-delay",
            "--no-reload",
            *extra,
            verbosity=options["verbosity"],
        )
