"""A throwaway PostgreSQL cluster for the platform's tests (initdb + pg_ctl, Unix socket)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server binaries on this machine."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


class PostgresCluster:
    """initdb + pg_ctl in a temporary folder, listening only on a Unix socket."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        # not under pytest's 0700 tmp dirs: the server user must reach it
        self.root = Path(tempfile.mkdtemp(prefix="menage-pg-"))
        self.data = self.root / "data"
        self.socket = self.root / "socket"
        self.socket.mkdir()
        self.user: str | None = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            import pwd

            for name in ("postgres", "nobody"):
                try:
                    pwd.getpwnam(name)
                except KeyError:
                    continue
                self.user = name
                break
            assert self.user is not None, "no unprivileged user to run PostgreSQL"
            shutil.chown(self.root, self.user)
            shutil.chown(self.socket, self.user)
            os.chmod(self.root, 0o755)

    def _run(self, *args: str) -> None:
        subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            user=self.user,
            cwd=self.root,
            timeout=120,
        )

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "menage",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C",
        )
        options = f"-k {self.socket} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.root / "log"),
            "start",
        )

    def run(self, tool: str, *args: str) -> subprocess.CompletedProcess[bytes]:
        """A PostgreSQL client tool (createdb, pg_dump, pg_restore, psql) on this cluster."""
        return subprocess.run(
            [str(self.bindir / tool), "-h", str(self.socket), "-U", "menage", *args],
            check=True,
            capture_output=True,
            user=self.user,
            cwd=self.root,
            timeout=300,
        )

    def url(self, name: str) -> str:
        return f"postgresql://menage@/{name}?host={self.socket}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def database(self) -> dict[str, Any]:
        """The ``DATABASES`` entry, read from this cluster's URL as a deployment's is."""
        from menage.platform.settings._env import parse_database_url

        return {**parse_database_url(self.url("postgres")), "TEST": {"NAME": "menage_test"}}
