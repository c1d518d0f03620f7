"""Collection-point intake on a phone (390 px wide, with and without JavaScript), the fleet
page and the avoided-impact pages in Chromium; axe-core finds zero violations on each."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
INVENTORY = (
    "Nom;Statut;Fabricant;Numéro de série;Type;Modèle;Lieu;Date d'achat\n"
    "PC-001;En service;Lenovo;PF1;Portable;T14;Écoles;15/09/2021\n"
    "PC-002;En service;Dell;PF2;Portable;Latitude;Accueil;03/02/2020\n"
    "SCR-01;En service;Iiyama;SC1;Écran;ProLite;Écoles;2019\n"
).encode("cp1252")


def _accessible(page: Any, axe_script: Any) -> None:
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    found = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]]
    assert found == [], page.url


def _fits(page: Any) -> None:
    # nothing wider than the phone: no sideways scrolling to reach a field
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (page.url, width)


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def phone_without_js(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_a_facilitator_records_devices_on_a_phone_without_javascript(
    live, phone_without_js, sign_in
):
    page = phone_without_js
    sign_in(page, "camille.martin")  # a facilitator of the city
    page.goto(live("/espace/equipements/collecte/"))
    page.locator("main a.button").first.click()
    page.wait_for_url(re.compile(r"/collecte/\d+/$"))
    intake_url = page.url
    # one device: four taps and two short fields
    page.select_option("#id_device_type", "laptop")
    page.check("input[name=condition][value=working]")
    page.fill("#id_brand", "Lenovo")
    page.fill("#id_serial", "PF-PHONE-1")
    page.fill("#id_weight_kg", "1,6")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/collecte/\d+/\?type=laptop$"))
    notice = page.locator(".notice").inner_text()
    code = re.search(r"[2-9A-Z]{3}-[2-9A-Z]{3}", notice)
    assert code is not None, notice
    assert code.group(0) in page.locator(".recent").inner_text()
    # the next one keeps the type; a bad weight is refused with the field named
    page.fill("#id_weight_kg", "-3")
    page.click("main button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert "Poids" in page.locator(".error-summary").inner_text()
    # bulk count
    page.goto(intake_url + "comptage/")
    page.select_option("#id_device_type", "phone")
    page.check("input[name=condition][value=broken]")
    page.fill("#id_count", "12")
    page.fill("#id_weight_kg", "2,2")
    page.click("main button[type=submit]")
    page.wait_for_url(intake_url + "comptage/")
    assert "12" in page.locator(".notice").inner_text()
    assert "12 × smartphone" in page.locator(".recent").inner_text()


def test_intake_pages_fit_a_phone_and_are_accessible(live, phone, sign_in, axe_script):
    sign_in(phone, "camille.martin")
    phone.goto(live("/espace/equipements/collecte/"))
    _fits(phone)
    _accessible(phone, axe_script)
    phone.locator("main a.button").first.click()
    _fits(phone)
    _accessible(phone, axe_script)
    phone.click("main button[type=submit]")  # empty: the type is required
    assert phone.locator(".error-summary").is_visible()
    _accessible(phone, axe_script)
    phone.click("text=Comptez-les en vrac")
    _fits(phone)
    _accessible(phone, axe_script)


def test_the_fleet_page_imports_and_refuses_whole(live, page, sign_in, axe_script, tmp_path):
    sign_in(page, "marie.dupont")
    page.goto(live("/espace/equipements/parc/"))
    _accessible(page, axe_script)
    bad = tmp_path / "mauvais.csv"
    bad.write_bytes(b"type,serial\nlaptop,A\ngrille-pain,B\nlaptop,A\n")
    page.set_input_files("#id_file", str(bad))
    page.click("main button[type=submit]")
    problems = page.locator(".problems").inner_text()
    assert "ligne 3" in problems and "ligne 4" in problems
    _accessible(page, axe_script)
    good = tmp_path / "parc.csv"
    good.write_bytes(INVENTORY)
    page.set_input_files("#id_file", str(good))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    # the form posts to "#import" (errors show there); the redirect keeps the fragment
    assert re.search(r"/espace/equipements/parc/\d+/(#import)?$", page.url), page.url
    assert page.locator("main figure svg").count() == 2
    assert "Écoles" in page.locator("main table").first.inner_text()
    _accessible(page, axe_script)
    page.set_viewport_size(PHONE)
    _accessible(page, axe_script)


def test_avoided_impact_pages(live, page, sign_in, axe_script):
    sign_in(page, "marie.dupont")
    page.goto(live("/espace/equipements/impact/"))
    text = page.locator("main").inner_text()
    assert "kgCO2e" in text and "ADEME" in text
    _accessible(page, axe_script)
    page.locator("main table a").first.click()
    page.wait_for_url(re.compile(r"/espace/equipements/impact/[\w-]+/$"))
    assert page.locator("main .totals li").count() >= 4
    _accessible(page, axe_script)
