"""The HTML scan report in Chromium at a phone's and a laptop's width: short, nothing
wider than the screen, zero axe-core violations; screenshots in build/screenshots/
(report-scan-{en,fr}-{390,1440}.png) for people to look at.

Chromium and axe-core come as in the platform's browser tests (the fixtures are theirs).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.report.short_tree import make_tree
from tests.review.test_review_in_browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]
#: the page's height at 1440 px for the ~300 files of short_tree (it was over 16,000 px
#: for 280 files before the report was made short)
MAX_HEIGHT = 5000


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The report of the same tree in both languages, with a history of one scan."""
    base = tmp_path_factory.mktemp("report-browser")
    tree = make_tree(base / "maison")
    env = {**os.environ, "MENAGE_HOME": str(base / "home")}
    made = {}
    for lang in ("en", "fr"):
        target = base / f"report-{lang}.html"
        command = [sys.executable, "-m", "menage", "--lang", lang, "scan", str(tree)]
        done = subprocess.run(
            [*command, "--html", str(target)], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        made[lang] = target
    return made


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_report_at_phone_and_desktop_widths(browser, axe_script, reports, lang, request):
    folder = request.config.rootpath / "build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page: Any = context.new_page()
        page.goto(reports[lang].as_uri())
        assert axe_violations(page, axe_script) == []
        heights = {}
        for width in (390, 1440):
            page.set_viewport_size({"width": width, "height": 900})
            size = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            assert size[0] <= width, f"{lang} at {width} px: the page is {size[0]} px wide"
            heights[width] = size[1]
            page.screenshot(path=str(folder / f"report-scan-{lang}-{width}.png"), full_page=True)
        assert heights[1440] < MAX_HEIGHT, heights
        # the first thing after the contents: what to do now
        first = page.locator("main section h2").first.inner_text()
        assert first in ("What to do now?", "Que faire maintenant\u202f?")
    finally:
        context.close()
