"""The home page and the site's fixed pages (accessibility statement, privacy)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from menage.platform.campaigns.queries import visible_campaigns
from menage.platform.collection.views.public import visible_points
from menage.platform.events.queries import visible_events


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "core/home.html",
        {
            "campaigns": visible_campaigns(request.user)
            .filter(ends_on__gte=today, part_of__isnull=True)
            .order_by("starts_on")[:6],
            "events": visible_events(request.user).filter(ends_at__gte=timezone.now())[:5],
            "point_count": visible_points(request.user).filter(ends_on__gte=today).count(),
            "section": "home",
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html", {"section": "accessibility"})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/privacy.html",
        {"retention_days": settings.MENAGE_REGISTRATION_RETENTION_DAYS, "section": "privacy"},
    )
