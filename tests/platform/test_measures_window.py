"""The freshness window of the campaigns' figures (measures/window.py): within it a
worker answers without a query, its own posts and reviews show at once, another
worker's (a row written without this worker knowing) show once the window has passed;
``MENAGE_MEASURES_FRESHNESS=0`` checks the database on every read.

The window's clock is the ``measures_clock`` fixture (tests/platform/conftest.py): it
only moves when a test moves it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from tests.platform.measures_week import add_operation, open_week, shown
from tests.platform.measures_week import send as post_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(world: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The alpha city's public campaign, open today, with a poster code."""
    return open_week(world, settings, "WINDOW23")


def send(key: str, moved: int, code: str = "WINDOW23") -> Any:
    return post_submission(key, moved, code)


def elsewhere(code: Any, key: str, moved: int) -> None:
    """A submission stored by another worker: a row this worker hears nothing of
    (``bulk_create`` sends no signal)."""
    from menage.platform.measures.models import Submission

    Submission.objects.bulk_create(
        [Submission(code=code, campaign_id=code.campaign_id, key=key.ljust(16, "-"),
                    status="accepted", since=dt.date.today(), channel="computer",
                    moved_files=1, moved_bytes=moved)]
    )  # fmt: skip


def moved(campaign: Any) -> int:
    from menage.platform.measures.aggregates import counted

    return counted(campaign).total.moved_bytes


def test_within_the_window_the_figures_cost_no_query(week, django_assert_num_queries):
    from menage.platform.measures.aggregates import counted

    assert send("first", 5_000).status_code == 201
    figures = counted(week["campaign"])  # checked against the database: the window opens
    with django_assert_num_queries(0):
        assert counted(week["campaign"]) is figures
        assert moved(week["campaign"]) == 5_000


def test_the_window_makes_a_read_of_the_page_and_the_api_cheaper(
    week, client, django_assert_max_num_queries
):
    assert send("first", 5_000).status_code == 201
    counter = f"/campagnes/{week['slug']}/mesures/"
    api = f"/api/v1/dashboards/campaigns/{week['slug']}"
    assert client.get(counter).status_code == 200
    # the campaign and the names: not the figures' version
    for path in (counter, api):
        with django_assert_max_num_queries(3) as read:
            assert client.get(path).status_code == 200
        assert not any("measures_submission" in q["sql"] for q in read.captured_queries)


def test_a_post_to_this_worker_shows_at_once(week):
    assert send("first", 5_000).status_code == 201
    assert shown(week["slug"]) == 5_000
    assert send("second", 7_000).status_code == 201
    assert shown(week["slug"]) == 12_000
    assert send("first", 1_000).status_code == 200  # a correction
    assert shown(week["slug"]) == 8_000


def test_a_post_from_the_form_shows_at_once(week):
    client = Client()
    assert shown(week["slug"]) == 0
    posted = client.post(
        "/mesures/WINDOW23/data/", {"key": "f" * 32, "where": "phone", "gigabytes": "2"}
    )
    assert posted.status_code == 302, posted.content[:500]
    assert shown(week["slug"]) == 2 * 10**9


def test_another_workers_post_shows_once_the_window_has_passed(week, measures_clock):
    assert send("first", 5_000).status_code == 201
    assert moved(week["campaign"]) == 5_000
    elsewhere(week["code"], "other-worker", 3_000)
    measures_clock.advance(0.99)
    assert moved(week["campaign"]) == 5_000  # up to a second old, as documented
    measures_clock.advance(0.01)
    assert moved(week["campaign"]) == 8_000
    # the window opened again from that check
    elsewhere(week["code"], "other-again", 1_000)
    assert moved(week["campaign"]) == 8_000
    measures_clock.advance()
    assert moved(week["campaign"]) == 9_000


def test_the_window_has_the_length_set(week, measures_clock, settings):
    settings.MENAGE_MEASURES_FRESHNESS = 5.0
    assert moved(week["campaign"]) == 0
    elsewhere(week["code"], "other-worker", 3_000)
    measures_clock.advance(4.9)
    assert moved(week["campaign"]) == 0
    measures_clock.advance(0.1)
    assert moved(week["campaign"]) == 3_000


def test_no_window_checks_the_database_on_every_read(week, settings, django_assert_max_num_queries):
    """``MENAGE_MEASURES_FRESHNESS=0``: the behaviour before the window."""
    settings.MENAGE_MEASURES_FRESHNESS = 0
    assert moved(week["campaign"]) == 0
    elsewhere(week["code"], "other-worker", 3_000)
    assert moved(week["campaign"]) == 3_000
    with django_assert_max_num_queries(3) as read:  # the version, in its snapshot
        assert moved(week["campaign"]) == 3_000
    assert any("measures_submission" in q["sql"] for q in read.captured_queries)


def test_a_rejection_in_this_worker_shows_at_once_on_the_counter(week, login, parse):
    from menage.platform.measures.models import Submission

    assert send("kept", 5_000).status_code == 201
    assert send("doubtful", 2_000).status_code == 201
    assert shown(week["slug"]) == 7_000  # the window is open
    doubtful = Submission.objects.get(key__startswith="doubtful")
    manager = login("alpha_manager")
    manager.post(
        f"/espace/envois/{doubtful.pk}/decider/", {"decision": "reject", "reason": "Doublon"}
    )
    page = parse(manager.get(f"/campagnes/{week['slug']}/mesures/"))
    assert "5,00\u00a0ko" in page.find("ul", class_="counter").get_text(" ", strip=True)


def test_a_post_to_an_operation_closes_its_parent_campaigns_window(week):
    campaign = week["campaign"]
    add_operation(campaign, "OPER2345", approved=True)
    assert moved(campaign) == 0
    assert send("school", 2_000, code="OPER2345").status_code == 201
    assert moved(campaign) == 2_000


def test_an_approval_in_this_worker_shows_at_once(week):
    """A campaign saved in this worker (an operation approved) closes every window."""
    campaign = week["campaign"]
    operation = add_operation(campaign, "OPER2345")
    assert send("school", 2_000, code="OPER2345").status_code == 201
    assert moved(campaign) == 0  # not approved yet
    operation.part_of_approved = True
    operation.save()
    assert moved(campaign) == 2_000


def test_changed_dates_are_read_again_within_the_window(week):
    """The campaign read by the view carries its dates: other dates, other figures."""
    from menage.platform.campaigns.models import Campaign

    campaign = week["campaign"]
    first = moved(campaign)
    later = campaign.starts_on - dt.timedelta(days=2)
    Campaign.objects.filter(pk=campaign.pk).update(starts_on=later)
    changed = Campaign.objects.get(pk=campaign.pk)
    from menage.platform.measures.aggregates import counted

    assert counted(changed).total.start == later and first == 0


def test_a_write_during_a_check_opens_no_window(week, measures_clock):
    """A check that a write of this worker overlapped may have read the rows before it:
    the next read checks again (a threaded worker)."""
    from menage.platform.measures import window

    started = window.start()
    window.wrote(week["campaign"].pk)  # another thread stored a post meanwhile
    window.checked(week["campaign"].pk, {week["campaign"].pk}, started)
    assert not window.fresh(week["campaign"].pk)
    window.checked(week["campaign"].pk, {week["campaign"].pk}, window.start())
    assert window.fresh(week["campaign"].pk)
    window.wrote(12345)  # another campaign: this window stays open
    assert window.fresh(week["campaign"].pk)
    window.wrote(None)  # a review: every window closes
    assert not window.fresh(week["campaign"].pk)


def test_the_window_setting_reads_decimal_seconds(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from menage.platform.settings._env import env_float

    monkeypatch.setenv("MENAGE_MEASURES_FRESHNESS", "0.5")
    assert env_float("MENAGE_MEASURES_FRESHNESS", 1.0) == 0.5
    monkeypatch.setenv("MENAGE_MEASURES_FRESHNESS", "")
    assert env_float("MENAGE_MEASURES_FRESHNESS", 1.0) == 1.0
    monkeypatch.setenv("MENAGE_MEASURES_FRESHNESS", "one second")
    with pytest.raises(ImproperlyConfigured):
        env_float("MENAGE_MEASURES_FRESHNESS", 1.0)
