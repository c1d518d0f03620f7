"""Shared fixtures: an isolated Ménage home, English messages, a CLI runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Tests read English messages; French is checked by the i18n tests.
os.environ["MENAGE_LANG"] = "en"

from menage import i18n  # noqa: E402

i18n.setup("en")


@pytest.fixture(autouse=True)
def menage_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own state folder: no test sees another's index."""
    home = tmp_path_factory.mktemp("menage-home")
    monkeypatch.setenv("MENAGE_HOME", str(home))
    return home


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes


@pytest.fixture
def menage() -> Iterator[object]:
    """Run the ``menage`` command in-process and capture what it prints."""
    from click.testing import CliRunner

    from menage.cli._app import cli

    runner = CliRunner()

    def run(*args: str | os.PathLike[str]) -> Run:
        result = runner.invoke(cli, [os.fspath(a) for a in args], catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)

    yield run
