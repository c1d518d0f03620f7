"""``menage review`` as a person starts it, and its desktop shortcut."""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request

from tests.review.conftest import make_tree


def test_review_prints_its_address_and_stops_on_finish(tmp_path, menage_home):
    tree = make_tree(tmp_path / "maison")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "MENAGE_HOME": str(menage_home)}
    command = [sys.executable, "-m", "menage", "--lang", "en", "review", str(tree), "--no-browser"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        try:
            assert process.stdout is not None
            process.stdout.readline()  # what the address is for
            url = process.stdout.readline().strip()
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]{40,}/", url), url
            with urllib.request.urlopen(url, timeout=30) as response:
                page = response.read().decode()
            assert str(tree) in page
            csrf = re.search(r'name="csrf" value="([^"]+)"', page)
            assert csrf is not None
            body = urllib.parse.urlencode({"csrf": csrf.group(1)}).encode()
            with urllib.request.urlopen(url + "quit", body, timeout=30) as response:
                assert "stopped" in response.read().decode()
            _out, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0
    assert "has stopped" in err


def test_review_refuses_a_missing_folder(menage, tmp_path):
    result = menage("review", tmp_path / "nowhere", "--no-browser")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_install_shortcut_writes_a_desktop_file(menage, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = menage("review", "--install-shortcut")
    assert result.exit_code == 0, result.stderr
    desktop = tmp_path / "data" / "applications" / "menage-review.desktop"
    assert str(desktop) in result.stdout
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(desktop, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Terminal"] == "false"
    assert section["Exec"].endswith("-m menage review")
    assert section["Exec"].split()[0] == sys.executable
    assert section["Name[fr]"].startswith("Ménage")


def test_install_shortcut_defaults_to_the_home_data_folder(menage, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert menage("review", "--install-shortcut").exit_code == 0
    assert (tmp_path / ".local/share/applications/menage-review.desktop").is_file()


def test_install_shortcut_says_why_it_cannot_write(menage, tmp_path, monkeypatch):
    blocked = tmp_path / "data"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked))
    result = menage("review", "--install-shortcut")
    assert result.exit_code == 1
    assert "cannot be written" in result.stderr
    assert "Traceback" not in result.stderr
