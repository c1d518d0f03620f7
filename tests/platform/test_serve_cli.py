"""``menage serve`` and ``menage platform`` end to end, in their own processes.

They run as subprocesses: the CLI configures Django with its own settings, which this
test process (configured for tests) must not share.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest


def run(
    *args: str, home: Path, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(MENAGE_HOME=str(home), MENAGE_LANG="en", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "menage", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        **kwargs,
    )


@pytest.mark.slow
def test_serve_setup_only_migrates_and_loads_the_demo_once(tmp_path):
    first = run(
        "serve",
        "--demo",
        "--setup-only",
        home=tmp_path,
        env={"MENAGE_DEMO_PASSWORD": "a-demo-password"},
    )
    assert first.returncode == 0, first.stderr
    assert "Demo loaded: 5 campaigns, 10 events, 3 collection points." in first.stderr
    assert "marie.dupont" in first.stderr and "a-demo-password" in first.stderr
    assert (tmp_path / "platform" / "db.sqlite3").exists()
    second = run("serve", "--demo", "--setup-only", home=tmp_path)
    assert second.returncode == 0 and "already loaded" in second.stderr
    assert "changepassword" in second.stderr
    purge = run("platform", "purge_registrations", "--dry-run", home=tmp_path)
    assert purge.returncode == 0 and "0 registrations would be deleted" in purge.stdout


def test_serve_without_the_extra_prints_the_install_hint(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['django'] = None\n"  # as if the platform extra were not installed
        "from menage.cli import main\n"
        "main(['serve'])\n"
    )
    environment = {**os.environ, "MENAGE_HOME": str(tmp_path), "MENAGE_LANG": "en"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=60
    )
    assert out.returncode == 1
    assert "pip install 'menage[platform]'" in out.stderr
    assert "Traceback" not in out.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_serve_runs_a_server(tmp_path):
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(MENAGE_HOME=str(tmp_path), MENAGE_LANG="en")
    server = subprocess.Popen(
        [sys.executable, "-m", "menage", "serve", "--demo", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # the demo is migrated and filled before the server answers: on a loaded machine
        # that takes minutes, so wait for the server (or its exit), not for a fixed time
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/campagnes/", timeout=5) as r:
                    body = r.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert "Semaine du nettoyage numérique de Montclair" in body
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "menage.platform.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "QqWwEeRrTtYyUuIiOoPp1234567890!@#$%^&*",
        "DJANGO_ALLOWED_HOSTS": "menage.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "MENAGE_SITE_URL": "https://menage.example.org",
    }
    # behind a proxy without trusted proxies, every client would share one counter: warned
    result = run("platform", "check", "--deploy", "--fail-level", "WARNING", home=tmp_path, env=env)
    assert result.returncode != 0 and "menage.W001" in result.stderr
    env["MENAGE_TRUSTED_PROXIES"] = "127.0.0.1,::1"
    result = run("platform", "check", "--deploy", "--fail-level", "WARNING", home=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret_key(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "menage.platform.settings.production",
        "DJANGO_ALLOWED_HOSTS": "menage.example.org",
    }
    result = run("platform", "check", home=tmp_path, env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        pytest.param("127.0.0.1", None, id="loopback"),
        pytest.param("0.0.0.0", "*", id="every-interface"),
        pytest.param("192.0.2.10", "127.0.0.1,localhost,[::1],192.0.2.10", id="one-address"),
    ],
)
def test_serve_answers_on_the_address_it_listens_on(monkeypatch, host, allowed):
    from menage.platform.runner import allow_host

    monkeypatch.delenv("DJANGO_ALLOWED_HOSTS", raising=False)
    allow_host(host)
    assert os.environ.get("DJANGO_ALLOWED_HOSTS") == allowed
    monkeypatch.delenv("DJANGO_ALLOWED_HOSTS", raising=False)
