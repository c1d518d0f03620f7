"""The dashboards of the measures API: figures, days, impact ranges, minimum group, access."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

DISTRICT_WEEK = "cyber-menage-ecoles-du-val"


@pytest.fixture
def demo(db: None) -> Any:
    from menage.platform.campaigns.models import Campaign
    from menage.platform.core.demo import load_demo

    load_demo()
    return Campaign.objects.get(slug=DISTRICT_WEEK)


def test_campaign_dashboard_adds_up(client, demo):
    answer = client.get(f"/api/v1/dashboards/campaigns/{DISTRICT_WEEK}")
    assert answer.status_code == 200
    data = answer.json()
    figures = data["figures"]
    assert data["shown"] and figures["moved_bytes"] == 10_970_000_000_000 + 730_570_000_000
    assert figures["participants"] == 72
    assert figures["days"][-1]["cumulative_moved_bytes"] == figures["moved_bytes"]
    assert sum(day["moved_bytes"] for day in figures["days"]) == figures["moved_bytes"]
    assert sum(day["participants"] for day in figures["days"]) == 72
    assert sum(figures["by_channel"].values()) == figures["moved_bytes"]
    kg = figures["impact"]["avoided_kgco2e"]
    assert 0 < kg["low"] <= kg["central"] <= kg["high"]
    assert {m["key"] for m in figures["impact"]["method"]} == {"storage_cloud", "storage_local"}
    groups = {group["slug"]: group for group in data["groups"]}
    assert groups["direction-academique-du-val"]["figures"]["moved_bytes"] == 10_970_000_000_000
    # three participations: no figure for that school, not even its count
    assert groups["ecole-des-tilleuls"] == {
        "organisation": "École élémentaire des Tilleuls", "slug": "ecole-des-tilleuls",
        "shown": False, "figures": None,
    }  # fmt: skip
    assert "review" not in data  # organisers only


def test_under_the_minimum_no_figure_at_all(client, demo, settings):
    settings.MENAGE_MEASURES_MIN_GROUP = 1000
    data = client.get(f"/api/v1/dashboards/campaigns/{DISTRICT_WEEK}").json()
    assert data["shown"] is False and data["figures"] is None
    assert all(group["figures"] is None for group in data["groups"])
    org = client.get("/api/v1/dashboards/organisations/direction-academique-du-val").json()
    assert org["figures"] is None and all(c["figures"] is None for c in org["campaigns"])


def test_organisation_dashboard_rolls_up_its_schools(client, demo):
    from menage.platform.measures.models import Submission

    answer = client.get("/api/v1/dashboards/organisations/direction-academique-du-val")
    assert answer.status_code == 200
    data = answer.json()
    assert data["figures"]["moved_bytes"] == 10_970_000_000_000 + 730_570_000_000
    slugs = {group["slug"]: group for group in data["groups"]}
    assert set(slugs) >= {"direction-academique-du-val", "college-jean-moulin"}
    school = client.get("/api/v1/dashboards/organisations/college-jean-moulin").json()
    expected = sum(
        Submission.objects.filter(
            organisation__slug="college-jean-moulin", current=True, status="accepted"
        ).values_list("moved_bytes", flat=True)
    )
    assert school["figures"]["moved_bytes"] == expected
    assert [c["slug"] for c in school["campaigns"]] == [DISTRICT_WEEK]


def test_organisers_get_the_review_counts(client, demo):
    from django.contrib.auth import get_user_model

    from menage.platform.organisations.models import Membership, Organisation

    district = Organisation.objects.get(slug="direction-academique-du-val")
    user = get_user_model().objects.create_user("orga-dash", password="x" * 16)
    Membership.objects.create(user=user, organisation=district, role="manager")
    client.force_login(user)
    data = client.get(f"/api/v1/dashboards/campaigns/{DISTRICT_WEEK}").json()
    assert data["review"]["statuses"]["pending_review"] == 1
    assert data["review"]["statuses"]["accepted"] == 72
    org = client.get("/api/v1/dashboards/organisations/direction-academique-du-val").json()
    assert org["review"]["statuses"]["accepted"] == 72
    assert "review" not in client.get("/api/v1/dashboards/organisations/ville-de-montclair").json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/dashboards/campaigns/nope",
        "/api/v1/dashboards/campaigns/x'%20OR%201=1",
        "/api/v1/dashboards/campaigns/%3Cscript%3E",
        "/api/v1/dashboards/organisations/nope",
        "/api/v1/dashboards/organisations/" + "a" * 200,
    ],
)
def test_unknown_names_answer_404_in_json(client, demo, path):
    answer = client.get(path)
    assert answer.status_code == 404 and answer.json()["error"].startswith("unknown_")


def test_a_private_campaign_is_not_shown_to_strangers(client, world):
    private = world["alpha_private"]
    url = f"/api/v1/dashboards/campaigns/{private.slug}"
    assert client.get(url).status_code == 404
    client.force_login(world["alpha_manager"])
    assert client.get(url).status_code == 200


def test_dashboards_are_read_only(client, demo):
    url = f"/api/v1/dashboards/campaigns/{DISTRICT_WEEK}"
    assert client.post(url, {}).status_code == 405


def test_public_organisation_dashboards_are_kept_a_few_seconds_signed_in_ones_are_fresh(
    client, demo, settings
):
    """An organisation's figures span campaigns: kept a few seconds for anonymous readers.
    (A campaign's are exact and cached on its last ids: test_measures_cache.py.)"""
    from django.core.cache import cache

    from menage.platform.measures.models import Submission

    cache.clear()
    settings.MENAGE_DASHBOARD_CACHE_SECONDS = 60
    url = "/api/v1/dashboards/organisations/direction-academique-du-val"
    before = client.get(url).json()["figures"]["participants"]
    Submission.objects.filter(current=True, status="accepted").update(status="rejected")
    assert client.get(url).json()["figures"]["participants"] == before  # kept
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("reader", password="x" * 16))
    assert client.get(url).json()["figures"] is None  # fresh: nothing accepted any more
    cache.clear()
