"""The JSON API: public campaigns, their events and collection points (read only).

Private campaigns never appear here: the API has no session authentication, so it
answers as an anonymous visitor would. The OpenAPI document is at ``/api/openapi.json``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema

from menage.platform.campaigns.models import Campaign
from menage.platform.collection.models import CollectionPoint
from menage.platform.core.visibility import Visibility
from menage.platform.events.models import Event

api = NinjaAPI(title="Ménage", version="1", urls_namespace="api", docs_url=None)


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
    accessibility: str


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


def _campaign(campaign: Campaign) -> CampaignOut:
    return CampaignOut(
        slug=campaign.slug,
        name=campaign.name,
        kind=campaign.kind,
        organisation=campaign.organisation.name,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        audience=campaign.audience,
        description=campaign.description,
        part_of=campaign.part_of.slug
        if campaign.part_of and campaign.part_of_approved and campaign.part_of.is_public
        else None,
    )


@api.get("/campaigns", response=list[CampaignOut], url_name="campaigns")
def campaigns(request: HttpRequest) -> list[CampaignOut]:
    return [_campaign(c) for c in _public()]


@api.get("/campaigns/{slug}", response=CampaignOut, url_name="campaign")
def campaign(request: HttpRequest, slug: str) -> CampaignOut:
    return _campaign(get_object_or_404(_public(), slug=slug))


@api.get("/campaigns/{slug}/events", response=list[EventOut], url_name="campaign_events")
def campaign_events(request: HttpRequest, slug: str) -> list[EventOut]:
    found = get_object_or_404(_public(), slug=slug)
    events = Event.objects.filter(campaign=found).select_related("venue")
    return [
        EventOut(
            id=e.pk,
            title=e.title,
            kind=e.kind,
            starts_at=e.starts_at,
            ends_at=e.ends_at,
            venue=e.venue.name,
            address=e.venue.address,
            neighbourhood=e.venue.neighbourhood,
            audience=e.audience,
            capacity=e.capacity,
            registration_open=e.registration_open,
            accessibility="\n".join(p for p in (e.venue.accessibility, e.accessibility) if p),
        )
        for e in events
    ]


@api.get(
    "/campaigns/{slug}/collection-points",
    response=list[CollectionPointOut],
    url_name="campaign_points",
)
def campaign_points(request: HttpRequest, slug: str) -> list[CollectionPointOut]:
    found = get_object_or_404(_public(), slug=slug)
    return [
        CollectionPointOut(
            id=p.pk,
            name=p.name,
            address=p.address,
            neighbourhood=p.neighbourhood,
            opening_hours=p.opening_hours,
            accepted_items=list(p.accepted_items),
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            latitude=float(p.latitude) if p.latitude is not None else None,
            longitude=float(p.longitude) if p.longitude is not None else None,
        )
        for p in CollectionPoint.objects.filter(campaign=found)
    ]
