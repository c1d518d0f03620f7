"""No manager reads or changes another organisation's private data; facilitators change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from menage.platform.organisations import permissions

pytestmark = pytest.mark.django_db


def test_managers_manage_their_organisation_and_its_children(world):
    assert permissions.managed_organisation_ids(world["alpha_manager"]) == {world["alpha"].pk}
    district_ids = permissions.managed_organisation_ids(world["district_manager"])
    assert district_ids == {world["district"].pk, world["school"].pk}
    assert permissions.managed_organisation_ids(world["alpha_facilitator"]) == set()
    assert permissions.managed_organisation_ids(world["nobody"]) == set()
    everything = permissions.managed_organisation_ids(world["staff"])
    assert {world["alpha"].pk, world["beta"].pk, world["school"].pk} <= everything


def test_an_inactive_manager_manages_nothing(world):
    world["alpha_manager"].is_active = False
    world["alpha_manager"].save()
    assert permissions.managed_organisation_ids(world["alpha_manager"]) == set()


# pages of beta's private content, as seen by alpha's people
PRIVATE_READS = [
    pytest.param(
        lambda w: reverse("campaigns:detail", args=[w["beta_private"].slug]), id="campaign"
    ),
    pytest.param(lambda w: reverse("campaigns:ical", args=[w["beta_private"].slug]), id="ical"),
    pytest.param(lambda w: reverse("events:detail", args=[w["beta_private_event"].pk]), id="event"),
    pytest.param(
        lambda w: reverse("events:register", args=[w["beta_private_event"].pk]), id="register"
    ),
    pytest.param(
        lambda w: reverse("collection:detail", args=[w["beta_private_point"].pk]), id="point"
    ),
    pytest.param(
        lambda w: reverse("resources:detail", args=[w["beta_resource"].pk]), id="resource"
    ),
    pytest.param(
        lambda w: reverse("space:registrations", args=[w["beta_private_event"].pk]),
        id="registrations",
    ),
    pytest.param(
        lambda w: reverse("space:campaign_edit", args=[w["beta_private"].slug]), id="edit-campaign"
    ),
    pytest.param(
        lambda w: reverse("space:event_edit", args=[w["beta_private_event"].pk]), id="edit-event"
    ),
    pytest.param(
        lambda w: reverse("space:point_edit", args=[w["beta_private_point"].pk]), id="edit-point"
    ),
    pytest.param(lambda w: reverse("space:venue_edit", args=[w["beta_venue"].pk]), id="edit-venue"),
    pytest.param(
        lambda w: reverse("space:resource_edit", args=[w["beta_resource"].pk]), id="edit-resource"
    ),
    pytest.param(
        lambda w: reverse("space:event_create", args=[w["beta_private"].slug]), id="add-event"
    ),
    pytest.param(
        lambda w: reverse("space:point_create", args=[w["beta_private"].slug]), id="add-point"
    ),
]


@pytest.mark.parametrize("url", PRIVATE_READS)
@pytest.mark.parametrize(
    "who", ["alpha_manager", "alpha_facilitator", "district_manager", "nobody"]
)
def test_nobody_outside_beta_reaches_its_private_pages(world, login, url, who):
    response = login(who).get(url(world))
    assert response.status_code == 404
    assert b"beta private" not in response.content


@pytest.mark.parametrize("url", PRIVATE_READS[:6])
def test_anonymous_visitors_do_not_see_private_pages(world, client, url):
    assert client.get(url(world)).status_code == 404


def test_private_content_is_missing_from_public_lists(world, client, login):
    for page in ("campaigns:list", "events:agenda", "collection:list", "resources:list"):
        assert b"beta private" not in client.get(reverse(page)).content
        assert b"beta private" not in login("alpha_manager").get(reverse(page)).content
    assert b"beta public" in client.get(reverse("campaigns:list")).content
    assert b"beta private" in login("beta_manager").get(reverse("campaigns:list")).content


def test_a_manager_cannot_change_another_organisations_content(world, login):
    client = login("alpha_manager")
    campaign = world["beta_public"]
    response = client.post(
        reverse("space:campaign_edit", args=[campaign.slug]),
        {
            "organisation": world["alpha"].pk,
            "name": "taken over",
            "slug": campaign.slug,
            "kind": "data",
            "starts_on": "2030-01-01",
            "ends_on": "2030-01-02",
            "visibility": "public",
        },
    )
    assert response.status_code == 404
    campaign.refresh_from_db()
    assert campaign.name == "beta public" and campaign.organisation == world["beta"]
    for name, obj in (
        ("space:event_delete", "beta_public_event"),
        ("space:point_delete", "beta_public_point"),
        ("space:resource_delete", "beta_resource"),
    ):
        assert client.post(reverse(name, args=[world[obj].pk])).status_code == 404
        assert type(world[obj]).objects.filter(pk=world[obj].pk).exists()


def test_a_manager_cannot_create_content_in_another_organisation(world, login):
    client = login("alpha_manager")
    response = client.post(
        reverse("space:campaign_create"),
        {
            "organisation": world["beta"].pk,
            "name": "Sneaky",
            "slug": "sneaky",
            "kind": "data",
            "starts_on": "2030-01-01",
            "ends_on": "2030-01-02",
            "visibility": "public",
        },
    )
    assert response.status_code == 400
    assert not world["beta"].campaigns.filter(slug="sneaky").exists()
    response = client.post(
        reverse("space:venue_create"),
        {
            "organisation": world["beta"].pk,
            "name": "Sneaky hall",
            "address": "x",
            "neighbourhood": "y",
        },
    )
    assert response.status_code == 400


def test_event_form_offers_only_own_venues_and_people(world, login):
    response = login("alpha_manager").get(
        reverse("space:event_create", args=[world["alpha_public"].slug])
    )
    assert b"alpha hall" in response.content
    assert b"beta hall" not in response.content
    assert b"Beta Manager" not in response.content


def test_district_manager_manages_the_schools_operation(world, login):
    client = login("district_manager")
    url = reverse("space:campaign_edit", args=[world["school_campaign"].slug])
    assert client.get(url).status_code == 200
    assert login("alpha_manager").get(url).status_code == 404


def test_registrations_are_for_managers_and_the_events_facilitators(world, login, client):
    url = reverse("space:registrations", args=[world["alpha_private_event"].pk])
    assert b"resident@alpha.example" in login("alpha_manager").get(url).content
    assert b"resident@alpha.example" in login("alpha_facilitator").get(url).content
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_facilitator_changes_nothing(world, login):
    client = login("alpha_facilitator")
    assert (
        client.get(reverse("space:campaign_edit", args=[world["alpha_public"].slug])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("space:event_delete", args=[world["alpha_public_event"].pk])
        ).status_code
        == 404
    )
    assert client.get(reverse("space:campaign_create")).status_code == 404
    # but facilitators read their organisation's private campaign
    assert (
        client.get(reverse("campaigns:detail", args=[world["alpha_private"].slug])).status_code
        == 200
    )


def test_the_django_admin_is_for_staff_only(world, login):
    assert login("alpha_manager").get("/admin/").status_code == 302
    assert login("staff").get("/admin/").status_code == 200


def test_the_api_never_shows_private_campaigns(world, client):
    slugs = {c["slug"] for c in client.get("/api/campaigns").json()["items"]}
    assert "alpha-public" in slugs and "alpha-private" not in slugs
    assert client.get("/api/campaigns/alpha-private").status_code == 404
    assert client.get("/api/campaigns/alpha-private/events").status_code == 404


def test_managers_see_their_members_only(world, login, parse):
    page = parse(login("district_manager").get(reverse("space:members")))
    assert "Members" in page.get_text() or "Membres" in page.get_text()
    text = page.get_text()
    assert "alpha_facilitator" not in text and "Cilitator" not in text
    page = parse(login("alpha_manager").get(reverse("space:members")))
    assert "Fay Cilitator" in page.get_text()
    assert "Beta Manager" not in page.get_text()
