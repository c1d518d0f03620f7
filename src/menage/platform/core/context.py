"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    from django.utils.functional import SimpleLazyObject

    def compliance() -> str:
        from menage.platform.core.views.pages import publisher_rgaa_status

        return publisher_rgaa_status()

    # read only by the footer, once per page
    return {"site_name": settings.MENAGE_SITE_NAME, "rgaa_status": SimpleLazyObject(compliance)}
