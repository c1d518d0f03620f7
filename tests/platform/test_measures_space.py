"""The organisers' measures pages: review reports, create codes and print their posters.

Only the managers of a campaign's organisation (or of one above it) see and judge its
reports and codes; everyone else gets a 404, and a POST without a CSRF token is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def report(campaign: Any, moved: int, status: str, n: int, **extra: Any) -> Any:
    from menage.platform.measures.models import ParticipationCode, Submission

    code = campaign.codes.order_by("pk").first() or ParticipationCode.objects.create(
        campaign=campaign
    )
    return Submission.objects.create(
        code=code, campaign=campaign, key=f"space-test-{n:08d}", status=status,
        since=campaign.starts_on, channel="computer", moved_files=3, moved_bytes=moved, **extra,
    )  # fmt: skip


@pytest.fixture
def reports(world: dict[str, Any]) -> dict[str, Any]:
    campaign = world["alpha_public"]
    return {
        "pending": report(campaign, 150 * 1000**4, "pending_review", 1),
        "accepted": report(campaign, 2_000_000, "accepted", 2),
        "rejected": report(campaign, 7_000_000, "rejected", 3),
        "replaced": report(campaign, 9_000_000, "accepted", 4, current=False),
    }


def review_url(slug: str) -> str:
    return f"/espace/campagnes/{slug}/mesures/"


def decide_url(pk: int) -> str:
    return f"/espace/envois/{pk}/decider/"


def status(row: Any) -> str:
    row.refresh_from_db()
    return str(row.status)


def test_the_review_page_lists_each_status(login, world, reports, parse):
    client = login("alpha_manager")
    page = parse(client.get(review_url("alpha-public")))
    main = page.find("main")
    headings = [h.get_text(strip=True) for h in main.find_all("h2")]
    assert headings == [
        "En attente de vérification (1)",
        "Accepté (1)",
        "Refusé (1)",
        "Journal des décisions",
    ]
    text = main.get_text(" ", strip=True)
    assert "150,00\u00a0To" in text and "2,00\u00a0Mo" in text and "7,00\u00a0Mo" in text
    assert "9,00\u00a0Mo" not in text  # replaced: not current
    # each form posts with a CSRF token; buttons say what they act on
    forms = main.find_all("form")
    assert forms and all(f.find("input", attrs={"name": "csrfmiddlewaretoken"}) for f in forms)
    # pending: accept and reject; accepted: reject; rejected: accept
    assert len(forms) == 4
    assert main.find("div", class_="scroll")["role"] == "region"


def test_accepting_and_rejecting_change_the_totals(login, world, reports):
    from menage.platform.measures.aggregates import campaign_totals

    campaign = world["alpha_public"]
    client = login("alpha_manager")
    before = campaign_totals(campaign).moved_bytes
    assert before == 2_000_000
    answer = client.post(decide_url(reports["pending"].pk), {"decision": "accept"})
    assert answer.status_code == 302 and answer["Location"] == review_url("alpha-public")
    assert status(reports["pending"]) == "accepted"
    assert campaign_totals(campaign).moved_bytes == before + 150 * 1000**4
    client.post(decide_url(reports["accepted"].pk), {"decision": "reject", "reason": "Doublon"})
    client.post(decide_url(reports["rejected"].pk), {"decision": "accept"})
    assert campaign_totals(campaign).moved_bytes == 150 * 1000**4 + 7_000_000
    follow = client.post(
        decide_url(reports["pending"].pk), {"decision": "reject", "reason": "Trop"}, follow=True
    )
    assert "Envoi refusé" in follow.content.decode()


def test_the_review_log_says_who_when_and_why(login, world, reports, parse):
    """Every decision is a new row of the log (append-only); a rejection needs a reason and
    takes the report off the public counter."""
    from menage.platform.measures.aggregates import campaign_totals
    from menage.platform.measures.models import Review

    campaign = world["alpha_public"]
    client = login("alpha_manager")
    url = decide_url(reports["accepted"].pk)
    refused = client.post(url, {"decision": "reject", "reason": "   "}, follow=True)
    assert "Dites pourquoi" in refused.content.decode()
    assert client.post(url, {"decision": "reject", "reason": "x" * 501}).status_code == 302
    assert status(reports["accepted"]) == "accepted" and not Review.objects.exists()
    client.post(url, {"decision": "reject", "reason": "Code vu sur  un forum"})
    assert status(reports["accepted"]) == "rejected"
    assert campaign_totals(campaign).moved_bytes == 0
    client.post(url, {"decision": "accept"})
    assert campaign_totals(campaign).moved_bytes == 2_000_000
    log = list(Review.objects.order_by("at", "pk"))
    assert [(r.decision, r.reason, r.by_name) for r in log] == [
        ("rejected", "Code vu sur un forum", "Alpha Manager"),
        ("accepted", "", "Alpha Manager"),
    ]
    with pytest.raises(ValueError, match="append-only"):
        log[0].save()
    page = parse(client.get(review_url("alpha-public")))
    section = page.find("h2", id="log").find_next("table")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in section.tbody("tr")]
    assert [row[1:4] for row in rows] == [
        ["Alpha Manager", "Accepté", "—"],
        ["Alpha Manager", "Refusé", "Code vu sur un forum"],
    ]
    # another organisation's manager sees neither the page nor its log
    assert login("beta_manager").get(review_url("alpha-public")).status_code == 404


@pytest.mark.parametrize("person", ["beta_manager", "alpha_facilitator", "district_manager"])
def test_another_organisation_cannot_see_or_judge(login, world, reports, person):
    client = login(person)
    assert client.get(review_url("alpha-public")).status_code == 404
    for decision in ("accept", "reject"):
        answer = client.post(decide_url(reports["pending"].pk), {"decision": decision})
        assert answer.status_code == 404
    assert status(reports["pending"]) == "pending_review"
    assert client.get("/espace/campagnes/alpha-public/codes/").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, world, reports):
    assert client.get(review_url("alpha-public")).status_code == 302
    assert client.post(decide_url(reports["pending"].pk), {"decision": "accept"}).status_code == 302
    assert status(reports["pending"]) == "pending_review"


def test_a_post_without_csrf_token_is_refused(world, reports):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["alpha_manager"])
    answer = client.post(decide_url(reports["pending"].pk), {"decision": "accept"})
    assert answer.status_code == 403
    assert status(reports["pending"]) == "pending_review"


@pytest.mark.parametrize(
    "data", [{}, {"decision": "delete"}, {"decision": "<script>"}, {"decision": ["accept", "x"]}]
)
def test_hostile_decisions_change_nothing(login, world, reports, data):
    client = login("alpha_manager")
    answer = client.post(decide_url(reports["pending"].pk), data, follow=True)
    assert answer.status_code == 200
    assert status(reports["pending"]) == "pending_review"


def test_replaced_reports_and_get_cannot_be_judged(login, world, reports):
    client = login("alpha_manager")
    assert (
        client.post(decide_url(reports["replaced"].pk), {"decision": "accept"}).status_code == 404
    )
    assert client.get(decide_url(reports["pending"].pk)).status_code == 405
    assert client.post(decide_url(999_999), {"decision": "accept"}).status_code == 404


def test_back_to_a_campaign_the_organiser_does_not_manage_is_ignored(login, world, reports):
    client = login("alpha_manager")
    answer = client.post(
        decide_url(reports["pending"].pk), {"decision": "accept", "campaign": "beta-public"}
    )
    assert answer["Location"] == review_url("alpha-public")


def test_create_a_code_and_print_its_poster(login, world, parse):
    from menage.platform.measures.models import ParticipationCode

    client = login("alpha_manager")
    page = client.get("/espace/campagnes/alpha-public/codes/")
    assert page.status_code == 200 and "Aucun code pour le moment" in page.content.decode()
    assert '<option value="" selected>Toute la campagne</option>' in page.content.decode()
    answer = client.post(
        "/espace/campagnes/alpha-public/codes/", {"label": "<script>alert(1)</script>"}
    )
    code = ParticipationCode.objects.get(campaign=world["alpha_public"])
    assert answer.status_code == 302 and answer["Location"] == f"/espace/codes/{code.pk}/affiche/"
    assert code.organisation is None and code.active
    poster = parse(client.get(answer["Location"]))
    text = poster.find("main").get_text(" ", strip=True)
    assert code.code in poster.find("p", class_="code").get_text()
    assert re.search(rf"menage submit --campaign {code.code} \\\s+--server http://testserver", text)
    assert f"http://testserver/api/v1/campaigns/{code.code}" in text
    assert "http://testserver/campagnes/alpha-public/mesures/" in text
    assert world["alpha_public"].name in text
    assert "jamais un nom de fichier" in text
    assert code.token not in poster.decode()  # the secret stays on the codes page
    listing = client.get("/espace/campagnes/alpha-public/codes/").content.decode()
    assert code.token in listing and "<script>alert" not in listing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing


def test_a_code_for_a_school_only_among_the_campaigns_own(login, world):
    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures.models import ParticipationCode

    district_week = Campaign.objects.create(
        organisation=world["district"], name="District week", slug="district-week", kind="data",
        starts_on=world["start"], ends_on=world["end"],
    )  # fmt: skip
    client = login("district_manager")
    answer = client.post(
        "/espace/campagnes/district-week/codes/", {"organisation": world["school"].pk}
    )
    assert answer.status_code == 302
    assert ParticipationCode.objects.get(campaign=district_week).organisation == world["school"]
    refused = client.post(
        "/espace/campagnes/district-week/codes/", {"organisation": world["alpha"].pk}
    )
    assert refused.status_code == 400 and "error-summary" in refused.content.decode()
    assert ParticipationCode.objects.filter(campaign=district_week).count() == 1


def test_another_organisation_cannot_print_or_close_a_code(login, world):
    from menage.platform.measures.models import ParticipationCode

    code = ParticipationCode.objects.create(campaign=world["alpha_public"])
    client = login("beta_manager")
    assert client.get(f"/espace/codes/{code.pk}/affiche/").status_code == 404
    assert client.post(f"/espace/codes/{code.pk}/ouverture/", {"active": "0"}).status_code == 404
    code.refresh_from_db()
    assert code.active


def test_a_closed_code_takes_no_more_reports(login, world, client):
    import json

    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures.models import ParticipationCode

    today = dt.date.today()
    Campaign.objects.filter(pk=world["alpha_public"].pk).update(
        starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1)
    )
    code = ParticipationCode.objects.create(campaign=world["alpha_public"])
    manager = login("alpha_manager")
    answer = manager.post(f"/espace/codes/{code.pk}/ouverture/", {"active": "0"}, follow=True)
    assert "est fermé" in answer.content.decode()
    body = {"version": 1, "key": "k" * 32, "since": today.isoformat(), "channel": "computer",
            "moved_files": 1, "moved_bytes": 10}  # fmt: skip
    refused = Client().post(
        f"/api/v1/campaigns/{code.code}/submissions", json.dumps(body),
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 409
    manager.post(f"/espace/codes/{code.pk}/ouverture/", {"active": "1"})
    accepted = Client().post(
        f"/api/v1/campaigns/{code.code}/submissions", json.dumps(body),
        content_type="application/json",
    )  # fmt: skip
    assert accepted.status_code in (200, 201)


def test_the_space_links_to_reports_and_codes(login, world):
    page = login("alpha_manager").get("/espace/").content.decode()
    assert review_url("alpha-public") in page
    assert "/espace/campagnes/alpha-public/codes/" in page
    assert re.search(r"Envois<span class=\"visually-hidden\"> alpha public", page)
