"""Events a person may see: those of campaigns they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from menage.platform.campaigns.queries import visible_campaign_ids
from menage.platform.events.models import Event


def visible_events(user: Any) -> QuerySet[Event]:
    return Event.objects.filter(campaign__in=visible_campaign_ids(user)).select_related(
        "venue", "campaign", "campaign__organisation"
    )
