"""The public counter page and the demo's week of submissions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

DISTRICT_WEEK = "cyber-menage-ecoles-du-val"


def counter_url(slug: str) -> str:
    return f"/campagnes/{slug}/mesures/"


def add(campaign: Any, received: dt.datetime, moved: int, n: int, **extra: Any) -> Any:
    """A current accepted submission received at ``received`` (aware)."""
    from menage.platform.measures.models import ParticipationCode, Submission

    code = campaign.codes.order_by("pk").first() or ParticipationCode.objects.create(
        campaign=campaign
    )
    row = Submission.objects.create(
        code=code, campaign=campaign, organisation=extra.pop("organisation", None),
        key=f"test-key-{n:08d}", status=extra.pop("status", Submission.Status.ACCEPTED),
        since=campaign.starts_on, channel="computer", moved_files=1, moved_bytes=moved, **extra,
    )  # fmt: skip
    Submission.objects.filter(pk=row.pk).update(received_at=received)
    return row


def paris(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def demo(db: None) -> Any:
    from menage.platform.campaigns.models import Campaign
    from menage.platform.core.demo import load_demo

    load_demo()
    return Campaign.objects.get(slug=DISTRICT_WEEK)


def cells(page: Any) -> dict[str, list[str]]:
    table = page.find("main").find("table")
    return {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in table.tbody.find_all("tr")
    }


def test_the_demo_counter_shows_the_district_totals(client, parse, demo):
    page = parse(client.get(counter_url(DISTRICT_WEEK)))
    totals = page.find("ul", class_="counter").get_text(" ", strip=True)
    assert "11,70\u00a0To de données nettoyées" in totals
    # 64 reports from menage submit and 8 entries from the form (devices, workshops)
    assert "72 participations" in totals
    groups = cells(page)
    # the staff machines and the schools apart, as the district published them
    assert groups["Direction académique du Val"][0] == "10,97\u00a0To"
    assert groups["Collège Jean-Moulin"][2] == "17"
    assert groups["Lycée Marie-Curie"][2] == "11"
    # three participations: no figure for that school
    assert groups["École élémentaire des Tilleuls"] == [
        "Moins de 5 participations\u00a0: non affiché."
    ]
    assert "Tilleuls" in page.find("main").get_text() and "0,37" not in str(groups)
    text = page.find("main").get_text(" ", strip=True)
    assert "Comment on compte" in text and "jamais un nom de fichier" in text
    assert "Participants send" not in text
    check_the_chart(page)
    # reachable from the campaign's page, and in English under /en/
    campaign_page = parse(client.get(f"/campagnes/{DISTRICT_WEEK}/"))
    assert campaign_page.find("a", href=counter_url(DISTRICT_WEEK)) is not None
    english = parse(client.get(f"/en/campaigns/{DISTRICT_WEEK}/measures/"))
    text = english.find("main").get_text(" ", strip=True)
    assert "11.70\u00a0TB of data cleaned" in text and "How it is counted" in text


def test_the_demo_week_adds_up_and_each_day_gets_its_share(demo):
    """The staff machines and the schools add up to what the district published; Monday's
    point is about a fifth of the week (it was 7 %: the uneven split of each code's bytes
    repeated every five participations, always putting the smallest on Monday)."""
    from django.db.models import Sum

    from menage.platform.measures.aggregates import campaign_totals
    from menage.platform.measures.models import Submission

    rows = Submission.objects.filter(campaign=demo, status="accepted")
    staff = rows.filter(organisation__slug="direction-academique-du-val")
    schools = rows.exclude(organisation__slug="direction-academique-du-val")
    assert staff.aggregate(s=Sum("moved_bytes"))["s"] == 10_970_000_000_000
    assert schools.aggregate(s=Sum("moved_bytes"))["s"] == 730_570_000_000
    totals = campaign_totals(demo)
    assert [day.weekday() for day, _ in totals.days] == [0, 1, 2, 3, 4]
    running = [total for _, total in totals.days]
    daily = [b - a for a, b in zip([0, *running], running, strict=False)]
    shares = [d / totals.moved_bytes for d in daily]
    assert all(0.12 < share < 0.28 for share in shares), shares
    assert running[-1] == totals.moved_bytes


def test_days_are_the_platforms_days_not_utcs(world):
    """00:30 on Tuesday in Paris is still Monday in UTC: it counts on Tuesday, on SQLite
    and on PostgreSQL; what came before the first day or after the last still counts."""
    from menage.platform.measures.aggregates import campaign_totals

    campaign = world["alpha_public"]
    start = campaign.starts_on
    add(campaign, paris(start, 12), 100, 1)
    add(campaign, paris(start + dt.timedelta(days=1), 0, 30), 1_000, 2)
    add(campaign, paris(start, 0, 10), 10, 3)  # 23:10 UTC the day before
    add(campaign, paris(start - dt.timedelta(days=3), 9), 10_000, 4)
    add(campaign, paris(campaign.ends_on + dt.timedelta(days=2), 9), 100_000, 5)
    days = dict(campaign_totals(campaign).days)
    assert days[start] == 10_000 + 100 + 10
    assert days[start + dt.timedelta(days=1)] == 10_000 + 110 + 1_000
    assert days[campaign.ends_on] == 111_110
    assert len(days) == 5


def test_no_figure_below_the_minimum_group(client, parse, world, settings):
    settings.MENAGE_MEASURES_MIN_GROUP = 5
    campaign = world["alpha_public"]
    for n in range(4):
        add(campaign, paris(campaign.starts_on, 10), 123_456_789, n)
    page = parse(client.get(counter_url(campaign.slug)))
    main = page.find("main")
    assert "à partir de 5\u00a0participations" in main.get_text() or "dès que 5" in main.get_text()
    assert main.find("table") is None and main.find("svg") is None
    assert "123" not in main.get_text()
    add(campaign, paris(campaign.starts_on, 11), 1, 9)
    page = parse(client.get(counter_url(campaign.slug)))
    assert "493,83\u00a0Mo" in page.find("ul", class_="counter").get_text()


def test_rejected_pending_and_replaced_reports_do_not_count(client, parse, world, settings):
    from menage.platform.measures.models import Submission

    settings.MENAGE_MEASURES_MIN_GROUP = 1
    campaign = world["alpha_public"]
    add(campaign, paris(campaign.starts_on, 10), 2_000_000, 1)
    add(campaign, paris(campaign.starts_on, 10), 9_000_000, 2, status=Submission.Status.REJECTED)
    add(campaign, paris(campaign.starts_on, 10), 7_000_000, 3,
        status=Submission.Status.PENDING_REVIEW)  # fmt: skip
    add(campaign, paris(campaign.starts_on, 10), 5_000_000, 4, current=False)
    page = parse(client.get(counter_url(campaign.slug)))
    totals = page.find("ul", class_="counter").get_text(" ", strip=True)
    assert "2,00\u00a0Mo" in totals and "1 participations" in totals


def check_the_chart(page: Any) -> None:
    """Inline SVG, labelled, with text that reads on a phone."""
    svg = page.find("main").find("svg")
    assert svg["role"] == "img" and svg["aria-labelledby"] == "progress-title"
    assert svg.find("title").get_text() == (
        "Nettoyé depuis le début, jour après jour\u00a0: 11,70\u00a0To le dernier jour"
    )
    width = float(svg["viewBox"].split()[2])
    # shown about 340 px wide on a phone: the text is at least 14 px there
    assert int(svg["font-size"]) * 340 / width >= 14
    assert [t.get_text() for t in svg.find_all("text")][1:] == [
        "lun 7", "mar 8", "mer 9", "jeu 10", "ven 11"
    ]  # fmt: skip
    assert page.find("script") is None


def test_a_long_campaign_thins_its_day_labels():
    from menage.platform.measures.chart import progress_svg

    days = [(dt.date(2026, 3, 1) + dt.timedelta(days=n), n * 1000) for n in range(31)]
    svg = str(progress_svg(days))
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="\d+" text-anchor', svg)]
    assert 4 <= len(xs) <= 8
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 58
    assert svg.count("<circle") == 31


def test_a_private_campaign_counter_is_not_public(client, world):
    assert client.get(counter_url(world["alpha_private"].slug)).status_code == 404


@pytest.mark.parametrize(
    ("n_bytes", "shown"),
    [
        (10_970_000_000_000, "10,97\u00a0To"),
        (1_999_000_000, "2,00\u00a0Go"),  # rounded, not cut to 1,99
        (999_999_999_999, "1,00\u00a0To"),  # not 1 000,00 Go
        (730_570_000_000, "730,57\u00a0Go"),
        (12, "12\u00a0octets"),
    ],
)
def test_sizes_are_rounded_in_french(n_bytes, shown):
    from menage.platform.measures.format import size

    assert size(n_bytes) == shown


def test_the_counter_page_reused_from_the_cache_shows_a_new_post_and_a_new_name_at_once(
    client, parse, demo
):
    """The figures' HTML is kept per version of the figures: a post or a renamed school
    shows on the very next read, whichever page was built before."""
    from menage.platform.organisations.models import Organisation

    before = cells(parse(client.get(counter_url(DISTRICT_WEEK))))
    assert cells(parse(client.get(counter_url(DISTRICT_WEEK)))) == before  # from the cache
    # a school with enough participations to show figures (codes are random: never "first")
    school = Organisation.objects.get(name="Collège Jean-Moulin")
    old_name = school.name
    assert old_name in before
    school.name = "École renommée"
    school.save()
    renamed = cells(parse(client.get(counter_url(DISTRICT_WEEK))))
    assert old_name not in renamed and renamed["École renommée"] == before[old_name]
    add(demo, paris(demo.starts_on, 10), 5 * 10**12, 999_001, organisation=school)
    added = cells(parse(client.get(counter_url(DISTRICT_WEEK))))
    assert added["École renommée"] != renamed["École renommée"]
    assert Organisation.objects.filter(name="École renommée").exists()


def test_a_read_after_a_post_renders_again_only_the_row_that_changed(client, parse, demo):
    """Each read while posts arrive has new figures; the rows are kept per values, so
    only the row of the school that posted is rendered again."""
    from menage.platform.measures.views.public import _row
    from menage.platform.organisations.models import Organisation

    before = cells(parse(client.get(counter_url(DISTRICT_WEEK))))
    misses = _row.cache_info().misses
    school = Organisation.objects.get(name="Collège Jean-Moulin")
    add(demo, paris(demo.starts_on, 11), 10**9, 999_002, organisation=school)
    after = cells(parse(client.get(counter_url(DISTRICT_WEEK))))
    assert _row.cache_info().misses == misses + 1
    assert after["Collège Jean-Moulin"] != before["Collège Jean-Moulin"]
    assert {k: v for k, v in after.items() if k != "Collège Jean-Moulin"} == {
        k: v for k, v in before.items() if k != "Collège Jean-Moulin"
    }


# --- the page kept for anonymous readers (views/public.py) -----------------------------


@pytest.fixture
def open_week(world: dict[str, Any], settings: Any) -> Any:
    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures.models import ParticipationCode

    settings.MENAGE_MEASURES_MIN_GROUP = 1
    today = dt.date.today()
    Campaign.objects.filter(pk=world["alpha_public"].pk).update(
        starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1)
    )
    ParticipationCode.objects.create(campaign=world["alpha_public"], code="KEPT2345")
    return Campaign.objects.get(pk=world["alpha_public"].pk)


def rendered(response: Any) -> bool:
    """Whether the page was rendered for this request (the test client lists templates)."""
    return any(t.name == "measures/counter.html" for t in response.templates)


def workshop(client: Any, people: int, key: str) -> Any:
    return client.post("/mesures/KEPT2345/workshop/", {"key": key * 32, "people": people})


def test_anonymous_readers_share_the_page_each_with_their_own_csrf_token(open_week, parse):
    from django.test import Client

    url = counter_url(open_week.slug)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [first.get(url), second.get(url)]
    assert rendered(pages[0]) and not rendered(pages[1])  # the second reader's is the kept one
    tokens = []
    for client, page in zip((first, second), pages, strict=True):
        form = parse(page).find("form", class_="lang")
        token = form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
        tokens.append(token)
        # the token is the reader's: their language switch goes through the CSRF check
        switched = client.post("/i18n/setlang/", {"csrfmiddlewaretoken": token,
                                                  "language": "en", "next": url})  # fmt: skip
        assert switched.status_code == 302
    assert tokens[0] != tokens[1]
    body = [p.content.decode().replace(t, "") for p, t in zip(pages, tokens, strict=True)]
    assert body[0] == body[1]


def test_a_signed_in_reader_never_gets_the_kept_page(open_week, login, parse):
    from django.test import Client
    from django.urls import reverse

    url = counter_url(open_week.slug)
    assert rendered(Client().get(url))  # kept now
    logout = reverse("accounts:logout")
    manager = login("alpha_manager")
    page = manager.get(url)
    assert rendered(page)
    assert parse(page).find("form", action=logout) is not None
    anonymous = Client().get(url)
    assert not rendered(anonymous)
    assert parse(anonymous).find("form", action=logout) is None


def test_a_message_waiting_for_the_reader_is_shown(open_week):
    from django.test import Client

    url = counter_url(open_week.slug)
    Client().get(url)  # kept
    participant = Client()
    assert workshop(participant, 12, "k").status_code == 302  # "thank you" waits in the session
    page = participant.get(url)
    assert rendered(page) and "Merci" in page.content.decode()
    assert "Merci" not in Client().get(url).content.decode()


def test_the_kept_page_follows_the_figures_and_the_window(open_week, measures_clock, settings):
    from django.test import Client

    url = counter_url(open_week.slug)
    assert rendered(Client().get(url))
    assert not rendered(Client().get(url))
    assert workshop(Client(), 7, "a").status_code == 302  # new figures: a new page
    page = Client().get(url)
    assert rendered(page) and "7" in page.content.decode()
    measures_clock.advance()  # the menus and the footer are not kept longer than the window
    assert rendered(Client().get(url))
    settings.MENAGE_MEASURES_FRESHNESS = 0  # no window: every page rendered
    assert rendered(Client().get(url)) and rendered(Client().get(url))
