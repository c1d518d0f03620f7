"""The participants' form: reached with a code, no account, append-only, hostile input refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(world: dict[str, Any]) -> Any:
    from django.utils import timezone

    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures.models import ParticipationCode

    campaign = world["alpha_public"]
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=today - dt.timedelta(days=2), ends_on=today + dt.timedelta(days=4)
    )
    return ParticipationCode.objects.create(campaign=campaign, code="FORM2345")


def key_of(page: Any) -> str:
    return str(page.find("input", attrs={"name": "key"})["value"])


def rows() -> Any:
    from menage.platform.measures.models import Submission

    return Submission.objects.order_by("pk")


def test_the_code_leads_to_the_three_kinds_of_entry(client, parse, code):
    page = parse(client.get("/mesures/?code=form2345"))  # typed in lower case: found
    assert page is not None
    answer = client.get("/mesures/?code=form2345")
    assert answer.status_code == 302 and answer["Location"] == "/mesures/FORM2345/"
    page = parse(client.get("/mesures/FORM2345/"))
    links = [a["href"] for a in page.find("ul", class_="choices").find_all("a")]
    assert links == ["/mesures/FORM2345/data/", "/mesures/FORM2345/devices/",
                     "/mesures/FORM2345/workshop/"]  # fmt: skip
    wrong = parse(client.get("/mesures/?code=NOPE9999"))
    assert "Aucune campagne n’a ce code" in wrong.find(id="id_code_error").get_text() or (
        "Aucune campagne" in wrong.find(id="id_code_error").get_text()
    )
    assert client.get("/mesures/NOPE9999/").status_code == 404
    assert client.get("/mesures/FORM2345/other/").status_code == 404


def test_an_entry_of_each_kind_is_stored_once(client, parse, code):
    page = parse(client.get("/mesures/FORM2345/data/"))
    assert page.find("label", attrs={"for": "id_gigabytes"}) is not None
    data = {"key": key_of(page), "where": "phone", "gigabytes": "12,5"}
    answer = client.post("/mesures/FORM2345/data/", data)
    assert answer.status_code == 302
    # the same page sent twice (a double click, a reload): replaced, not added
    client.post("/mesures/FORM2345/data/", data)
    current = rows().filter(current=True)
    assert current.count() == 1 and rows().count() == 2
    row = current.get()
    assert (row.entry, row.channel, row.moved_bytes, row.status) == (
        "data", "phone", 12_500_000_000, "accepted"
    )  # fmt: skip
    page = parse(client.get("/mesures/FORM2345/devices/"))
    client.post(
        "/mesures/FORM2345/devices/",
        {"key": key_of(page), "device_type": "laptop", "device_state": "working", "count": "3"},
    )
    page = parse(client.get("/mesures/FORM2345/workshop/"))
    client.post("/mesures/FORM2345/workshop/", {"key": key_of(page), "people": "24"})
    current = list(rows().filter(current=True).values_list("entry", "devices", "people_reached"))
    assert current == [("data", 0, 0), ("devices", 3, 0), ("workshop", 0, 24)]
    done = parse(client.get("/mesures/FORM2345/"))
    assert "Merci" in done.find(class_="notice").get_text()


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        pytest.param("data", {"where": "phone", "gigabytes": "-3"}, "gigabytes", id="negative"),
        pytest.param("data", {"where": "phone", "gigabytes": "5000"}, "gigabytes",
                     id="phone-over-2TB"),
        pytest.param("data", {"where": "cloud", "gigabytes": "1e30"}, "gigabytes", id="absurd"),
        pytest.param("data", {"where": "<script>alert(1)</script>", "gigabytes": "3"}, "where",
                     id="script-choice"),
        pytest.param("data", {"where": "cloud", "gigabytes": "<script>"}, "gigabytes",
                     id="script-number"),
        pytest.param("devices", {"device_type": "laptop", "device_state": "working",
                                 "count": "0"}, "count", id="zero-devices"),
        pytest.param("devices", {"device_type": "spaceship", "device_state": "working",
                                 "count": "2"}, "device_type", id="unknown-type"),
        pytest.param("devices", {"device_type": "laptop", "device_state": "working",
                                 "count": "100000"}, "count", id="absurd-devices"),
        pytest.param("workshop", {"people": "9999999"}, "people", id="absurd-people"),
        pytest.param("workshop", {"people": "2.5"}, "people", id="fraction-people"),
    ],
)  # fmt: skip
def test_hostile_input_is_refused_and_nothing_stored(client, parse, code, kind, fields, field):
    page = parse(client.get(f"/mesures/FORM2345/{kind}/"))
    answer = client.post(f"/mesures/FORM2345/{kind}/", {"key": key_of(page), **fields})
    assert answer.status_code == 400
    page = parse(answer)
    assert page.find(id=f"id_{field}_error") is not None
    assert page.find(class_="error-summary") is not None
    assert "<script>alert" not in answer.content.decode()
    assert rows().count() == 0


def test_a_forged_or_missing_key_is_said_at_the_top_and_replaced(client, parse, code):
    answer = client.post("/mesures/FORM2345/workshop/", {"key": "x'; DROP TABLE", "people": "3"})
    assert answer.status_code == 400
    page = parse(answer)
    assert "expiré" in page.find(class_="error-summary").get_text()
    fresh = key_of(page)
    assert fresh.startswith("form-") and rows().count() == 0
    assert (
        client.post("/mesures/FORM2345/workshop/", {"key": fresh, "people": "3"}).status_code == 302
    )


def test_large_entries_wait_for_review_and_show_there(client, parse, code, login):
    page = parse(client.get("/mesures/FORM2345/workshop/"))
    client.post("/mesures/FORM2345/workshop/", {"key": key_of(page), "people": "800"})
    page = parse(client.get("/mesures/FORM2345/devices/"))
    client.post(
        "/mesures/FORM2345/devices/",
        {"key": key_of(page), "device_type": "phone", "device_state": "broken", "count": "60"},
    )
    assert list(rows().values_list("status", flat=True)) == ["pending_review"] * 2
    login("alpha_manager")
    review = parse(client.get(f"/espace/campagnes/{code.campaign.slug}/mesures/"))
    waiting = review.find(id="pending_review").find_next("table").get_text(" ", strip=True)
    assert "800 personnes" in waiting and "60" in waiting


def test_a_closed_campaign_or_code_takes_no_entry(client, parse, code):
    code.active = False
    code.save()
    page = parse(client.get("/mesures/FORM2345/"))
    assert page.find("ul", class_="choices") is None
    answer = client.post("/mesures/FORM2345/workshop/", {"key": "form-" + "a" * 20, "people": "3"})
    assert answer.status_code == 409 and rows().count() == 0


def test_the_form_shares_the_apis_rate_limit(client, parse, code, settings):
    settings.MENAGE_SUBMISSIONS_PER_CLIENT = 2
    for n in range(2):
        page = parse(client.get("/mesures/FORM2345/workshop/"))
        assert (
            client.post(
                "/mesures/FORM2345/workshop/", {"key": key_of(page), "people": str(n + 1)}
            ).status_code
            == 302
        )
    page = parse(client.get("/mesures/FORM2345/workshop/"))
    answer = client.post("/mesures/FORM2345/workshop/", {"key": key_of(page), "people": "9"})
    assert answer.status_code == 429 and "Retry-After" in answer
    assert rows().count() == 2
