"""The configuration file: where it is, what it sets, and mistakes named by line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clean.conftest import OLD, write


def config_file(menage_home: Path, text: str) -> Path:
    """The file in the usual place (XDG_CONFIG_HOME is set by the autouse fixture)."""
    path = menage_home / "config" / "menage" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_no_file_means_every_default(menage, menage_home):
    shown = menage("config", "--json")
    assert shown.exit_code == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["exists"] is False
    assert data["file"] == str(menage_home / "config" / "menage" / "config.toml")
    assert data["quarantine"]["retention_days"] == 30
    assert menage("config", "--path").stdout.strip() == data["file"]


def test_init_writes_a_commented_example_that_reads_as_the_defaults(menage, menage_home):
    created = menage("config", "--init")
    assert created.exit_code == 0, created.stderr
    path = menage_home / "config" / "menage" / "config.toml"
    assert "[quarantine]" in path.read_text("utf-8")
    data = json.loads(menage("config", "--json").stdout)
    assert data["exists"] is True and data["set"] == []
    again = menage("config", "--init")
    assert again.exit_code == 2
    assert "already exists" in again.stderr


def test_the_file_sets_every_default(menage, menage_home, tmp_path):
    reference = tmp_path / "reference"
    reference.mkdir()
    config_file(
        menage_home,
        f'language = "en"\n[scan]\nexclude = ["*.iso"]\n'
        f'[plan]\nkeep = ["in {reference}", "newest"]\narchives = ["~/Archives"]\n'
        f'[quarantine]\nretention = "2w"\n',
    )
    data = json.loads(menage("config", "--json").stdout)
    assert data["scan"]["exclude"] == ["*.iso"]
    assert data["plan"]["keep"] == [f"in {reference}", "newest"]
    assert data["quarantine"]["retention_days"] == 14
    assert set(data["set"]) == {
        "language", "scan.exclude", "plan.keep", "plan.archives", "quarantine.retention"
    }  # fmt: skip
    shown = menage("config")
    assert "from the file" in shown.stdout
    # the exclusion applies to scans, the keep rules to plans
    tree = tmp_path / "tree"
    write(tree / "disk.iso", b"I" * 5000)
    write(tree / "a" / "x.txt", b"X" * 5000, mtime=OLD)
    write(reference / "x.txt", b"X" * 5000, mtime=OLD + 10)
    scanned = menage("scan", tree, reference, "--json")
    assert scanned.exit_code == 0, scanned.stderr
    assert json.loads(scanned.stdout)["total"]["files"] == 2
    planned = menage("plan", "--duplicates", "-o", "-")
    assert planned.exit_code == 0, planned.stderr
    rows = [json.loads(r) for r in planned.stdout.splitlines() if r.startswith("{")]
    actions = [r for r in rows if "path" in r and "keep" in r]
    assert [a["path"] for a in actions] == [str(tree / "a" / "x.txt")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('language = "es"\n', "line 1, language: must be one of fr, en"),
        ('[plan]\nkeep = ["oldest"]\narchives = "x"\n', "line 3, plan.archives: must be a list"),
        ('[plan]\nkeep = ["youngest"]\n', "line 2, plan.keep: 'youngest' is not a keep rule"),
        ('[quarantine]\nretention = "soon"\n', "line 2, quarantine.retention:"),
        ("[quarantine]\nretention = 0\n", "must be more than zero"),
        ("colour = 1\n", "line 1, colour: unknown key"),
        ("[scan]\n\nexcludes = []\n", "line 3, scan.excludes: unknown key (known: exclude)"),
        ("[plan\n", "line 1, column 6: this is not valid TOML"),
    ],
)
def test_a_mistake_is_named_by_line_and_key_with_exit_2(menage, menage_home, text, expected):
    path = config_file(menage_home, text)
    for args in (("history",), ("scans",), ("config",)):
        result = menage(*args)
        assert result.exit_code == 2, (args, result.stdout)
        assert expected in result.stderr, result.stderr
        assert str(path) in result.stderr
        assert "Traceback" not in result.stderr
    # --path still answers, so that the file can be found and fixed
    assert menage("config", "--path").exit_code == 0


def test_config_option_and_environment_choose_the_file(menage, menage_home, tmp_path):
    chosen = tmp_path / "chosen.toml"
    chosen.write_text("[quarantine]\nretention = 7\n", "utf-8")
    data = json.loads(menage("--config", chosen, "config", "--json").stdout)
    assert (data["origin"], data["quarantine"]["retention_days"]) == ("--config", 7)
    os.environ["MENAGE_CONFIG"] = str(chosen)
    try:
        data = json.loads(menage("config", "--json").stdout)
        assert data["origin"] == "MENAGE_CONFIG"
        os.environ["MENAGE_CONFIG"] = str(tmp_path / "missing.toml")
        missing = menage("scans")
        assert missing.exit_code == 2
        assert "there is no such file" in missing.stderr
    finally:
        del os.environ["MENAGE_CONFIG"]


def test_the_file_chooses_the_language_and_errors_are_french(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('language = "fr"\n', "utf-8")
    env = {**os.environ, "MENAGE_CONFIG": str(config), "LANG": "en_US.UTF-8"}
    env.pop("MENAGE_LANG", None)
    shown = subprocess.run(
        [sys.executable, "-m", "menage", "config"], capture_output=True, text=True, env=env
    )
    assert shown.returncode == 0, shown.stderr
    assert "Fichier de configuration" in shown.stdout
    # a broken file is not trusted for its language either: --lang says it
    config.write_text('language = "fr"\n[plan]\nkeep = 3\n', "utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "menage", "--lang", "fr", "history"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert bad.returncode == 2
    assert "ligne 3, plan.keep" in bad.stderr
    assert "Traceback" not in bad.stderr
