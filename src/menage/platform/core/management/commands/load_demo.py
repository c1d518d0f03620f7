"""``manage.py load_demo``: a city's cleanup week and a school district (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from menage.platform.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo: a city's cleanup week and a school district with its schools."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="password of the demo accounts (default: random)")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo(password=options["password"])
        if not summary.created:
            self.stdout.write("The demo is already loaded.")
            return
        self.stdout.write(
            f"Demo loaded: {summary.campaigns} campaigns, {summary.events} events, "
            f"{summary.points} collection points."
        )
        self.stdout.write(f"Demo accounts (password {summary.password}):")
        for username, role in summary.accounts:
            self.stdout.write(f"  {username}: {role}")
