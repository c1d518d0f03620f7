"""The manual page built from the help, and shell completion from click."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from menage.cli._app import cli


def every_command(group: click.Group, prefix: str = "menage") -> list[str]:
    ctx = click.Context(group, info_name="menage")
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if command.hidden:
            continue
        found.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            found.extend(every_command(command, f"{prefix} {name}"))
    return found


def test_the_manual_page_has_every_command_and_its_options():
    from menage.cli._manpage import manual

    page = manual(cli, "1.2.3")
    assert page.startswith('.TH MENAGE 1 "')
    commands = every_command(cli)
    assert "menage mail analyse" in commands  # subcommands too
    for name in commands:
        assert f'.SS "{name.replace("-", chr(92) + "-")}"' in page, name
    assert ".B \\-\\-remove\\-empty\\-folders / \\-\\-keep\\-empty\\-folders" in page
    assert "MENAGE_CONFIG" in page
    # no line is read as a roff request by mistake
    requests = {line.split()[0] for line in page.splitlines() if line.startswith(".")}
    assert requests <= {".TH", ".SH", ".SS", ".B", ".I", ".TP", ".PP", ".nf", ".fi", ".RS", ".RE"}


def test_make_man_builds_a_french_page_that_groff_reads_without_warnings(tmp_path):
    target = tmp_path / "man1" / "menage.1"
    built = subprocess.run(
        [sys.executable, "-m", "menage.cli._manpage", target, "fr"],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    page = target.read_text("utf-8")
    assert ".SH NOM" in page and ".SH COMMANDES" in page
    assert "Analyser des dossiers" in page
    groff = shutil.which("groff")
    if groff is None:
        if os.environ.get("CI") == "true":
            pytest.fail("groff (groff-base) is needed to check the manual page")
        pytest.skip("groff (groff-base) is needed to check the manual page")
    shown = subprocess.run(
        [groff, "-k", "-man", "-Tutf8", "-ww", target], capture_output=True, text=True
    )
    assert shown.returncode == 0
    assert shown.stderr == ""
    assert "menage config" in shown.stdout


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "_menage_completion"), ("zsh", "#compdef menage"), ("fish", "complete")],
)
def test_completion_scripts_come_from_click(shell: str, marker: str):
    env = {**os.environ, "_MENAGE_COMPLETE": f"{shell}_source"}
    result = subprocess.run(
        [sys.executable, "-m", "menage"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert "_MENAGE_COMPLETE" in result.stdout


def test_completion_completes_command_names(tmp_path: Path):
    env = {
        **os.environ,
        "_MENAGE_COMPLETE": "bash_complete",
        "COMP_WORDS": "menage sca",
        "COMP_CWORD": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "menage"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["plain,scan", "plain,scans"]
