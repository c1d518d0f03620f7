"""The home page and the site's fixed pages: the accessibility statement (RGAA) and the
personal-data page, both made from the publishing organisation's settings."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from menage.platform.campaigns.queries import visible_campaigns
from menage.platform.collection.views.public import visible_points
from menage.platform.events.queries import visible_events
from menage.platform.events.views.agenda import end_of_week, this_week
from menage.platform.organisations.models import Organisation


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "core/home.html",
        {
            "campaigns": visible_campaigns(request.user)
            .filter(ends_on__gte=today, part_of__isnull=True)
            .order_by("starts_on", "name", "pk")[:6],
            "week": this_week(request.user)[:8],
            "events": visible_events(request.user).filter(
                starts_at__gte=end_of_week(timezone.now()), cancelled_at__isnull=True
            )[:4],
            "point_count": visible_points(request.user).filter(ends_on__gte=today).count(),
            "section": "home",
        },
    )


def publisher() -> Organisation | None:
    """The organisation that publishes the site (``MENAGE_PUBLISHER``; else the first city,
    else the first organisation): its settings make the legal pages."""
    organisations = Organisation.objects.order_by("pk")
    if settings.MENAGE_PUBLISHER:
        return organisations.filter(slug=settings.MENAGE_PUBLISHER).first()
    return organisations.filter(kind=Organisation.Kind.CITY).first() or organisations.first()


def publisher_rgaa_status() -> str:
    """The publisher's (:func:`publisher`) RGAA status, ``"none"`` without one: the footer
    of every page, so one plain query rather than the ORM's two (a city first, else any)."""
    table = connection.ops.quote_name(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        if settings.MENAGE_PUBLISHER:
            cursor.execute(
                f"SELECT rgaa_status FROM {table} WHERE slug = %s ORDER BY id LIMIT 1",
                [settings.MENAGE_PUBLISHER],
            )
        else:
            cursor.execute(
                f"SELECT rgaa_status FROM {table} ORDER BY CASE WHEN kind = %s THEN 0 ELSE 1 "
                f"END, id LIMIT 1",
                [Organisation.Kind.CITY.value],
            )
        found = cursor.fetchone()
    return str(found[0]) if found else "none"


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/accessibility.html",
        {"publisher": publisher(), "section": "accessibility"},
    )


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/privacy.html",
        {
            "publisher": publisher(),
            "retention_days": settings.MENAGE_REGISTRATION_RETENTION_DAYS,
            "hold_minutes": settings.MENAGE_HOLD_MINUTES,
            "section": "privacy",
        },
    )
