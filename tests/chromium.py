"""One Chromium (Debian's, driven by playwright) and axe-core for every browser test.

The fixtures live here and are imported by the root ``conftest.py`` so that the whole
session has one definition of each: playwright's sync API runs an event loop in its
thread, and a second ``sync_playwright()`` in the same worker (a test module importing
its own copy of the fixture) fails. Missing pieces skip locally and fail in CI.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("MENAGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        missing(f"Chromium not found at {CHROMIUM} (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright Python package is not installed")
    # Playwright's sync API keeps an event loop in this thread for the rest of the session.
    # The server under test is another process and these tests never touch Django's ORM,
    # but later tests in this worker do, synchronously: let them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or spec.origin is None:
        missing("axe-core is missing: the axe-playwright-python package (make test installs it)")
    assert spec is not None and spec.origin is not None
    script = Path(spec.origin).parent / "axe.min.js"
    if not script.is_file():
        missing(f"axe-core is missing: {script} (axe-playwright-python changed its layout)")
    return script
