"""The review page in Chromium, as a person uses it: choose a folder, scan (the live
progress script), read the summary, tick a duplicate group with the keyboard, clean,
undo; zero axe-core violations and EcoIndex A on every step, screenshots at a phone's
and a laptop's size.

Chromium and axe-core come as in the platform's browser tests (the fixtures are theirs).
Set MENAGE_SCREENSHOTS=FOLDER to keep the screenshots.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.platform.browser.conftest import axe_script, browser  # noqa: F401 - fixtures
from tests.platform.browser.test_pages_in_browser import AXE_TAGS, measure

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SIZES = {"phone": (390, 844), "laptop": (1440, 900)}


def axe_violations(page: Any, script: Path) -> list[str]:
    page.add_script_tag(path=str(script))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
    ]


@pytest.fixture
def page(browser: Any) -> Any:  # noqa: F811 - the shared session fixture
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, bypass_csp=True, locale="fr-FR"
    )
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("MENAGE_SCREENSHOTS", tmp_path / "screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_step(page: Any, script: Path, shots: Path, name: str) -> None:
    """No axe violation, a language, and a screenshot at each size."""
    assert axe_violations(page, script) == [], name
    assert page.evaluate("document.documentElement.lang") in ("fr", "en")
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(shots / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_the_whole_review_in_chromium(page, server, tree, menage_home, axe_script, shots):  # noqa: F811
    url = server.url
    grade, numbers = measure(page, url)
    assert grade.grade == "A", numbers
    check_step(page, axe_script, shots, "1-folders")

    # only the whole tree, chosen with the keyboard
    for box in page.locator("input[name=folder]").all():
        box.uncheck()
    whole = page.get_by_label(str(tree), exact=False).last
    whole.focus()
    page.keyboard.press("Space")
    assert whole.is_checked()
    page.get_by_role("button", name="Look for what can be cleaned").click()
    # the progress script polls, then goes on to the summary by itself
    page.wait_for_url(url + "summary")
    check_step(page, axe_script, shots, "3-summary")
    assert "smartphone" in page.locator("main").inner_text()

    page.get_by_role("link", name="Review and choose").click()
    page.wait_for_url(url + "review")
    check_step(page, axe_script, shots, "4-review")
    group = page.locator("fieldset.group").first
    assert group.locator("li.kept .path").inner_text().endswith("Documents/rapport-1.pdf")
    box = group.locator("input[name=pick]")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.get_by_role("button", name="Put in Ménage's bin").click()
    page.wait_for_url(url + "done/*")
    check_step(page, axe_script, shots, "5-done")
    assert not (tree / "Copies" / "rapport-1 (copie).pdf").exists()
    assert (tree / "Documents" / "rapport-1.pdf").exists()
    stashed = [p for p in (menage_home / "quarantine").rglob("*") if p.is_file()]
    assert any(p.stat().st_size == 40_064 for p in stashed)

    page.get_by_role("button", name="Undo this cleanup").click()
    page.wait_for_url(url + "history")
    check_step(page, axe_script, shots, "6-history")
    assert "back in its place" in page.get_by_role("status").inner_text()
    assert (tree / "Copies" / "rapport-1 (copie).pdf").stat().st_size == 40_064

    page.goto(url + "submit?code=VAL7K3QM")
    check_step(page, axe_script, shots, "7-submit")
    grade, numbers = measure(page, url + "review")
    assert grade.grade == "A", numbers


def test_the_scan_page_while_it_runs(page, server, tree, axe_script, shots):  # noqa: F811
    from menage.review.session import ScanJob

    server.review.roots = [tree]
    server.review.job = ScanJob(roots=[tree], stage="hash:full", done=3, total=7)
    page.goto(server.url + "scan")
    assert page.locator("progress").get_attribute("max") == "7"
    check_step(page, axe_script, shots, "2-scan")
    server.review.job.finished = True
    server.review.job.scan_id = None
    server.review.job.error = "a folder vanished"
    page.wait_for_selector("text=The scan stopped")
    check_step(page, axe_script, shots, "2-scan-error")


def test_errors_and_the_end_in_chromium(page, server, tree, axe_script, shots):  # noqa: F811
    page.goto(server.url + "nowhere")
    check_step(page, axe_script, shots, "8-not-found")
    page.goto(server.url)
    page.get_by_role("button", name="Finish").click()
    page.wait_for_selector("h1")
    assert "stopped" in page.locator("h1").inner_text()
    assert server.wait(30)
