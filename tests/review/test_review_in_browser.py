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
def page(browser: Any) -> Any:
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


def test_the_whole_review_in_chromium(page, server, tree, menage_home, axe_script, shots):
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


def test_the_scan_page_while_it_runs(page, server, tree, axe_script, shots):
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


def test_errors_and_the_end_in_chromium(page, server, tree, axe_script, shots):
    page.goto(server.url + "nowhere")
    check_step(page, axe_script, shots, "8-not-found")
    page.goto(server.url)
    page.get_by_role("button", name="Finish").click()
    page.wait_for_selector("h1")
    assert "stopped" in page.locator("h1").inner_text()
    assert server.wait(30)


@pytest.fixture
def photo_server(tmp_path: Path, menage_home: Path) -> Any:
    from menage import Workspace
    from menage.review import Review, ReviewServer, offered_folders
    from tests.review.test_photo_panel import make_photos

    root = tmp_path / "maison"
    made = make_photos(root)
    running = ReviewServer(Review(Workspace(menage_home), offered_folders([root])))
    running.start(poll_s=0.2)
    yield running, root, made
    running.stop()


def test_photos_and_duplicates_in_chromium(page, photo_server, menage_home, axe_script, shots):
    server, root, made = photo_server
    url = server.url
    page.goto(url)
    page.get_by_role("button", name="Look for what can be cleaned").click()
    page.wait_for_url(url + "summary", timeout=120_000)
    assert "Similar photos" in page.locator("main").inner_text()
    page.get_by_role("link", name="Review and choose").click()
    page.wait_for_url(url + "review")
    # every thumbnail arrived and is small (never the full-size photo)
    images = page.locator(".thumbs img")
    assert images.count() == 5
    for n in range(images.count()):
        images.nth(n).scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=images.nth(n).element_handle()
        )
        assert images.nth(n).evaluate("img => Math.max(img.naturalWidth, img.naturalHeight)") <= 160
    check_step(page, axe_script, shots, "4-review-photos")
    similar = page.locator("fieldset.photos").first
    assert "best shot, kept" in similar.locator("li.kept").inner_text()
    assert "the most pixels" in similar.inner_text()
    # a photo group and a duplicate group, ticked with the keyboard
    for box in (
        similar.locator("legend input[name=pick]"),
        page.locator("fieldset.group:not(.photos) input[name=pick]").first,
    ):
        box.focus()
        page.keyboard.press("Space")
        assert box.is_checked()
    page.get_by_role("button", name="Put in Ménage's bin").click()
    page.wait_for_url(url + "done/*")
    assert not made["copy"].exists() and made["best"].exists()
    assert not (root / "Copies" / "rapport-1 (copie).pdf").exists()
    held = [p.name for p in (menage_home / "quarantine").rglob("*") if p.is_file()]
    assert any("IMG_0001-whatsapp" in name for name in held), held
    page.get_by_role("button", name="Undo this cleanup").click()
    page.wait_for_url(url + "history")
    assert made["copy"].exists()
    assert (root / "Copies" / "rapport-1 (copie).pdf").exists()


def test_the_mail_panel_in_chromium(page, server, tmp_path, axe_script, shots):
    from tests.mail import messages
    from tests.review.test_mail_panel import contents

    raws = [messages.newsletter(n=k) for k in range(3)]
    raws += [messages.newsletter("infos@club.example.org", n=k, one_click=False) for k in range(2)]
    raws += [messages.with_attachment(size=1_200_000), messages.personal(n=1)]
    box = messages.write_mbox(tmp_path / "Courrier.mbox", raws)
    page.goto(server.url + "mail")
    check_step(page, axe_script, shots, "9-mail-add")
    page.get_by_label("Its path").fill(str(box))
    page.get_by_role("button", name="Look at this mailbox").click()
    page.wait_for_url(server.url + "mail")
    main = page.locator("main").inner_text()
    assert "news@lettres.example.com" in main and "Big attachments" in main
    check_step(page, axe_script, shots, "9-mail-found")
    box_pick = page.get_by_label("news@lettres.example.com", exact=False).first
    box_pick.check()
    page.get_by_role("button", name="Move the ticked senders' messages out").click()
    page.wait_for_url(server.url + "done/*")
    assert len(contents(box)) == 4
    page.get_by_role("button", name="Undo this cleanup").click()
    page.wait_for_url(server.url + "history")
    assert len(contents(box)) == 7
    page.goto(server.url + "mail")
    assert "7" in page.locator(".figures").inner_text()  # read again after the undo

    # in French, the page switched from its own link
    page.goto(server.url + "mail")
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(server.url + "mail")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert "Lettres d’information" in page.locator("main").inner_text()
    check_step(page, axe_script, shots, "9-mail-fr")


def test_the_cleaning_page_while_it_runs(page, server, axe_script, shots):
    from menage.review.session import CleanJob

    server.review.clean_job = CleanJob(total=400, done=120, bytes=5_000_000)
    page.goto(server.url + "cleaning")
    assert page.locator("progress").get_attribute("max") == "400"
    assert "120 of 400" in page.get_by_role("status").inner_text()
    check_step(page, axe_script, shots, "4-cleaning")
    server.review.clean_job.finished = True
    server.review.clean_job.error = "another cleanup is running"
    page.wait_for_selector("text=another cleanup is running")
