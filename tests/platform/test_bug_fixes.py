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
