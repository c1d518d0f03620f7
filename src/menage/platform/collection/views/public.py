"""Public pages: collection points by town and neighbourhood, filtered by item and by
"open now"; one page per point."""

from __future__ import annotations

from itertools import groupby

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from menage.platform.campaigns.queries import visible_campaign_ids
from menage.platform.collection.models import CollectionPoint, Item
from menage.platform.organisations.permissions import can_manage


def visible_points(user: object) -> QuerySet[CollectionPoint]:
    return CollectionPoint.objects.filter(campaign__in=visible_campaign_ids(user)).select_related(
        "campaign", "campaign__organisation"
    )


def point_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    points = (
        visible_points(request.user)
        .filter(ends_on__gte=timezone.localdate())
        .order_by("town", "neighbourhood", "name")
    )
    towns = sorted(set(points.exclude(town="").values_list("town", flat=True)))
    town = request.GET.get("town", "")
    if town:
        points = points.filter(town=town)
    item = request.GET.get("item", "")
    open_now = request.GET.get("open") == "now"
    # JSON "contains" is not portable to SQLite: filter the (short) list in Python
    chosen = [
        point
        for point in points
        if (item not in Item.values or item in point.accepted_items)
        and (not open_now or point.is_open(now))
    ]
    places = [
        (place, list(group))
        for place, group in groupby(
            chosen, key=lambda p: f"{p.town} — {p.neighbourhood}" if p.town else p.neighbourhood
        )
    ]
    return render(
        request,
        "collection/list.html",
        {
            "places": places,
            "items": Item.choices,
            "item": item,
            "towns": towns,
            "town": town,
            "open_now": open_now,
            "now": now,
            "section": "collection",
        },
    )


def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_object_or_404(visible_points(request.user), pk=pk)
    return render(
        request,
        "collection/detail.html",
        {
            "point": point,
            "open_now": point.is_open(timezone.now()),
            "can_manage": can_manage(request.user, point.campaign.organisation_id),
            "theme": point.campaign.organisation,
            "section": "collection",
        },
    )
