"""The test suite: fast hashing, mail kept in memory, files in a throwaway folder.

``tests/platform/conftest.py`` swaps the database for a real PostgreSQL cluster when
pytest runs with ``--platform-db=postgresql``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# the base settings find their folders under the Ménage home when imported: never the
# user's own (each test then gets its own home from tests/conftest.py)
os.environ.setdefault("MENAGE_HOME", tempfile.mkdtemp(prefix="menage-test-home-"))

from menage.platform.settings._env import sqlite_database  # noqa: E402
from menage.platform.settings.base import *  # noqa: E402, F403

SECRET_KEY = "tests-only-not-secret-" + "x" * 40
DEBUG = False
DATABASES = {"default": sqlite_database(":memory:")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="menage-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="menage-test-static-"))
WHITENOISE_USE_FINDERS = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
MENAGE_SITE_URL = "http://testserver"
MENAGE_MAIL_RETRY_DELAYS = [60, 300]
MENAGE_DASHBOARD_CACHE_SECONDS = 0  # each test reads what it just stored
