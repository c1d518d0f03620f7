"""The WSGI application for gunicorn: ``gunicorn menage.platform.wsgi`` (README: Production)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "menage.platform.settings.production")
application = get_wsgi_application()
