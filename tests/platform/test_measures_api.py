"""The measures API: codes, idempotent submissions, plausibility, limits, hostile input."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

KEY = "k" * 32


@pytest.fixture
def codes(db: None) -> dict[str, Any]:
    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures.models import ParticipationCode
    from menage.platform.organisations.models import Organisation

    today = dt.date.today()
    city = Organisation.objects.create(name="Ville", slug="ville", kind="city")
    other = Organisation.objects.create(name="Autre", slug="autre", kind="city")
    open_campaign = Campaign.objects.create(
        organisation=city, name="Semaine", slug="semaine", kind="data",
        starts_on=today - dt.timedelta(days=2), ends_on=today + dt.timedelta(days=2),
    )  # fmt: skip
    closed = Campaign.objects.create(
        organisation=other, name="Passée", slug="passee", kind="data",
        starts_on=today - dt.timedelta(days=60), ends_on=today - dt.timedelta(days=30),
    )  # fmt: skip
    return {
        "open": ParticipationCode.objects.create(campaign=open_campaign, code="OPEN2345"),
        "closed": ParticipationCode.objects.create(campaign=closed, code="SHUT2345"),
        "campaign": open_campaign,
    }


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": 1,
        "key": KEY,
        "since": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "channel": "computer",
        "moved_files": 10,
        "moved_bytes": 5_000,
        "freed_bytes": 1_000,
        "restored_bytes": 0,
        "by_finding": {"duplicates": {"files": 4, "bytes": 3_000}},
        "mails_deleted": 0,
        "newsletters_unsubscribed": 0,
        "client": "menage 0.1",
    }
    data.update(changes)
    return data


def post(client: Any, code: str, data: Any, **extra: Any) -> Any:
    raw = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(
        f"/api/v1/campaigns/{code}/submissions", raw, content_type="application/json", **extra
    )


def total(campaign: Any) -> int:
    from menage.platform.measures.aggregates import campaign_totals

    return campaign_totals(campaign).moved_bytes


def test_get_campaign_by_code(client, codes):
    answer = client.get("/api/v1/campaigns/open2345")
    assert answer.status_code == 200
    assert answer.json()["campaign"] == "Semaine" and answer.json()["open"] is True
    assert client.get("/api/v1/campaigns/SHUT2345").json()["open"] is False
    assert client.get("/api/v1/campaigns/NOPE2345").status_code == 404


def test_same_key_replaces_never_double_counts(client, codes):
    first = post(client, "OPEN2345", body())
    assert first.status_code == 201 and first.json()["status"] == "accepted"
    again = post(client, "OPEN2345", body())
    assert again.status_code == 200
    corrected = post(client, "OPEN2345", body(moved_bytes=4_000, restored_bytes=1_000))
    assert corrected.status_code == 200
    assert total(codes["campaign"]) == 4_000
    other = post(client, "OPEN2345", body(key="z" * 32))
    assert other.status_code == 201
    assert total(codes["campaign"]) == 9_000
    from menage.platform.measures.models import Submission

    assert Submission.objects.count() == 4  # append-only: the replaced rows stay
    assert Submission.objects.filter(current=True).count() == 2


def test_over_100_tb_waits_for_review_and_is_not_counted(client, codes):
    tb = 1000**4
    answer = post(client, "OPEN2345", body(moved_bytes=150 * tb, freed_bytes=0))
    assert answer.status_code == 201 and answer.json()["status"] == "pending_review"
    assert total(codes["campaign"]) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"moved_bytes": -1}, "moved_bytes"),
        ({"moved_bytes": "5000"}, "moved_bytes"),
        ({"moved_bytes": 5000.5}, "moved_bytes"),
        ({"moved_bytes": 10**30}, "moved_bytes"),
        ({"moved_files": True}, "moved_files"),
        ({"channel": "fax"}, "channel"),
        ({"since": "hier"}, "since"),
        ({"since": "2999-01-01"}, "since"),
        ({"version": 2}, "version"),
        ({"key": "short"}, "key"),
        ({"key": "' OR 1=1 --" + "x" * 20}, "key"),
        ({"path": "/home/marie/photos"}, "path"),
        ({"subject": "Réunion"}, "subject"),
        ({"by_finding": {"/home/marie": {"files": 1, "bytes": 1}}}, "by_finding./home/marie"),
        ({"by_finding": {"duplicates": {"files": 1, "bytes": 1, "name": "x"}}}, "by_finding"),
        ({"freed_bytes": 6_000}, "freed_bytes"),
        ({"client": "<script>alert(1)</script>"}, "client"),
    ],
)
def test_bad_fields_are_refused_and_nothing_stored(client, codes, changes, field):
    from menage.platform.measures.models import Submission

    answer = post(client, "OPEN2345", body(**changes))
    assert answer.status_code == 400
    fields = answer.json()["fields"]
    assert any(name.startswith(field.split(".")[0]) for name in fields), fields
    assert not Submission.objects.exists()


@pytest.mark.parametrize("raw", ["", "not json", "[1, 2]", "null", "[" * 50_00 + "]" * 50_00])
def test_not_an_object(client, codes, raw):
    answer = post(client, "OPEN2345", raw)
    assert answer.status_code in (400, 413)


def test_oversized_body(client, codes):
    answer = post(client, "OPEN2345", body(client="x" * 20_000))
    assert answer.status_code == 413


def test_unknown_and_closed_and_injected_codes(client, codes):
    assert post(client, "NOPE2345", body()).status_code == 404
    assert post(client, "SHUT2345", body()).status_code == 409
    assert post(client, "x' OR '1'='1", body()).status_code == 404
    from menage.platform.measures.models import Submission

    assert not Submission.objects.exists()


def test_a_code_counts_only_for_its_own_campaign(client, codes):
    from menage.platform.measures.aggregates import campaign_totals

    post(client, "OPEN2345", body())
    assert campaign_totals(codes["closed"].campaign).moved_bytes == 0


def test_rate_limit_per_code_and_the_token_lifts_it(client, codes, settings):
    settings.MENAGE_SUBMISSIONS_PER_CLIENT = 3
    for n in range(3):
        assert post(client, "OPEN2345", body(key=f"{n}" * 20)).status_code == 201
    limited = post(client, "OPEN2345", body(key="9" * 20))
    assert limited.status_code == 429 and "Retry-After" in limited
    token = codes["open"].token
    trusted = post(client, "OPEN2345", body(key="8" * 20), HTTP_AUTHORIZATION=f"Token {token}")
    assert trusted.status_code == 201


def test_over_budget_stores_nothing_and_invalid_bodies_count(client, codes, settings):
    """The budgets and the insert share one statement on PostgreSQL: a post over budget
    stores nothing (a new key or a replay alike), an invalid body counts, a replay
    counts once."""
    from menage.platform.core.models import RateLimitHit
    from menage.platform.measures.models import Submission

    settings.MENAGE_SUBMISSIONS_PER_CLIENT = 4
    assert post(client, "OPEN2345", body(key="a" * 20, moved_bytes=5_001)).status_code == 201
    assert post(client, "OPEN2345", body(key="a" * 20, moved_bytes=5_002)).status_code == 200
    assert post(client, "OPEN2345", body(channel="fax")).status_code == 400
    assert post(client, "OPEN2345", "{").status_code == 400  # not JSON
    assert sorted(RateLimitHit.objects.values_list("count", flat=True)) == [4, 4]
    for key, moved in (("b" * 20, 5_005), ("a" * 20, 5_007)):  # a new key, then a replay
        answer = post(client, "OPEN2345", body(key=key, moved_bytes=moved))
        assert answer.status_code == 429 and "Retry-After" in answer
    assert post(client, "OPEN2345", body(channel="fax")).status_code == 429
    assert sorted(Submission.objects.values_list("key", "moved_bytes", "current")) == [
        ("a" * 20, 5_001, False),
        ("a" * 20, 5_002, True),
    ]
    assert total(codes["campaign"]) == 5_002


def test_rejected_then_resubmitted_waits_for_review(client, codes):
    from menage.platform.measures.models import Submission

    post(client, "OPEN2345", body())
    Submission.objects.update(status="rejected")
    again = post(client, "OPEN2345", body())
    assert again.status_code == 200 and again.json()["status"] == "pending_review"
    assert total(codes["campaign"]) == 0


def test_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    submission = schema["components"]["schemas"]["SubmissionIn"]
    assert submission["additionalProperties"] is False


def test_a_token_from_another_campaign_lifts_nothing(client, codes, settings):
    """The secret token of another campaign's code is no token here: the limit holds."""
    from menage.platform.measures.models import Submission

    settings.MENAGE_SUBMISSIONS_PER_CLIENT = 1
    assert post(client, "OPEN2345", body(key="a" * 20)).status_code == 201
    foreign = codes["closed"].token
    answer = post(client, "OPEN2345", body(key="b" * 20), HTTP_AUTHORIZATION=f"Token {foreign}")
    assert answer.status_code == 429
    # and a poster's code with its own token sends nothing to the other campaign
    assert post(client, "SHUT2345", body(key="c" * 20),
                HTTP_AUTHORIZATION=f"Token {codes['open'].token}").status_code == 409  # fmt: skip
    assert list(Submission.objects.values_list("campaign__slug", "key")) == [("semaine", "a" * 20)]


@pytest.mark.parametrize(
    "raw",
    [
        '{"version": 1, "moved_bytes": NaN}',
        '{"version": 1, "moved_bytes": Infinity}',
        "version=1&moved_bytes=5",
        json.dumps(body(channel="computer'; DROP TABLE measures_submission; --")),
        json.dumps(body(since="2026-01-01'; --")),
        json.dumps(body(by_finding={"duplicates'--": {"files": 1, "bytes": 1}})),
        json.dumps(body(client='"><img src=x onerror=alert(1)>')),
        json.dumps(body(key="<script>alert(1)</script>-padding")),
        json.dumps(body(moved_files=[1], moved_bytes={"$gt": 0})),
        json.dumps(body(version="1")),
        json.dumps(body(key="k" * 129)),
        json.dumps({**body(), "moved_bytes": 1, "extra": {"nested": ["x"] * 100}}),
        "\xff\xfe" + json.dumps(body()),
    ],
    ids=lambda raw: raw[:24],
)
def test_hostile_bodies_get_a_clear_400_and_nothing_is_stored(client, codes, raw):
    from menage.platform.measures.models import Submission

    answer = post(client, "OPEN2345", raw.encode("utf-8", "surrogateescape"))
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid" and answer.json()["message"]
    assert not Submission.objects.exists()
    # the table is still there and still takes honest submissions
    assert post(client, "OPEN2345", body()).status_code == 201


def test_a_lying_content_length_is_refused_before_reading(client, codes):
    from menage.platform.measures.models import Submission

    answer = post(client, "OPEN2345", body(), CONTENT_LENGTH="999999999")
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"
    assert not Submission.objects.exists()


def test_replays_are_counted_once_whatever_their_number(client, codes):
    from menage.platform.measures.models import Submission

    answers = [post(client, "OPEN2345", body()).status_code for _ in range(5)]
    assert answers == [201, 200, 200, 200, 200]
    assert total(codes["campaign"]) == 5_000
    assert Submission.objects.filter(current=True).count() == 1
