"""The equipment lifecycle and its certificates in Chromium, through the real forms:
record a device, diagnose, wipe with a certificate, repair, donate; a refused step;
axe-core finds zero violations (WCAG 2.1 A/AA) on every page of the way."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _accessible(page: Any, axe_script: Any) -> None:
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    found = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]]
    assert found == [], page.url


def test_a_device_goes_from_collection_to_donation_with_a_certificate(
    live, page, sign_in, axe_script
):
    sign_in(page, "marie.dupont")
    page.goto(live("/espace/equipements/"))
    _accessible(page, axe_script)
    page.click("text=Enregistrer un équipement collecté")
    _accessible(page, axe_script)
    page.select_option("#id_device_type", "laptop")
    page.fill("#id_brand", "Fujitsu")
    page.fill("#id_model_name", "Lifebook E548")
    page.fill("#id_serial", "DSAB012345")
    page.fill("#id_collected_on", "2026-03-02")
    page.fill("#id_weight_kg", "1.9")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/espace/equipements/\d+/$"))
    code = page.locator("h1").inner_text().split(" ")[0]
    device_url = page.url
    _accessible(page, axe_script)

    # donating before the data is wiped is refused, with the reason
    page.goto(device_url + "etapes/donate/")
    page.wait_for_url(device_url)
    assert "n'est pas possible" in page.locator(".notice").inner_text()

    page.click("text=Enregistrer le diagnostic")
    _accessible(page, axe_script)
    page.fill("#id_note", "batterie faible, le reste fonctionne")
    page.click("main button[type=submit]")
    page.wait_for_url(device_url)

    page.click("text=Effacer les données (certificat)")
    page.click("main button[type=submit]")  # empty: every required field says so
    assert page.locator(".error-summary").is_visible()
    _accessible(page, axe_script)
    page.check("input[name=method][value=nist_clear]")
    page.fill("#id_media", "SSD 256 Go, n° S4EV1234")
    page.fill("#id_tool", "nwipe 0.35")
    page.fill("#id_operator", "Julien Moreau")
    page.fill("#id_wiped_on", "2026-03-04")
    page.check("input[name=verification][value=full]")
    page.fill("#id_result", "relecture complète : zéros uniquement")
    page.fill("#id_batch", "LOT-NAVIGATEUR")
    page.click("main button[type=submit]")
    page.wait_for_url(device_url)
    assert "données effacées" in page.locator(".state").inner_text()

    page.click("text=Réparé")
    page.click("main button[type=submit]")
    page.wait_for_url(device_url)
    page.click("a.button:text-is('Donné')")
    page.fill("#id_recipient", "École Jules-Ferry")
    page.click("main button[type=submit]")
    page.wait_for_url(device_url)
    assert page.locator(".state").inner_text() == "donné"
    history = page.locator("table").inner_text()
    for step in ("Collecté", "Enregistrer le diagnostic", "Réparé", "Donné", "Marie Dupont"):
        assert step in history
    assert "kgCO2e" in page.locator("main").inner_text()  # its avoided impact, with the method
    _accessible(page, axe_script)

    page.click("text=Imprimer le certificat")
    facts = page.locator("dl.facts").inner_text()
    assert code in facts and "Julien Moreau" in facts and "Clear" in facts
    _accessible(page, axe_script)
    page.goto(live("/espace/equipements/lots/LOT-NAVIGATEUR/certificat/"))
    assert page.locator("section.certificate").count() == 1
    _accessible(page, axe_script)


def test_labels_and_the_demo_batch_certificate(live, page, sign_in, axe_script):
    sign_in(page, "marie.dupont")
    page.goto(live("/espace/equipements/etiquettes/"))
    assert page.locator(".labels .code").count() >= 3
    _accessible(page, axe_script)
    page.goto(live("/espace/equipements/lots/MONTCLAIR-LOT-1/certificat/"))
    assert page.locator("section.certificate").count() == 5
    _accessible(page, axe_script)
    page.emulate_media(media="print")
    assert not page.locator("nav").first.is_visible()


def test_recording_a_device_works_without_javascript(live, page_without_js, sign_in):
    page = page_without_js
    sign_in(page, "marie.dupont")
    page.goto(live("/espace/equipements/nouveau/"))
    page.select_option("#id_device_type", "phone")
    page.fill("#id_collected_on", "2026-03-02")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/espace/equipements/\d+/$"))
    assert "smartphone" in page.locator("h1").inner_text()
