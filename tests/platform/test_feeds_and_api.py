"""The iCalendar feed and the JSON API, read back with real parsers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

pytestmark = pytest.mark.django_db


def test_the_campaign_feed_is_valid_icalendar(world, client):
    response = client.get(reverse("campaigns:ical", args=[world["alpha_public"].slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["alpha public workshop"]
    event = events[0]
    assert event.decoded("DTSTART") == world["alpha_public_event"].starts_at
    assert "alpha hall" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(world["alpha_public_event"].get_absolute_url())
    assert str(event["UID"]).startswith(f"event-{world['alpha_public_event'].pk}@")


def test_the_api_lists_public_campaigns_events_and_points(world, client):
    campaigns = client.get("/api/campaigns").json()["items"]
    assert {c["slug"] for c in campaigns} == {"alpha-public", "beta-public"}
    events = client.get("/api/campaigns/alpha-public/events").json()["items"]
    assert events[0]["title"] == "alpha public workshop" and events[0]["capacity"] == 3
    points = client.get("/api/campaigns/alpha-public/collection-points").json()["items"]
    assert points[0]["accepted_items"] == ["phones"]
    assert client.get("/api/campaigns/nope").status_code == 404


def test_the_api_publishes_its_openapi_document(client):
    document = client.get("/api/openapi.json").json()
    assert "/api/campaigns/{slug}/events" in document["paths"]


def test_the_agenda_groups_by_day_and_filters_by_neighbourhood(world, client, parse):
    page = parse(client.get(reverse("events:agenda"), {"neighbourhood": "alpha-centre"}))
    titles = [a.get_text() for a in page.select("ul.cards h3 a")]
    assert titles == ["alpha public workshop"]
    day = page.find("h2").get_text()
    # the year only when it is not this year
    assert day.endswith(str(world["start"].year)) == (world["start"].year != dt.date.today().year)
    options = [o.get_text() for o in page.find("select", id="neighbourhood").find_all("option")]
    assert "alpha-centre" in options and "beta-centre" in options


def test_collection_points_are_listed_by_neighbourhood_and_item(world, client, parse):
    page = parse(client.get(reverse("collection:list"), {"item": "phones"}))
    assert [h.get_text() for h in page.find("main").find_all("h2")] == [
        "alpha-centre",
        "beta-centre",
    ]
    page = parse(client.get(reverse("collection:list"), {"item": "printers"}))
    assert page.find("main").find_all("h2") == []
