"""System checks of our own settings, run by ``check`` (the ``deploy`` ones by ``--deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def proxy_is_trusted_explicitly(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Behind a reverse proxy every client arrives from the proxy's address: without
    MENAGE_TRUSTED_PROXIES, they would all share one rate-limit counter."""
    behind_proxy = bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None))
    if behind_proxy and not settings.MENAGE_TRUSTED_PROXIES:
        return [
            Warning(
                "The platform sits behind a reverse proxy (SECURE_PROXY_SSL_HEADER) but "
                "MENAGE_TRUSTED_PROXIES is empty: every client would share the proxy's "
                "rate-limit counter.",
                hint="Set MENAGE_TRUSTED_PROXIES to the proxy's address, e.g. 127.0.0.1.",
                id="menage.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.MENAGE_SITE_URL.startswith(("http://127.", "http://localhost")):
        return [
            Warning(
                "MENAGE_SITE_URL is a local address: links in e-mails would not work.",
                hint="Set MENAGE_SITE_URL to the public address, e.g. https://nettoyage.example.org",
                id="menage.W002",
            )
        ]
    return []


@register()
def trusted_proxies_parse(app_configs: Any, **kwargs: Any) -> list[Error]:
    from menage.platform.core.ratelimit import trusted_proxies

    try:
        trusted_proxies()
    except ValueError as error:
        return [
            Error(
                f"MENAGE_TRUSTED_PROXIES: {error}",
                hint="Addresses or networks, comma-separated: 127.0.0.1,10.0.0.0/8",
                id="menage.E001",
            )
        ]
    return []
