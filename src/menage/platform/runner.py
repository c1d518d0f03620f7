"""What ``menage serve`` and ``menage platform`` do, as library calls.

Django is configured here, on first use, with ``menage.platform.settings.dev``
unless ``DJANGO_SETTINGS_MODULE`` names other settings.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from io import StringIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # models cannot be imported before Django is set up
    from menage.platform.core.demo import DemoSummary

DEFAULT_SETTINGS = "menage.platform.settings.dev"


def setup() -> None:
    """Configure Django once (settings from DJANGO_SETTINGS_MODULE, else the dev settings)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django
    from django.utils import translation

    from menage import i18n

    django.setup()
    # what the command prints (roles, Django's own messages) follows `menage --lang`
    translation.activate(i18n.language())


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def allow_host(host: str) -> None:
    """Let the site answer on the address ``menage serve`` listens on, unless settings say.

    Bound to every interface (0.0.0.0, ::), any host name is accepted: this is the local
    preview; production sets DJANGO_ALLOWED_HOSTS.
    """
    if host in LOOPBACK or "DJANGO_ALLOWED_HOSTS" in os.environ:
        return
    wildcard = host in ("0.0.0.0", "::", "")
    names = ["*"] if wildcard else ["127.0.0.1", "localhost", "[::1]", host]
    os.environ["DJANGO_ALLOWED_HOSTS"] = ",".join(names)


@dataclass
class Prepared:
    """The state of the database after :func:`prepare`."""

    database: str
    migrations_applied: int
    demo: DemoSummary | None


def prepare(demo: bool = False) -> Prepared:
    """Apply migrations (and load the demo once), then say where the data lives."""
    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", interactive=False, verbosity=0, stdout=StringIO())
    summary = None
    if demo:
        from menage.platform.core.demo import load_demo

        summary = load_demo()
    database = settings.DATABASES["default"]
    where = str(database["NAME"])
    if database["ENGINE"].endswith("postgresql"):
        where = f"postgresql://{database.get('HOST') or 'localhost'}/{database['NAME']}"
    return Prepared(database=where, migrations_applied=len(pending), demo=summary)


def create_admin() -> None:
    """Ask for a username, email and password and create a platform admin (staff, superuser)."""
    setup()
    from django.core.management import call_command

    call_command("createsuperuser")


def site_url(host: str, port: int) -> None:
    """Links in mails point at the address ``menage serve`` listens on, unless settings say."""
    if "MENAGE_SITE_URL" in os.environ:
        return
    shown = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    os.environ["MENAGE_SITE_URL"] = f"http://{shown}:{port}"


def start_worker() -> subprocess.Popen[bytes]:
    """The background worker (mail queue, reminders, housekeeping) in its own process.

    Same settings and environment as the server; its output goes to the same terminal.
    """
    return subprocess.Popen([sys.executable, "-m", "menage", "platform", "worker"])


def run_server(host: str, port: int, worker: bool = True) -> None:
    """Serve until interrupted: Django's threaded server, static files from whitenoise,
    and the background worker beside it (stopped with the server)."""
    setup()
    from django.core.management import call_command

    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    process = start_worker() if worker else None
    # a service manager stops us with SIGTERM: leave through `finally`, worker included
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    try:
        call_command("runserver", address, use_reloader=False, skip_checks=False)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def manage(args: Sequence[str]) -> None:
    """Run a Django management command: ``menage platform createsuperuser``…"""
    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["menage platform", *args])
