"""What residents and organisers expect to find: filters, open now, the home page's week,
per-event calendars, stable addresses, an organisation's logo and colour, a printable
programme, and the legal pages made from the publisher's settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from menage.platform.collection import hours
from menage.platform.core import dates
from menage.platform.organisations.branding import contrast_with_white

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        pytest.param("lun-ven 8h30-18h", [(d, "08:30", "18:00") for d in range(5)], id="range"),
        pytest.param(
            "lundi, mercredi 10h-12h, 14h-19h",
            [(0, "10:00", "12:00"), (0, "14:00", "19:00"), (2, "10:00", "12:00"),
             (2, "14:00", "19:00")],
            id="list-and-two-ranges",
        ),
        pytest.param("Sat-Sun 9:00-12:00", [(5, "09:00", "12:00"), (6, "09:00", "12:00")], id="en"),
        pytest.param("sam-lun 9h-10h", [(0, "09:00", "10:00"), (5, "09:00", "10:00"),
                                        (6, "09:00", "10:00")], id="across-sunday"),
        pytest.param("ven de 9h à 12h", [(4, "09:00", "12:00")], id="words"),
    ],
)  # fmt: skip
def test_opening_hours_are_read_from_the_short_form(text, rules):
    assert hours.parse(text) == sorted(rules)
    assert hours.parse(hours.short_form(hours.parse(text))) == sorted(rules)


def test_opening_hours_are_said_the_french_way():
    rules = hours.parse("lun-ven 8h30-18h; sam 10h-12h")
    assert hours.describe(rules) == [
        "Du lundi au vendredi\u00a0: de 8\u00a0h\u00a030 à 18\u00a0h",
        "Samedi\u00a0: de 10\u00a0h à 12\u00a0h",
    ]
    with translation.override("en"):
        assert hours.describe(rules)[1] == "Saturday: from 10\u00a0am to 12\u00a0pm"


def test_dates_the_french_way():
    assert dates.span(dt.date(2026, 12, 7), dt.date(2026, 12, 11)) == "du 7 au 11 décembre 2026"
    assert dates.span(dt.date(2026, 11, 30), dt.date(2026, 12, 4)) == (
        "du 30 novembre au 4 décembre 2026"
    )
    assert dates.span(dt.date(2026, 12, 1), dt.date(2026, 12, 3)) == "du 1er au 3 décembre 2026"
    assert dates.day(dt.date(2030, 3, 4), today=dt.date(2026, 1, 1)) == "lundi 4 mars 2030"
    assert dates.day(dt.date(2026, 3, 2), today=dt.date(2026, 1, 1)) == "lundi 2 mars"
    assert dates.hour(dt.time(14)) == "14\u00a0h"
    assert dates.hour(dt.time(8, 30)) == "8\u00a0h\u00a030"
    # « 1er » wherever a pattern puts the day, and only the day
    assert dates.format_day(dt.date(2026, 12, 1), "D j") == "mar 1er"
    assert dates.format_day(dt.date(2026, 12, 1), "l j F") == "mardi 1er décembre"
    assert dates.format_day(dt.date(2026, 12, 1), "j F Y") == "1er décembre 2026"
    assert dates.format_day(dt.date(2001, 1, 11), "j F Y") == "11 janvier 2001"
    assert dates.format_day(dt.date(2001, 1, 1), "j F Y") == "1er janvier 2001"


def test_open_now_and_towns(world, client, parse):
    point = world["alpha_public_point"]
    point.hours = [list(rule) for rule in hours.parse("lun-dim 0h-24h")]
    point.town = "Alphaville"
    point.starts_on = timezone.localdate()
    point.save()
    beta = world["beta_public_point"]
    beta.town = "Betaville"
    beta.hours = []
    beta.save()
    page = parse(client.get(reverse("collection:list"), {"open": "now"}))
    names = [a.get_text() for a in page.select("main h3 a")]
    assert names == ["alpha public point"]
    page = parse(client.get(reverse("collection:list"), {"town": "Betaville"}))
    assert [a.get_text() for a in page.select("main h3 a")] == ["beta public point"]
    assert page.find("option", string="Tous les objets") is not None
    assert page.find("h2").get_text() == "Betaville — beta-centre"


def test_the_agenda_filters_by_week_and_type(world, client, parse):
    event = world["alpha_public_event"]
    event.starts_at = timezone.now() + dt.timedelta(hours=1)
    event.ends_at = event.starts_at + dt.timedelta(hours=1)
    event.save()
    week = parse(client.get(reverse("events:agenda"), {"when": "week"}))
    assert [a.get_text() for a in week.select("main h3 a")] == ["alpha public workshop"]
    talks = parse(client.get(reverse("events:agenda"), {"type": "talk"}))
    assert talks.select("main h3 a") == []
    home = parse(client.get("/"))
    assert "alpha public workshop" in home.find("ul", class_="cards").get_text()
    assert home.find("a", class_="button")["href"].endswith("?when=week")


def test_each_event_has_its_calendar_file(world, client):
    event = world["alpha_public_event"]
    response = client.get(reverse("events:ical", args=[event.pk]))
    calendar = Calendar.from_ical(response.content)
    (item,) = calendar.walk("VEVENT")
    assert str(item["SUMMARY"]) == event.title
    assert client.get(
        reverse("events:ical", args=[world["beta_private_event"].pk])
    ).status_code == (404)


def test_a_renamed_campaign_keeps_its_addresses(world, login, client):
    campaign = world["alpha_public"]
    data = {
        "organisation": world["alpha"].pk,
        "name": campaign.name,
        "slug": "alpha-renamed",
        "kind": "data",
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "visibility": "public",
    }
    assert (
        login("alpha_manager")
        .post(reverse("space:campaign_edit", args=[campaign.slug]), data)
        .status_code
        == 302
    )
    client.logout()
    feed = client.get(f"/campagnes/{campaign.slug}/agenda.ics")
    assert feed.status_code == 301 and feed["Location"] == "/campagnes/alpha-renamed/agenda.ics"
    page = client.get(f"/campagnes/{campaign.slug}/")
    assert page.status_code == 301 and page["Location"] == "/campagnes/alpha-renamed/"
    # another campaign cannot take the old short name, and a private one does not leak
    assert client.get("/campagnes/alpha-private/").status_code == 404


def test_a_printable_programme(world, client, parse):
    page = parse(client.get(reverse("campaigns:programme", args=[world["alpha_public"].slug])))
    assert page.find("h1").get_text() == "alpha public"
    rows = page.select("main table tbody tr")
    assert rows and "alpha public workshop" in rows[0].get_text()
    assert "http://testserver/campagnes/alpha-public/" in page.find("main").get_text()


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_an_organisation_sets_its_logo_colour_and_legal_pages(world, login, client, parse):
    manager = login("alpha_manager")
    url = reverse("space:organisation_edit", args=["alpha"])
    base = {"name": "Alpha", "rgaa_status": "none", "colour": "#1d4f91"}
    for bad, field in (
        ({"colour": "#ffff00"}, "id_colour"),  # white text unreadable on it
        ({"colour": "red;}body{display:none"}, "id_colour"),
        ({"rgaa_status": "full"}, "id_audit_date"),  # compliant needs an audit
        ({"logo": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>")}, "id_logo"),
        ({"logo": SimpleUploadedFile("logo.svg", PNG)}, "id_logo"),
        ({"logo": SimpleUploadedFile("logo.png", PNG + b"\0" * 200_001)}, "id_logo"),
    ):
        response = manager.post(url, {**base, **bad})
        assert response.status_code == 400, bad
        assert parse(response).find(id=f"{field}_error") is not None, bad
    response = manager.post(
        url,
        {
            **base,
            "logo": SimpleUploadedFile("logo.png", PNG),
            "data_controller": "Ville d'Alpha, représentée par son maire",
            "dpo_contact": "dpo@alpha.example",
            "rgaa_status": "partial",
            "audit_date": "2026-05-04",
            "audit_by": "Access42",
            "audit_rate": "78",
            "derogations": "Les cartes des points de collecte.",
        },
    )
    assert response.status_code == 302
    client.logout()
    logo = client.get(reverse("organisations:logo", args=["alpha"]))
    # reading the stream to its end closes the response (and the file); closing it again
    # would send request_finished, which closes the database connection on PostgreSQL
    assert logo["Content-Type"] == "image/png" and b"".join(logo.streaming_content) == PNG
    theme = client.get(reverse("organisations:theme", args=["alpha"]))
    assert theme.content.decode().strip() == ":root{--accent:#1d4f91}"
    page = parse(client.get(world["alpha_public"].get_absolute_url()))
    assert page.find("img", class_="logo")["alt"] == "Alpha"
    assert page.find("link", href=reverse("organisations:theme", args=["alpha"])) is not None
    assert contrast_with_white("#1d4f91") >= 4.5


def test_legal_pages_follow_the_publishers_settings(world, client, parse, settings):
    settings.MENAGE_PUBLISHER = "alpha"
    page = parse(client.get(reverse("core:accessibility")))
    text = page.find("main").get_text()
    assert "non conforme" in text and "Défenseur des droits" in text
    assert "Accessibilité\u00a0: non conforme" in page.find("footer").get_text()
    alpha = world["alpha"]
    alpha.rgaa_status, alpha.audit_date, alpha.audit_rate = "partial", dt.date(2026, 5, 4), 78
    alpha.data_controller = "Ville d'Alpha"
    alpha.save()
    text = parse(client.get(reverse("core:accessibility"))).find("main").get_text()
    assert "partiellement conforme" in text and "78" in text and "4 mai 2026" in text
    privacy = parse(client.get(reverse("core:privacy"))).find("main").get_text()
    assert "Ville d'Alpha" in privacy and "CNIL" in privacy
    assert "0 jour" not in privacy and "le lendemain de la fin de la campagne" in privacy


def test_the_footers_compliance_is_the_publishers_whichever_way_it_is_found(settings):
    """The footer reads the publisher's RGAA status in one plain query: the same
    organisation as ``publisher()`` (set by slug; else the first city; else the first)."""
    from menage.platform.core.views.pages import publisher, publisher_rgaa_status
    from menage.platform.organisations.models import Organisation

    settings.MENAGE_PUBLISHER = ""
    assert publisher_rgaa_status() == "none"  # no organisation at all

    def status() -> str | None:
        found = publisher()
        return found.rgaa_status if found else None

    def make(slug: str, kind: str, status: str) -> Organisation:
        return Organisation.objects.create(name=slug, slug=slug, kind=kind, rgaa_status=status)

    make("assoc", "association", "partial")
    assert publisher_rgaa_status() == "partial" == status()  # the first
    make("ville", "city", "full")
    make("ville-2", "city", "none")
    assert publisher_rgaa_status() == "full" == status()  # the first city
    settings.MENAGE_PUBLISHER = "ville-2"
    assert publisher_rgaa_status() == "none" == status()  # by its slug
    settings.MENAGE_PUBLISHER = "nobody"
    assert publisher() is None and publisher_rgaa_status() == "none"
