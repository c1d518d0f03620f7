"""``menage serve``: the embedded SQLite database under the Ménage home, a generated secret key.

Static files are served from the package by whitenoise (no ``collectstatic`` needed);
``DJANGO_DEBUG=1`` turns on Django's debug pages.
"""

from __future__ import annotations

import os

from menage.platform.settings.base import *  # noqa: F403
from menage.platform.settings.base import secret_key_from_state

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secret_key_from_state()
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
