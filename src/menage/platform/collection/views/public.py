"""Public pages: collection points by neighbourhood, and one page per point."""

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
        "campaign"
    )


def point_list(request: HttpRequest) -> HttpResponse:
    points = visible_points(request.user).filter(ends_on__gte=timezone.localdate())
    item = request.GET.get("item", "")
    if item in Item.values:
        # JSON "contains" is not portable to SQLite: filter the (short) list in Python
        chosen = [point for point in points if item in point.accepted_items]
    else:
        chosen = list(points)
    neighbourhoods = [
        (name, list(group)) for name, group in groupby(chosen, key=lambda p: p.neighbourhood)
    ]
    return render(
        request,
        "collection/list.html",
        {
            "neighbourhoods": neighbourhoods,
            "items": Item.choices,
            "item": item,
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
            "can_manage": can_manage(request.user, point.campaign.organisation_id),
            "section": "collection",
        },
    )
