"""docs/deployment.md, tested: a PostgreSQL backup restored into a fresh database gives
the same pages, with the commands the guide gives (pg_dump, pg_restore, migrate)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.platform.postgres import PostgresCluster, postgres_bin, unavailable

# four processes and a PostgreSQL cluster: minutes on a busy two-core machine
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]
ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "/",
    "/agenda/",
    "/campagnes/montclair-nettoyage-numerique/",
    "/evenements/1/",
    "/points-de-collecte/",
    "/organisations/ville-de-montclair/",
    "/accessibilite/",
    "/api/campaigns",
]
# every page, as the site would answer it, without the per-request CSRF token
RENDER = """
import json, re
from django.test import Client
client = Client()
pages = {}
for path in PATHS:
    body = client.get(path).content.decode()
    pages[path] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
print(json.dumps(pages))
"""


def menage(home: Path, database: str, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        MENAGE_HOME=str(home),
        MENAGE_LANG="fr",
        DATABASE_URL=database,
        DJANGO_ALLOWED_HOSTS="testserver",
        MENAGE_DEMO_PASSWORD="backup-restore-demo",
    )
    result = subprocess.run(
        [sys.executable, "-m", "menage", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def pages(home: Path, database: str) -> dict[str, str]:
    code = RENDER.replace("PATHS", repr(PAGES))
    output = menage(home, database, "platform", "shell", "-c", code).stdout
    found: dict[str, str] = json.loads(output.strip().splitlines()[-1])
    return found


def test_a_backup_restored_into_a_fresh_database_gives_the_same_pages(tmp_path):
    bindir = postgres_bin()
    if bindir is None:
        unavailable("PostgreSQL server binaries (initdb, pg_ctl) not found")
    assert bindir is not None
    cluster = PostgresCluster(bindir)
    cluster.start()
    try:
        cluster.run("createdb", "menage")
        source = cluster.url("menage")
        menage(tmp_path, source, "serve", "--demo", "--setup-only")
        before = pages(tmp_path, source)
        assert "Semaine du nettoyage numérique de Montclair" in before["/agenda/"] or before

        # docs/deployment.md, "Backups": a custom-format dump of the database
        dump = cluster.root / "menage.dump"
        cluster.run("pg_dump", "--format=custom", f"--file={dump}", "menage")
        assert dump.stat().st_size > 10_000

        # "Restore": into a fresh, empty database, then migrate (a no-op when up to date)
        cluster.run("createdb", "menage_restored")
        cluster.run("pg_restore", "--no-owner", "--dbname=menage_restored", str(dump))
        restored = cluster.url("menage_restored")
        menage(tmp_path, restored, "platform", "migrate", "--noinput")
        after = pages(tmp_path, restored)
        assert after == before
        # and the restored site still works: an organiser's account came back too
        login = menage(
            tmp_path,
            restored,
            "platform",
            "shell",
            "-c",
            "from django.contrib.auth import authenticate;"
            "print(bool(authenticate(username='marie.dupont', password='backup-restore-demo')))",
        )
        assert login.stdout.strip().splitlines()[-1] == "True"
    finally:
        cluster.stop()
