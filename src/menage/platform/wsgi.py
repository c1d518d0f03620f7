"""The WSGI application for gunicorn: ``gunicorn menage.platform.wsgi`` (README: Production)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "menage.platform.settings.production")
application = get_wsgi_application()
# the URLs (and the views they import) loaded now: before gunicorn forks its workers
# (--preload), once, rather than by each worker on its first request
get_resolver().url_patterns  # noqa: B018 - loaded for its side effect
