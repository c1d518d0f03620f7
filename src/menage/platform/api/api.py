"""The JSON API: public campaigns, their events and collection points (read only).

Private campaigns never appear here: the API has no session authentication, so it
answers as an anonymous visitor would. Lists are paginated (``?limit=`` up to 100,
``?offset=``) and answer ``{"items": [...], "count": N}``. The OpenAPI document is at
``/api/openapi.json``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from menage.platform.campaigns.models import Campaign
from menage.platform.collection.models import CollectionPoint
from menage.platform.core.visibility import Visibility
from menage.platform.events.models import Event

api = NinjaAPI(title="Ménage", version="1", urls_namespace="api", docs_url=None)
MAX_LIMIT = 100


class CampaignOut(Schema):
    slug: str
    name: str
    kind: str
    organisation: str
    starts_on: dt.date
    ends_on: dt.date
    audience: str
    description: str
    part_of: str | None

    @staticmethod
    def resolve_organisation(campaign: Campaign) -> str:
        return campaign.organisation.name

    @staticmethod
    def resolve_part_of(campaign: Campaign) -> str | None:
        wider = campaign.part_of
        if wider is None or not campaign.part_of_approved or not wider.is_public:
            return None
        return wider.slug


class EventOut(Schema):
    id: int
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    address: str
    neighbourhood: str
    audience: str
    capacity: int | None
    registration_open: bool
    cancelled: bool
    accessibility: str

    @staticmethod
    def resolve_venue(event: Event) -> str:
        return event.venue.name

    @staticmethod
    def resolve_address(event: Event) -> str:
        return event.venue.address

    @staticmethod
    def resolve_neighbourhood(event: Event) -> str:
        return event.venue.neighbourhood

    @staticmethod
    def resolve_cancelled(event: Event) -> bool:
        return event.is_cancelled

    @staticmethod
    def resolve_accessibility(event: Event) -> str:
        return "\n".join(p for p in (event.venue.accessibility, event.accessibility) if p)


class CollectionPointOut(Schema):
    id: int
    name: str
    address: str
    neighbourhood: str
    opening_hours: str
    accepted_items: list[str]
    starts_on: dt.date
    ends_on: dt.date
    latitude: float | None
    longitude: float | None


def _public() -> QuerySet[Campaign]:
    return Campaign.objects.filter(visibility=Visibility.PUBLIC).select_related(
        "organisation", "part_of"
    )


@api.get("/campaigns", response=list[CampaignOut], url_name="campaigns")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def campaigns(request: HttpRequest) -> QuerySet[Campaign]:
    return _public().order_by("-starts_on", "pk")


@api.get("/campaigns/{slug}", response=CampaignOut, url_name="campaign")
def campaign(request: HttpRequest, slug: str) -> Campaign:
    return get_object_or_404(_public(), slug=slug)


@api.get("/campaigns/{slug}/events", response=list[EventOut], url_name="campaign_events")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def campaign_events(request: HttpRequest, slug: str) -> QuerySet[Event]:
    found = get_object_or_404(_public(), slug=slug)
    return Event.objects.filter(campaign=found).select_related("venue").order_by("starts_at", "pk")


@api.get(
    "/campaigns/{slug}/collection-points",
    response=list[CollectionPointOut],
    url_name="campaign_points",
)
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def campaign_points(request: HttpRequest, slug: str) -> QuerySet[CollectionPoint]:
    found = get_object_or_404(_public(), slug=slug)
    return CollectionPoint.objects.filter(campaign=found).order_by("name", "pk")
