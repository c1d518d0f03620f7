"""Production: every secret and host from the environment, HTTPS only, hashed static files.

Required: ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, and ``DATABASE_URL`` for
PostgreSQL. ``manage.py check --deploy`` is clean with these settings (a test checks it).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from menage.platform.settings._env import env_bool, env_int
from menage.platform.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of 50 characters or more "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# TLS ends at the reverse proxy, which says so in X-Forwarded-Proto
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Django's deploy check asks for preload; the header alone submits nothing to browsers' lists
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = 60 * 60 * 12
