"""Absolute addresses for e-mails and calendars, which are read away from any request."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def absolute(path: str) -> str:
    """``path`` on the public site (``MENAGE_SITE_URL``)."""
    return settings.MENAGE_SITE_URL.rstrip("/") + path


def absolute_reverse(name: str, language: str, **kwargs: object) -> str:
    """The public address of a named page, in ``language`` (addresses are translated)."""
    with translation.override(language):
        return absolute(reverse(name, kwargs=kwargs or None))


def site_domain() -> str:
    """The site's host name: stable calendar UIDs are made with it."""
    return urlsplit(settings.MENAGE_SITE_URL).hostname or "localhost"
