"""A live platform (``menage serve --demo`` in its own process) and one Chromium for the session.

Debian's Chromium is driven by the Python ``playwright`` package with ``executable_path``;
``playwright install`` is never run (it downloads a browser). axe-core comes from PyPI:
the locked ``axe-playwright-python`` test dependency ships ``axe.min.js``, read from the
installed package (the npm registry is not reachable from our machines). Missing pieces
skip locally and fail in CI.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

DEMO_PASSWORD = "browser-tests-demo-password"


@dataclass
class LiveServer:
    url: str
    home: Path

    def __call__(self, path: str) -> str:
        return self.url + path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def mail_sink() -> Iterator[Any]:
    """The real SMTP server the live platform's worker sends its mails to."""
    from tests.platform.smtp_sink import SmtpSink

    sink = SmtpSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory, mail_sink: Any) -> Iterator[LiveServer]:
    """``menage serve --demo`` on a free port, with its own Ménage home.

    Its background worker (started by ``menage serve``) sends mails to ``mail_sink``.
    """
    home = tmp_path_factory.mktemp("platform-home")
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    environment.update(
        MENAGE_HOME=str(home),
        MENAGE_LANG="en",
        MENAGE_DEMO_PASSWORD=DEMO_PASSWORD,
        MENAGE_RATE_LIMIT="1000",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(mail_sink.port),
    )
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "menage", "serve", "--demo", "--port", str(port)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(url + "/", timeout=5):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail("the platform did not start:\n" + (home / "server.log").read_text())
            time.sleep(0.3)
    try:
        yield LiveServer(url, home)
    finally:
        server.terminate()  # menage serve stops its worker with it
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page at 1920×1080; the test's own axe-core may be injected despite our CSP."""
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, bypass_csp=True, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser: Any) -> Iterator[Any]:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(live: LiveServer) -> Any:
    """``sign_in(page, "marie.dupont")``: through the real login form."""

    def signed_in(page: Any, username: str) -> None:
        page.goto(live("/compte/connexion/"))
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(live("/espace/"))

    return signed_in
