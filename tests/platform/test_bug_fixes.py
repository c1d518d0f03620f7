"""The bugs listed in issue 16, each checked where it was seen."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from tests.platform.test_space_forms import errors_of, point_data

pytestmark = pytest.mark.django_db


def test_page_titles_hold_no_markup(world, login, parse):
    manager = login("alpha_manager")
    for url in (
        world["alpha_public_event"].get_absolute_url(),
        world["alpha_public_point"].get_absolute_url(),
        reverse("resources:detail", args=[world["alpha_resource"].pk]),
    ):
        title = parse(manager.get(url)).title.string
        assert "<" not in title and "Modifier" not in title, (url, title)


def test_no_dashes_for_an_empty_choice(world, login):
    manager = login("alpha_manager")
    slug = world["alpha_public"].slug
    for url in (
        reverse("space:campaign_create"),
        reverse("space:event_create", args=[slug]),
        reverse("space:venue_create"),
        reverse("space:resource_create"),
        reverse("space:point_create", args=[slug]),
        reverse("space:members"),
    ):
        assert "---------" not in manager.get(url).content.decode(), url


def test_one_error_once_on_the_collection_point_form(world, login, parse):
    response = login("alpha_manager").post(
        reverse("space:point_create", args=[world["alpha_public"].slug]),
        point_data(world, schedule=""),
    )
    page = parse(response)
    assert errors_of(page) == ["id_schedule"]
    assert len(page.select(".error")) == 1


def test_purge_speaks_the_active_language(world):
    out = StringIO()
    call_command("purge_registrations", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "0 inscription serait supprimée."  # French: 0 is singular


def test_the_event_form_is_no_dead_end_without_a_venue(world, login, parse):
    """The school has no venue yet: the event form says so and leads to the venue form and back."""
    manager = login("district_manager")
    event_form = reverse("space:event_create", args=[world["school_campaign"].slug])
    page = parse(manager.get(event_form))
    assert page.find("h1").get_text() == "Ajoutez d'abord un lieu"
    link = page.select_one("main a.button")["href"]
    assert link == f"{reverse('space:venue_create')}?next={event_form}"
    added = manager.post(
        link,
        {
            "organisation": world["school"].pk,
            "name": "Préau",
            "address": "3 rue des Écoles",
            "town": "",
            "neighbourhood": "Centre",
            "accessibility": "",
        },
    )
    assert added.status_code == 302 and added["Location"] == event_form
    assert parse(manager.get(event_form)).find("select", {"name": "venue"}) is not None


def test_the_venue_form_goes_back_only_to_this_site(world, login):
    manager = login("alpha_manager")
    for elsewhere in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        added = manager.post(
            f"{reverse('space:venue_create')}?next={elsewhere}",
            {
                "organisation": world["alpha"].pk,
                "name": "Salle",
                "address": "4 rue",
                "town": "",
                "neighbourhood": "Nord",
                "accessibility": "",
            },
        )
        assert added.status_code == 302 and added["Location"] == reverse("space:home"), elsewhere
