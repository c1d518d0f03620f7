"""A public campaign open today with a poster code, and the API calls the measures
tests make on it (shared by the cache and freshness-window tests)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client


def open_week(world: dict[str, Any], settings: Any, code: str) -> dict[str, Any]:
    """The alpha city's public campaign, open today, with the poster code ``code``."""
    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures.models import ParticipationCode

    settings.MENAGE_MEASURES_MIN_GROUP = 1
    today = dt.date.today()
    Campaign.objects.filter(pk=world["alpha_public"].pk).update(
        starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1)
    )
    campaign = Campaign.objects.get(pk=world["alpha_public"].pk)
    poster = ParticipationCode.objects.create(campaign=campaign, code=code)
    return {"campaign": campaign, "code": poster, "slug": campaign.slug}


def add_operation(campaign: Any, code: str, approved: bool = False) -> Any:
    """An operation attached to ``campaign`` (approved or not), with the poster code ``code``."""
    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures.models import ParticipationCode

    operation = Campaign.objects.create(
        organisation=campaign.organisation, name="Opération", slug="operation", kind="data",
        starts_on=campaign.starts_on, ends_on=campaign.ends_on, part_of=campaign,
        part_of_approved=approved,
    )  # fmt: skip
    ParticipationCode.objects.create(campaign=operation, code=code)
    return operation


def send(key: str, moved: int, code: str) -> Any:
    """Post a computer cleanup of ``moved`` bytes under ``key`` with ``code``."""
    body = {"version": 1, "key": key.ljust(16, "-"), "since": dt.date.today().isoformat(),
            "channel": "computer", "moved_files": 1, "moved_bytes": moved}  # fmt: skip
    return Client().post(
        f"/api/v1/campaigns/{code}/submissions", json.dumps(body), content_type="application/json"
    )


def shown(slug: str) -> int:
    """The bytes the public dashboard API gives."""
    figures = Client().get(f"/api/v1/dashboards/campaigns/{slug}").json()["figures"]
    return int(figures["moved_bytes"]) if figures else 0
