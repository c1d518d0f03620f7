"""The measures' form, dashboards and bilan in Chromium: axe-core, EcoIndex A, no JavaScript
needed, nothing wider than a phone, the bilan on one printed page; screenshots at
390×844 and 1440×900 in build/screenshots/."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from typing import Any

import pytest
from tests.platform.browser.test_pages_in_browser import WIDTHS, axe_violations, check

pytestmark = [pytest.mark.browser, pytest.mark.slow]
OPEN_CODE = "FORMOPEN"
DASHBOARDS = [
    pytest.param("/campagnes/cyber-menage-ecoles-du-val/resultats/", "measures-campaign-dashboard",
                 id="campaign-dashboard"),
    pytest.param("/organisations/direction-academique-du-val/resultats/",
                 "measures-district-dashboard", id="district-dashboard"),
    pytest.param("/organisations/ville-de-montclair/resultats/", "measures-city-dashboard",
                 id="city-dashboard"),
    pytest.param("/campagnes/cyber-menage-ecoles-du-val/resultats/bilan/", "measures-bilan",
                 id="bilan"),
    pytest.param("/mesures/", "measures-form-code", id="form-code"),
    pytest.param(f"/mesures/{OPEN_CODE}/", "measures-form-choose", id="form-choose"),
    pytest.param(f"/mesures/{OPEN_CODE}/data/", "measures-form-data", id="form-data"),
    pytest.param(f"/mesures/{OPEN_CODE}/devices/", "measures-form-devices", id="form-devices"),
]  # fmt: skip


@pytest.fixture(scope="session")
def open_code(live: Any) -> str:
    """A participation code on a campaign running today, in the live demo's own database.

    The demo's weeks start next Monday, when the form takes no entry yet; a school's
    operation (which no other browser test reads) is moved to run today instead.
    """
    today = dt.date.today()
    with sqlite3.connect(live.home / "platform" / "db.sqlite3") as db:
        db.execute(
            "UPDATE campaigns_campaign SET starts_on = ?, ends_on = ? WHERE slug = ?",
            ((today - dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=3)).isoformat(),
             "college-jean-moulin-donnees"),
        )  # fmt: skip
        campaign = db.execute(
            "SELECT id FROM campaigns_campaign WHERE slug = 'college-jean-moulin-donnees'"
        ).fetchone()[0]
        db.execute(
            "INSERT OR IGNORE INTO measures_participationcode (campaign_id, code, token, label,"
            " active, created_at) VALUES (?, ?, ?, '', 1, ?)",
            (campaign, OPEN_CODE, "browser-test-token-" + OPEN_CODE, dt.datetime.now().isoformat()),
        )
    return OPEN_CODE


@pytest.mark.parametrize(("path", "name"), DASHBOARDS)
def test_measures_pages(browser, page, live, axe_script, open_code, path, name, request):
    check(page, live(path), axe_script)
    folder = request.config.rootpath / "build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        shot = context.new_page()
        try:
            shot.goto(live(path))
            shot.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
            overflow = shot.evaluate("document.documentElement.scrollWidth") - width
            assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
        finally:
            context.close()


def test_the_bilan_prints_on_one_page(page, live):
    page.goto(live("/campagnes/cyber-menage-ecoles-du-val/resultats/bilan/"))
    pdf = page.pdf(format="A4")
    # Chromium writes each page object as "/Type /Page" (the tree itself is "/Pages")
    assert len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf)) == 1


def test_a_participant_reports_devices_without_javascript(page_without_js, live, open_code):
    page = page_without_js
    page.goto(live("/mesures/"))
    page.fill("#id_code", open_code.lower())
    page.click("main button[type=submit]")
    page.click(f"a[href='/mesures/{open_code}/devices/']")
    page.select_option("#id_device_type", "phone")
    page.check("#id_device_state_0")
    page.fill("#id_count", "-2")
    page.click("main button[type=submit]")
    assert page.locator("#id_count_error").is_visible()
    page.fill("#id_count", "3")
    page.click("main button[type=submit]")
    assert page.url == live(f"/mesures/{open_code}/")
    assert "Merci" in page.locator(".notice").inner_text()


def test_the_form_with_errors_is_accessible(page, live, axe_script, open_code):
    page.goto(live(f"/mesures/{open_code}/data/"))
    page.check("#id_where_0")
    page.fill("#id_gigabytes", "<script>alert(1)</script>")
    page.click("main form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert page.get_attribute("#id_gigabytes", "aria-invalid") == "true"
    assert axe_violations(page, axe_script) == []
