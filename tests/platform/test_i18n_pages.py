"""French first at /, English at /en/, a language switch without JavaScript, complete catalogues."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

import menage.platform

pytestmark = pytest.mark.django_db
LOCALE = Path(menage.platform.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


def test_french_is_served_at_the_root(world, client, parse):
    page = parse(client.get("/"))
    assert page.html["lang"] == "fr"
    assert page.find("h1").get_text() == "Le nettoyage numérique près de chez vous"
    assert page.find("a", class_="skip")["href"] == "#main"


def test_english_is_served_under_en(world, client, parse):
    response = client.get("/en/campaigns/")
    assert response.status_code == 200
    page = parse(response)
    assert page.html["lang"] == "en"
    assert page.find("h1").get_text() == "Campaigns"


def test_urls_are_translated(world, client):
    slug = world["alpha_public"].slug
    assert client.get(f"/campagnes/{slug}/").status_code == 200
    assert client.get(f"/en/campaigns/{slug}/").status_code == 200
    with translation.override("en"):
        assert reverse("collection:list") == "/en/collection-points/"


def test_the_language_switch_is_a_form_that_keeps_the_page(world, client, parse):
    slug = world["alpha_public"].slug
    page = parse(client.get(f"/campagnes/{slug}/"))
    form = page.find("form", class_="lang")
    assert form["method"] == "post" and form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    button = form.find("button")
    assert (button["name"], button["value"], button["lang"]) == ("language", "en", "en")
    response = client.post(form["action"], {"language": "en", "next": f"/campagnes/{slug}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/campaigns/{slug}/"
    page = parse(client.get(response["Location"]))
    assert page.html["lang"] == "en"
    form = page.find("form", class_="lang")
    assert form.find("button")["value"] == "fr"
    back = client.post(form["action"], {"language": "fr", "next": f"/en/campaigns/{slug}/"})
    assert back["Location"] == f"/campagnes/{slug}/"


def test_the_french_catalogue_is_complete():
    from babel.messages.pofile import read_po

    with (LOCALE / "django.po").open("rb") as handle:
        catalogue = read_po(handle)
    missing = [
        m.id
        for m in catalogue
        if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert missing == []
    assert len(catalogue) > 300


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", compiled, LOCALE / "django.po"], check=True)
    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes(), "run `make i18n`"


def test_demo_texts_and_dates_are_french(world, client, parse):
    page = parse(client.get(world["alpha_public"].get_absolute_url()))
    text = page.find("main").get_text()
    months = (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    )
    assert any(month in text for month in months), text
