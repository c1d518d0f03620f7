"""Gates from les-emplois: no missing migration, no unused template, small modules, small CSS."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

import menage.platform

PACKAGE = Path(menage.platform.__file__).parent


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits 1 on a change
    assert "No changes detected" in out.getvalue()


def test_every_template_is_used():
    templates = PACKAGE / "templates"
    sources = " ".join(
        path.read_text() for path in PACKAGE.rglob("*") if path.suffix in (".py", ".html")
    )
    # Django picks these by name, not from our code
    implicit = {"404.html", "403.html", "403_csrf.html", "500.html", "core/field.html"}
    unused = [
        name
        for path in templates.rglob("*.html")
        if (name := path.relative_to(templates).as_posix()) not in implicit
        and f'"{name}"' not in sources
    ]
    assert unused == []


def test_the_style_sheet_stays_under_10_kb():
    assert (PACKAGE / "static" / "menage" / "site.css").stat().st_size < 10_000


def test_pages_load_nothing_from_other_sites():
    for path in (PACKAGE / "templates").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r'(src|href)="(https?:)?//', text), path
        assert "<script" not in text, path
