"""The suite runs on the database it was asked for, for real."""

from __future__ import annotations

import pytest
from django.db import connection

from menage.platform.settings._env import parse_database_url


@pytest.mark.django_db
def test_the_requested_database_is_in_use(on_postgresql):
    assert connection.vendor == ("postgresql" if on_postgresql else "sqlite")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "postgresql://menage:s%40cret@db.example:5433/menage",
            {
                "NAME": "menage",
                "USER": "menage",
                "PASSWORD": "s@cret",
                "HOST": "db.example",
                "PORT": "5433",
            },
            id="tcp",
        ),
        pytest.param(
            "postgres:///menage?host=/run/postgresql",
            {"NAME": "menage", "HOST": "/run/postgresql"},
            id="unix-socket",
        ),
        pytest.param(
            "postgresql://u@h/menage?pool=true",
            {"OPTIONS": {"pool": True, "prepare_threshold": 2**31 - 1}, "CONN_MAX_AGE": 0},
            id="pool",
        ),
        pytest.param(
            "postgresql://u@h/menage?prepare_threshold=none",
            {"OPTIONS": {"prepare_threshold": None}},
            id="behind-a-pooler-in-transaction-mode",
        ),
        pytest.param(
            "postgresql://u@h/menage?prepare_threshold=5",
            {"OPTIONS": {"prepare_threshold": 5}},
            id="prepare-threshold",
        ),
        pytest.param(
            "sqlite:////var/lib/menage/db.sqlite3",
            {"NAME": "/var/lib/menage/db.sqlite3"},
            id="sqlite-absolute",
        ),
    ],
)
def test_database_urls(url, expected):
    config = parse_database_url(url)
    for key, value in expected.items():
        assert config[key] == value


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("mysql://u@h/db", id="unsupported-scheme"),
        pytest.param("postgresql://u@h/", id="no-name"),
        pytest.param("sqlite://", id="no-file"),
        pytest.param("postgresql://u@h/menage?prepare_threshold=often", id="bad-threshold"),
    ],
)
def test_bad_database_urls_say_why(url):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url)
