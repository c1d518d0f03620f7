"""Platform fixtures: a real PostgreSQL cluster on demand, people and organisations, HTML parsing.

``pytest tests/platform --platform-db=postgresql`` runs the same tests on a throwaway
PostgreSQL cluster that this file starts (initdb + pg_ctl, Unix socket in a temporary
folder) and removes at the end. Without the binaries the tests skip locally and fail
in CI (CI=true).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from tests.platform.postgres import PostgresCluster, postgres_bin, unavailable


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--platform-db",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="database for the platform tests (postgresql starts a throwaway cluster)",
    )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request: pytest.FixtureRequest, django_db_modify_db_settings_parallel_suffix: None
) -> Iterator[None]:
    """Point Django at a fresh PostgreSQL cluster when asked; SQLite in memory otherwise."""
    if request.config.getoption("--platform-db") != "postgresql":
        yield
        return
    bindir = postgres_bin()
    if bindir is None:
        unavailable("PostgreSQL server binaries (initdb, pg_ctl) not found")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed")
    from django.conf import settings
    from django.db import connections

    cluster = PostgresCluster(bindir)  # type: ignore[arg-type]
    cluster.start()
    # change the dict in place: Django's connection handler already holds a reference to it
    conf = settings.DATABASES["default"]
    conf.clear()
    conf.update(cluster.database())
    connections.configure_settings(settings.DATABASES)
    connections.close_all()
    try:
        del connections["default"]  # a wrapper built for SQLite must not be reused
    except AttributeError:
        pass
    try:
        yield
    finally:
        connections.close_all()
        cluster.stop()


@pytest.fixture(autouse=True)
def _french_by_default() -> Iterator[None]:
    """Each test starts in the site's default language (a request may leave another active)."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_measures_cache() -> Iterator[None]:
    """The measures figures' worker cache starts empty: rolled-back tests reuse ids."""
    from menage.platform.measures.aggregates import forget

    forget()
    yield
    forget()


class MeasuresClock:
    """The measures' freshness window's clock, still unless a test moves it: a test
    sees another worker's change only once it says the window has passed."""

    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at

    def advance(self, seconds: float | None = None) -> None:
        """Move on by ``seconds`` (default: the whole window, ``MENAGE_MEASURES_FRESHNESS``)."""
        from django.conf import settings

        self.at += settings.MENAGE_MEASURES_FRESHNESS if seconds is None else seconds


@pytest.fixture(autouse=True)
def measures_clock(monkeypatch: pytest.MonkeyPatch) -> MeasuresClock:
    """Every test runs with the freshness window's default length on this clock."""
    from menage.platform.measures import window

    clock = MeasuresClock()
    monkeypatch.setattr(window, "now", clock)
    return clock


@pytest.fixture
def on_postgresql(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--platform-db") == "postgresql")


# --- people and organisations ----------------------------------------------------------


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """Two cities, a district with a school, their managers and a facilitator, and content.

    Each city has a public and a private campaign with an event, a collection point, a
    venue and a private resource, so that every authorisation test has something to reach for.
    """
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from menage.platform.campaigns.models import Campaign
    from menage.platform.collection.models import CollectionPoint
    from menage.platform.events.models import Event, Registration, Venue
    from menage.platform.organisations.models import Membership, Organisation
    from menage.platform.resources.models import Resource

    User = get_user_model()
    today = dt.date.today()
    start = today + dt.timedelta(days=7)
    end = start + dt.timedelta(days=4)
    found: dict[str, Any] = {"start": start, "end": end}

    def user(name: str, **extra: Any) -> Any:
        person = User.objects.create_user(name, f"{name}@example.org", "pw-" + name, **extra)
        found[name] = person
        return person

    district = Organisation.objects.create(name="District", slug="district", kind="school_district")
    school = Organisation.objects.create(
        name="School", slug="school", kind="school", parent=district
    )
    found.update(district=district, school=school)
    for city_name in ("alpha", "beta"):
        city = Organisation.objects.create(name=city_name.title(), slug=city_name, kind="city")
        manager = user(f"{city_name}_manager", first_name=city_name.title(), last_name="Manager")
        Membership.objects.create(user=manager, organisation=city, role="manager")
        venue = Venue.objects.create(
            organisation=city,
            name=f"{city_name} hall",
            address="1 rue",
            neighbourhood=f"{city_name}-centre",
        )
        for visibility in ("public", "private"):
            campaign = Campaign.objects.create(
                organisation=city,
                name=f"{city_name} {visibility}",
                slug=f"{city_name}-{visibility}",
                kind="data",
                starts_on=start,
                ends_on=end,
                visibility=visibility,
            )
            event = Event.objects.create(
                campaign=campaign,
                title=f"{city_name} {visibility} workshop",
                kind="workshop",
                venue=venue,
                starts_at=_aware(start, 14),
                ends_at=_aware(start, 16),
                capacity=3,
                registration_open=True,
            )
            point = CollectionPoint.objects.create(
                campaign=campaign,
                name=f"{city_name} {visibility} point",
                address="2 rue",
                neighbourhood=f"{city_name}-centre",
                opening_hours="9-18",
                accepted_items=["phones"],
                starts_on=start,
                ends_on=end,
            )
            found[f"{city_name}_{visibility}"] = campaign
            found[f"{city_name}_{visibility}_event"] = event
            found[f"{city_name}_{visibility}_point"] = point
        Registration.objects.create(
            event=found[f"{city_name}_private_event"],
            name="Resident",
            email=f"resident@{city_name}.example",
            confirmed_at=timezone.now(),
        )
        found[city_name] = city
        found[f"{city_name}_venue"] = venue
        found[f"{city_name}_resource"] = Resource.objects.create(
            organisation=city,
            title=f"{city_name} private guide",
            theme="data",
            url="https://example.org/guide",
            visibility="private",
        )
    district_manager = user("district_manager")
    Membership.objects.create(user=district_manager, organisation=district, role="manager")
    facilitator = user("alpha_facilitator", first_name="Fay", last_name="Cilitator")
    Membership.objects.create(user=facilitator, organisation=found["alpha"], role="facilitator")
    found["alpha_private_event"].facilitators.add(facilitator)
    found["school_campaign"] = Campaign.objects.create(
        organisation=school,
        name="School operation",
        slug="school-op",
        kind="reuse",
        starts_on=start,
        ends_on=end,
        visibility="private",
    )
    user("staff", is_staff=True)
    user("nobody")
    return found


def _aware(day: dt.date, hour: int) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def login(client: Any, world: dict[str, Any]) -> Any:
    """``login("alpha_manager")`` signs the test client in as that person."""

    def sign_in(name: str) -> Any:
        client.force_login(world[name])
        return client

    return sign_in


@pytest.fixture
def parse() -> Any:
    """``parse(response)``: the page as a browser parses it (html5lib), to assert on structure."""
    from bs4 import BeautifulSoup

    def parse_page(response: Any) -> Any:
        return BeautifulSoup(response.content, "html5lib")

    return parse_page


@pytest.fixture
def run_tasks(db: None) -> Any:
    """``run_tasks()`` runs every background task that is due, as the worker would.

    It claims and runs them one by one with django-tasks-db's own worker code, inside the
    test's transaction (the worker's loop would close the test's connection). Returns
    the task results it ran.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    def run(limit: int = 200) -> list[Any]:
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="tests",
            excluded_queue_names=[],
        )
        ran = []
        for _ in range(limit):
            with exclusive_transaction():
                found = DBTaskResult.objects.ready().get_locked()
                if found is None:
                    break
                found.claim("tests")
            worker.run_task(found)
            found.refresh_from_db()
            ran.append(found)
        return ran

    return run


@pytest.fixture
def sent_mail(run_tasks: Any) -> Any:
    """``sent_mail()``: run the queue, then return the mails Django's test outbox received."""
    from django.core import mail

    def deliver() -> list[Any]:
        run_tasks()
        return list(mail.outbox)

    return deliver


# --- a real SMTP server --------------------------------------------------------------------


@pytest.fixture
def smtp(settings: Any) -> Iterator[Any]:
    """A real local SMTP server, and the platform's settings pointing at it."""
    from tests.platform.smtp_sink import SmtpSink

    sink = SmtpSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_TIMEOUT = 10
    try:
        yield sink
    finally:
        sink.stop()
