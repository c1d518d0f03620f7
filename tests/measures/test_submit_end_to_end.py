"""``menage submit`` against a real platform server: real cleanups on a tree made here."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.clean.conftest import make_plan, scan, write

pytestmark = pytest.mark.slow

SETUP = """
import datetime as dt
from menage.platform.campaigns.models import Campaign
from menage.platform.measures.models import ParticipationCode
from menage.platform.organisations.models import Organisation
today = dt.date.today()
city = Organisation.objects.create(name="Ville", slug="ville", kind="city")
week = Campaign.objects.create(organisation=city, name="Semaine", slug="semaine", kind="data",
    starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=3))
old = Campaign.objects.create(organisation=city, name="Passée", slug="passee", kind="data",
    starts_on=today - dt.timedelta(days=90), ends_on=today - dt.timedelta(days=60))
ParticipationCode.objects.create(campaign=week, code="OPEN2345")
ParticipationCode.objects.create(campaign=old, code="SHUT2345")
"""
TOTALS = """
import json
from menage.platform.campaigns.models import Campaign
from menage.platform.measures.aggregates import campaign_totals
t = campaign_totals(Campaign.objects.get(slug="semaine"))
print(json.dumps({"moved_bytes": t.moved_bytes, "moved_files": t.moved_files,
    "restored_bytes": t.restored_bytes, "participants": t.participants}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def platform_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(MENAGE_HOME=str(home), MENAGE_LANG="en")
    return env


def manage(home: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "menage", *args],
        capture_output=True,
        text=True,
        env=platform_env(home),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    home = tmp_path_factory.mktemp("platform-home")
    manage(home, "serve", "--setup-only")
    manage(home, "platform", "shell", "-c", SETUP)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "menage", "serve", "--port", str(port)],
        env=platform_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v1/openapi.json", timeout=5):
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.3)
    try:
        yield {"url": url, "home": home}
    finally:
        process.terminate()
        process.wait(timeout=30)


def totals(server: dict[str, Any]) -> dict[str, int]:
    out = manage(server["home"], "platform", "shell", "-c", TOTALS)
    return dict(json.loads(out.strip().splitlines()[-1]))


def test_submit_then_resubmit_then_undo_sends_a_correction(menage, tmp_path, server):
    root = tmp_path / "tree"
    write(root / "a" / "report.pdf", b"R" * 5000)
    write(root / "b" / "report.pdf", b"R" * 5000)
    write(root / "c" / "report.pdf", b"R" * 5000)
    write(root / "a" / "photo.jpg", b"P" * 3000)
    write(root / "b" / "photo.jpg", b"P" * 3000)
    scan(menage, root)
    planned = make_plan(menage, tmp_path / "plan.json", "--duplicates")
    assert menage("apply", planned, "--yes").exit_code == 0
    address = f"{server['url']}/api/v1/campaigns/open2345"
    # no terminal and no --yes: refused, nothing sent
    refused = menage("submit", "--campaign", address)
    assert refused.exit_code == 8 and totals(server)["participants"] == 0
    sent = menage("submit", "--campaign", address, "--yes")
    assert sent.exit_code == 0, sent.stderr
    assert "13" in sent.stderr  # 13 kB (two copies of the report, one of the photo)
    for forbidden in ("report.pdf", str(root)):
        assert forbidden not in sent.stderr
    assert totals(server) == {
        "moved_bytes": 13_000, "moved_files": 3, "restored_bytes": 0, "participants": 1,
    }  # fmt: skip
    again = menage("submit", "--campaign", "OPEN2345", "--server", server["url"], "--yes")
    assert again.exit_code == 0, again.stderr
    assert totals(server)["moved_bytes"] == 13_000  # replaced, not added
    assert menage("undo", "--yes").exit_code == 0
    corrected = menage("submit", "--campaign", address, "--yes")
    assert corrected.exit_code == 0, corrected.stderr
    assert totals(server) == {
        "moved_bytes": 0, "moved_files": 0, "restored_bytes": 13_000, "participants": 1,
    }  # fmt: skip


def test_wrong_code_and_closed_campaign(menage, server):
    wrong = menage("submit", "--campaign", "NOPE2345", "--server", server["url"], "--yes")
    assert wrong.exit_code == 1 and "NOPE2345" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    closed = menage("submit", "--campaign", "SHUT2345", "--server", server["url"], "--yes")
    assert closed.exit_code == 1 and "Passée" in closed.stderr
    bare = menage("submit", "--campaign", "OPEN2345", "--yes")
    assert bare.exit_code == 1 and "--server" in bare.stderr


def test_server_down_is_retried_with_backoff_then_reported():
    from menage.measures import ServerUnreachable, campaign_info

    waits: list[float] = []
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ServerUnreachable) as caught:
        campaign_info(url, "OPEN2345", retries=3, sleep=waits.append)
    assert waits == [1.0, 2.0, 4.0]
    assert url in str(caught.value)
