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

from tests.chromium import axe_script, browser  # noqa: E402, F401 - one of each per session


@pytest.fixture(autouse=True)
def menage_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own state folder: no test sees another's index."""
    home = tmp_path_factory.mktemp("menage-home")
    monkeypatch.setenv("MENAGE_HOME", str(home))
    # and no configuration file but the one a test writes (menage.config)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("MENAGE_CONFIG", raising=False)
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


@pytest.fixture
def at_hook() -> Iterator[object]:
    """Run ``action(path)`` at a hook point of :mod:`menage.hooks`, deterministically.

    ``at_hook("apply.act", action, match=lambda path: ...)`` installs it (once by
    default: the first matching call only); it returns the list of paths it ran for.
    The hook is removed after the test.
    """
    from menage import hooks

    def install(point, action, match=None, times=1):
        calls: list[bytes] = []

        def hook(name: str, path: bytes) -> None:
            if name != point or len(calls) >= times:
                return
            if match is not None and not match(path):
                return
            calls.append(path)
            action(path)

        hooks.hook = hook
        return calls

    yield install
    hooks.hook = None


@pytest.fixture
def no_renameat2() -> Iterator[None]:
    """Run as on a filesystem without renameat2: the fallbacks (link + unlink, look then
    replace) are what is tested."""
    from menage import _fs

    _fs.use_renameat2 = False
    yield
    _fs.use_renameat2 = True


@pytest.fixture
def char_device(tmp_path: Path) -> Path:
    """A character device node of the test's own (like /dev/null: major 1, minor 3),
    never the system's /dev/null. Needs root to make: skipped otherwise."""
    import stat

    if os.geteuid() != 0:
        pytest.skip("needs root to make a device node (mknod)")
    node = tmp_path / "devices" / "null"
    node.parent.mkdir()
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return node
