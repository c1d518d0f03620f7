"""The measures' hot paths: what a post and a counter read cost in queries, and the
campaign figures' cache, which must follow every change of what counts (a new report, a
correction, a decision in review, an approved operation) and never let a closed code in.

Query counts, not timings: the timings live in bench/run_measures_load.py.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from tests.platform.measures_week import add_operation, open_week, shown
from tests.platform.measures_week import send as post_submission

pytestmark = pytest.mark.django_db
TB = 1000**4


@pytest.fixture
def week(world: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The alpha city's public campaign, open today, with a poster code."""
    return open_week(world, settings, "CACHE234")


def send(key: str, moved: int = 1_000, code: str = "CACHE234") -> Any:
    return post_submission(key, moved, code)


def aggregations(queries: Any) -> int:
    return sum("GROUP BY" in q["sql"] for q in queries.captured_queries)


def test_a_post_costs_one_statement_on_postgresql_two_on_sqlite(
    week, django_assert_num_queries, on_postgresql
):
    assert send("first").status_code == 201  # this worker reads the code once
    # PostgreSQL: the rate-limit upsert (both budgets) and the insert (which checks the
    # code is open and the budgets) in one statement; SQLite: the two apart
    with django_assert_num_queries(1 if on_postgresql else 2) as posted:
        assert send("second").status_code == 201
    assert sum("measures_submission" in q["sql"] for q in posted.captured_queries) == 1
    # a replay: the insert finds the key; the replacing transaction (two savepoint
    # statements inside the test's own) retires the current row if the code is still
    # open and inserts the replacement: the code is not read again
    with django_assert_num_queries(5 if on_postgresql else 6) as replay:
        assert send("second").status_code == 200
    assert not any("GROUP BY" in q["sql"] for q in replay.captured_queries)
    assert shown(week["slug"]) == 2_000


def test_a_post_statement_is_prepared_once_per_connection_on_postgresql(week, on_postgresql):
    """Django turns psycopg's preparing off; the URL's default turns it back on for the
    statements that ask (core/hotsql.py), so PostgreSQL plans the post once."""
    from django.db import connection

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    for n in range(3):
        assert send(f"prepared-{n}").status_code == 201
    if not on_postgresql:
        assert connection.vendor == "sqlite"  # nothing to see: SQLite prepares per statement
        return
    inserts = [text for text in prepared() if "measures_submission" in text]
    assert len(inserts) == 1 and "$1" in inserts[0]


def test_the_form_stores_with_the_same_single_insert(week, django_assert_max_num_queries):
    from menage.platform.measures.models import Submission

    client = Client()
    assert client.get("/mesures/CACHE234/workshop/").status_code == 200
    # the budget, the insert, and the session that carries the thank-you message
    with django_assert_max_num_queries(6) as posted:
        answer = client.post("/mesures/CACHE234/workshop/", {"key": "w" * 32, "people": 12})
    assert answer.status_code == 302
    table = Submission._meta.db_table
    assert sum(table in q["sql"] for q in posted.captured_queries) == 1
    assert shown(week["slug"]) == 0  # no bytes, but counted:
    assert (
        Client()
        .get(f"/api/v1/dashboards/campaigns/{week['slug']}")
        .json()["figures"]["people_reached"]
        == 12
    )


def test_reads_between_posts_cost_no_aggregation(week, client, django_assert_max_num_queries):
    assert send("one", 5_000).status_code == 201
    counter = f"/campagnes/{week['slug']}/mesures/"
    api = f"/api/v1/dashboards/campaigns/{week['slug']}"
    with django_assert_max_num_queries(8) as first:
        assert client.get(counter).status_code == 200
    assert aggregations(first) == 1  # one grouped query for the whole campaign
    # nothing changed: the campaign, its version (one query on indexes), the names
    with django_assert_max_num_queries(4) as again:
        assert client.get(counter).status_code == 200
    assert aggregations(again) == 0
    with django_assert_max_num_queries(4) as read:
        assert client.get(api).json()["figures"]["moved_bytes"] == 5_000
    assert aggregations(read) == 0
    # a new report moves the version: only the rows appended since are read, and added
    assert send("two", 7_000).status_code == 201
    with django_assert_max_num_queries(8) as after:
        assert client.get(api).json()["figures"]["moved_bytes"] == 12_000
    assert aggregations(after) == 0
    assert any("measures_submission" in q["sql"] for q in after.captured_queries)


def full_reading(campaign: Any) -> dict[str, Any]:
    """The campaign's API answer aggregated from scratch, the worker's cache left as it was."""
    from menage.platform.measures import aggregates
    from menage.platform.measures.api import campaign_answer

    saved = dict(aggregates._cache)
    aggregates.forget()
    try:
        return campaign_answer(campaign)
    finally:
        aggregates._cache.clear()
        aggregates._cache.update(saved)


def post(key: str, moved: int, channel: str = "computer", code: str = "CACHE234") -> Any:
    body = {"version": 1, "key": key.ljust(16, "-"), "since": dt.date.today().isoformat(),
            "channel": channel, "moved_files": 2, "moved_bytes": moved,
            "freed_bytes": moved // 2}  # fmt: skip
    return Client().post(
        f"/api/v1/campaigns/{code}/submissions", json.dumps(body), content_type="application/json"
    )


def test_figures_advanced_by_the_new_rows_equal_a_full_reading(week, world):
    """Each read after posts adds the new rows to the cached figures and takes off the rows
    they replaced: the answer is the one a full aggregation gives, step by step."""
    from menage.platform.measures.api import campaign_answer
    from menage.platform.measures.models import ParticipationCode

    campaign = week["campaign"]
    school = ParticipationCode.objects.create(
        campaign=campaign, code="SCHOOL23", organisation=world["alpha"]
    )
    steps = [
        lambda: post("first", 5_000),
        lambda: post("second", 7_000, "mail"),
        lambda: post("first", 3_000),  # a correction: the first is taken off
        lambda: post("third", 1_000, "phone", code=school.code),
        lambda: post("large", 150 * TB),  # waits for review: not counted
        lambda: post("third", 2_000, "phone", code=school.code),  # the phone channel moves
        lambda: post("second", 0, "mail"),  # a correction to zero: read again from scratch
        lambda: post("second", 4_000, "file_server"),
        lambda: post("first", 3_000),  # a replay
    ]
    campaign_answer(campaign)  # cached before the first post
    for n, step in enumerate(steps):
        assert step().status_code in (200, 201), n
        assert campaign_answer(campaign) == full_reading(campaign), n
    assert campaign_answer(campaign)["figures"]["moved_bytes"] == 3_000 + 2_000 + 4_000


def test_a_correction_replaces_the_cached_figure(week):
    assert send("corrected", 5_000).status_code == 201
    assert shown(week["slug"]) == 5_000
    assert send("corrected", 3_000).status_code == 200  # after an undo: a correction
    assert shown(week["slug"]) == 3_000


def test_a_rejection_in_review_leaves_the_counter_at_once(week, login, parse):
    from menage.platform.measures.models import Submission

    assert send("kept", 5_000).status_code == 201
    assert send("doubtful", 2_000).status_code == 201
    assert shown(week["slug"]) == 7_000  # cached now
    doubtful = Submission.objects.get(key__startswith="doubtful")
    manager = login("alpha_manager")
    answer = manager.post(
        f"/espace/envois/{doubtful.pk}/decider/", {"decision": "reject", "reason": "Doublon"}
    )
    assert answer.status_code == 302
    assert shown(week["slug"]) == 5_000
    page = parse(Client().get(f"/campagnes/{week['slug']}/mesures/"))
    assert "5,00\u00a0ko" in page.find("ul", class_="counter").get_text(" ", strip=True)
    # and back: accepted again, counted again
    manager.post(f"/espace/envois/{doubtful.pk}/decider/", {"decision": "accept"})
    assert shown(week["slug"]) == 7_000


def test_a_report_accepted_in_review_joins_the_counter(week, login):
    from menage.platform.measures.models import Submission

    assert send("small", 5_000).status_code == 201
    large = send("large", 150 * TB)
    assert large.status_code == 201 and large.json()["status"] == "pending_review"
    assert shown(week["slug"]) == 5_000
    row = Submission.objects.get(key__startswith="large")
    login("alpha_manager").post(f"/espace/envois/{row.pk}/decider/", {"decision": "accept"})
    assert shown(week["slug"]) == 5_000 + 150 * TB


def test_an_approved_operation_joins_the_cached_counter(week, measures_clock):
    from menage.platform.campaigns.models import Campaign

    campaign = week["campaign"]
    operation = add_operation(campaign, "OPER2345")
    assert send("main", 5_000).status_code == 201
    assert send("school", 2_000, code="OPER2345").status_code == 201
    assert shown(week["slug"]) == 5_000  # not approved yet
    # approved by another worker (no signal here): shown once this worker's window passed
    Campaign.objects.filter(pk=operation.pk).update(part_of_approved=True)
    assert shown(week["slug"]) == 5_000
    measures_clock.advance()
    assert shown(week["slug"]) == 7_000


def test_a_code_closed_by_another_worker_is_refused_at_once(week):
    """This worker keeps the code a few seconds; the insert checks the code and the
    campaign at that instant, so a close made elsewhere (no signal here) holds."""
    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures.models import ParticipationCode, Submission

    assert send("before", 5_000).status_code == 201  # the code is cached, open
    ParticipationCode.objects.filter(pk=week["code"].pk).update(active=False)
    refused = send("after-close", 1_000)
    assert refused.status_code == 409 and refused.json()["error"] == "closed"
    ParticipationCode.objects.filter(pk=week["code"].pk).update(active=True)
    assert send("reopened", 1_000).status_code == 201
    # the campaign's end moved back by its organisers in another worker: closed too
    past = dt.date.today() - dt.timedelta(days=30)
    Campaign.objects.filter(pk=week["campaign"].pk).update(
        starts_on=past - dt.timedelta(days=5), ends_on=past
    )
    assert send("after-end", 1_000).status_code == 409
    assert not Submission.objects.filter(key__startswith="after").exists()
    assert Submission.objects.filter(current=True).count() == 2


def test_a_code_reopened_elsewhere_is_taken_again(week, login):
    from menage.platform.measures.models import ParticipationCode

    manager = login("alpha_manager")
    manager.post(f"/espace/codes/{week['code'].pk}/ouverture/", {"active": "0"})
    assert send("closed", 1_000).status_code == 409  # this worker now keeps it closed
    ParticipationCode.objects.filter(pk=week["code"].pk).update(active=True)
    assert send("open-again", 1_000).status_code == 201  # asked the database first


def test_a_closed_campaign_keeps_its_counter(week):
    from menage.platform.campaigns.models import Campaign

    assert send("last", 4_000).status_code == 201
    assert shown(week["slug"]) == 4_000
    past = dt.date.today() - dt.timedelta(days=30)
    Campaign.objects.filter(pk=week["campaign"].pk).update(
        starts_on=past - dt.timedelta(days=5), ends_on=past
    )
    assert send("late", 1_000).status_code == 409
    assert shown(week["slug"]) == 4_000


def test_the_impact_kept_per_bytes_and_language_is_the_one_computed_afresh():
    """A read after a post formats again only the groups whose bytes moved; the kept
    impact is per language (its method's texts are translated)."""
    from menage.i18n import speaking
    from menage.platform.measures.aggregates import Totals, _impact

    totals = Totals(by_channel={"computer": 5 * 10**9, "mail": 10**9})
    with speaking("fr"):
        french = totals.impact()
    with speaking("en"):
        english = totals.impact()
    assert french["method"] != english["method"] and french["lines"] == english["lines"]
    with speaking("fr"):
        assert totals.impact() is french  # kept
        assert Totals(by_channel={"computer": 5 * 10**9}).impact() != french  # other bytes
    _impact.cache_clear()
    with speaking("en"):
        assert totals.impact() == english
