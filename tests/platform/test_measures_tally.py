"""The submissions' tally (models.SubmissionTally, kept by triggers: migration 0005),
which the figures' cache reads instead of counting a campaign's rows: it must equal
the count whatever wrote the rows, and stay exact when rows commit out of id order.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client


def tallies() -> dict[int, int]:
    from django.db.models import Sum

    from menage.platform.measures.models import SubmissionTally

    found = SubmissionTally.objects.values_list("campaign_id").annotate(n=Sum("n")).order_by()
    return {pk: int(n) for pk, n in found if n}


def counts() -> dict[int, int]:
    from django.db.models import Count

    from menage.platform.measures.models import Submission

    found = Submission.objects.values_list("campaign_id").annotate(n=Count("pk")).order_by()
    return dict(found)


def send(key: str, moved: int, code: str) -> Any:
    body = {"version": 1, "key": key.ljust(16, "-"), "since": dt.date.today().isoformat(),
            "channel": "computer", "moved_files": 1, "moved_bytes": moved}  # fmt: skip
    return Client().post(
        f"/api/v1/campaigns/{code}/submissions", json.dumps(body), content_type="application/json"
    )


@pytest.mark.django_db
def test_the_tally_is_the_count_whatever_writes_the_rows(world):
    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures.models import ParticipationCode, Submission

    today = dt.date.today()
    Campaign.objects.filter(pk__in=[world["alpha_public"].pk, world["beta_public"].pk]).update(
        starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1)
    )
    code = ParticipationCode.objects.create(campaign=world["alpha_public"], code="TALLY234")
    other = ParticipationCode.objects.create(campaign=world["beta_public"], code="TALLY567")
    before = counts()
    assert tallies() == before
    assert send("first", 1_000, code.code).status_code == 201  # the post's one statement
    assert send("first", 2_000, code.code).status_code == 200  # a correction: a new row
    assert send("second", 1_000, other.code).status_code == 201
    assert Client().post(f"/mesures/{code.code}/workshop/", {"key": "w" * 32, "people": 3})
    assert tallies() == counts()
    Submission.objects.bulk_create(
        [Submission(code=other, campaign_id=other.campaign_id, key=f"bulk-{n:012d}",
                    status="accepted", since=today, channel="computer") for n in range(20)]
    )  # fmt: skip
    assert tallies() == counts()
    moved = Submission.objects.filter(key__startswith="bulk-")[:5]
    Submission.objects.filter(pk__in=[s.pk for s in moved]).update(
        campaign_id=code.campaign_id, code=code
    )
    assert tallies() == counts()
    Submission.objects.filter(key__startswith="bulk-").delete()
    assert tallies() == counts()
    assert counts()[code.campaign_id] == 3 and counts()[other.campaign_id] == 1


@pytest.mark.skipif(
    "config.getoption('--platform-db') != 'postgresql'",
    reason="needs two connections writing at once (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_a_row_committed_out_of_id_order_is_counted(measures_clock):
    """A submission whose id was drawn first but committed after the figures were read
    (another connection's open transaction): the tally moves with its commit, so the next
    check reads everything again and counts it. PostgreSQL only: SQLite writes one
    transaction at a time."""
    from django.db import connection

    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures import intake
    from menage.platform.measures.aggregates import counted
    from menage.platform.measures.models import ParticipationCode
    from menage.platform.organisations.models import Organisation

    today = dt.date.today()
    city = Organisation.objects.create(name="Ville", slug="ville-tally", kind="city")
    campaign = Campaign.objects.create(
        organisation=city, name="Semaine", slug="semaine-tally", kind="data",
        starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1),
    )  # fmt: skip
    ParticipationCode.objects.create(campaign=campaign, code="LATE2345")
    code = intake.find_code("LATE2345", fresh=True)
    assert code is not None
    fields = {"since": today, "channel": "computer", "moved_files": 1, "moved_bytes": 5_000}
    _row, values = intake._values(code, "late" * 8, "accepted", fields, None)
    assert not connection.in_atomic_block, "committed: the other connection sees it"
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:  # draws its id, not committed yet
            cursor.execute(
                intake._insert_sql_for("postgresql"),
                [*values, code.pk, today, today - intake.GRACE],
            )
            late_id = cursor.fetchone()[0]
        row, _replaced = intake.store(code, "early" * 4, "accepted", {**fields, "moved_bytes": 7})
        assert row.pk > late_id
        assert counted(campaign).total.moved_bytes == 7  # the late row is not committed
        other.commit()
    finally:
        other.close()
    assert tallies()[campaign.pk] == counts()[campaign.pk] == 2
    assert counted(campaign).total.moved_bytes == 7  # within the window: as documented
    measures_clock.advance()
    assert counted(campaign).total.moved_bytes == 5_007
