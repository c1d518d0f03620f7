"""The demo week, loaded once; residents' registrations purged after their campaign."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from menage.platform.campaigns.models import Campaign
from menage.platform.collection.models import CollectionPoint
from menage.platform.core.demo import load_demo
from menage.platform.events.models import Event, Registration
from menage.platform.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_is_a_city_week_and_a_school_district():
    summary = load_demo(today=dt.date(2026, 3, 11), password="demo-password-123")
    assert summary.created and summary.password == "demo-password-123"
    week = Campaign.objects.get(slug="montclair-nettoyage-numerique")
    assert (week.starts_on, week.ends_on) == (dt.date(2026, 3, 16), dt.date(2026, 3, 20))
    events = Event.objects.filter(campaign=week)
    assert {e.starts_at.date() for e in events} == {dt.date(2026, 3, 16 + n) for n in range(5)}
    titles = set(events.values_list("title", flat=True))
    for title in (
        "Nettoyer son ordinateur",
        "Mettre sa boîte mail au régime",
        "Trier son téléphone",
        "IA et son empreinte",
    ):
        assert title in titles
    assert events.filter(kind="evening").count() == 1
    assert len(set(events.values_list("venue__neighbourhood", flat=True))) >= 4
    assert all(e.facilitators.exists() for e in events.exclude(kind="exhibition"))
    assert (
        CollectionPoint.objects.filter(
            campaign=week, starts_on=week.starts_on, ends_on=week.ends_on
        ).count()
        == 3
    )
    district = Organisation.objects.get(kind="school_district")
    assert district.children.count() >= 3
    operations = Campaign.objects.filter(part_of__organisation=district)
    names = " ".join(operations.values_list("name", flat=True))
    assert "Nettoyons nos données" in names and "Donnons une seconde vie" in names


# an ordinary space where French wants a no-break one: before « : », inside « », before ; ! ?
LOOSE_PUNCTUATION = re.compile(r"\S [:;!?»](?:\s|$)|« ")


def test_the_demo_pages_follow_french_typography(client):
    load_demo()  # next week: its events are on the home page and in the agenda
    week = Campaign.objects.get(slug="montclair-nettoyage-numerique")
    urls = [
        reverse("core:home"),
        reverse("core:accessibility"),
        reverse("core:privacy"),
        reverse("events:agenda"),
        reverse("collection:list"),
        reverse("resources:list"),
        week.get_absolute_url(),
        *(event.get_absolute_url() for event in Event.objects.filter(campaign=week)),
        *(point.get_absolute_url() for point in CollectionPoint.objects.filter(campaign=week)),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        main = BeautifulSoup(response.content, "html5lib").find("main")
        assert main is not None, url
        text = main.get_text()
        assert not LOOSE_PUNCTUATION.findall(text), (url, LOOSE_PUNCTUATION.findall(text))


def test_the_demo_loads_once():
    load_demo()
    before = Event.objects.count()
    assert not load_demo().created
    assert Event.objects.count() == before


def test_registrations_are_purged_after_the_campaign(world, freezer=None):
    from django.utils import timezone, translation

    translation.activate("en")
    campaign = world["alpha_private"]
    assert Registration.objects.filter(event__campaign=campaign).count() == 1
    out = StringIO()
    call_command("purge_registrations", stdout=out)
    assert "0 registrations deleted" in out.getvalue()
    # the campaign ended yesterday
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=5),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    call_command("purge_registrations", "--days", "3", stdout=out)
    assert Registration.objects.filter(event__campaign=campaign).count() == 1
    call_command("purge_registrations", "--dry-run", stdout=out)
    assert "1 registration would be deleted" in out.getvalue()
    assert Registration.objects.filter(event__campaign=campaign).count() == 1
    call_command("purge_registrations", stdout=out)
    assert Registration.objects.filter(event__campaign=campaign).count() == 0
    assert Registration.objects.count() == 1  # beta's campaign is not over


def test_old_rate_limit_counters_are_purged(db):
    from menage.platform.core import ratelimit
    from menage.platform.core.models import RateLimitHit

    ratelimit.hit("register", "192.0.2.1", now=0)
    ratelimit.hit("register", "192.0.2.1", now=10**9)
    assert ratelimit.purge_old(now=10**9) == 1
    assert RateLimitHit.objects.count() == 1
