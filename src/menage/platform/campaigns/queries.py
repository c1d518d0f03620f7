"""Which campaigns, events and points a person may see. Every public page goes through here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from menage.platform.campaigns.models import Campaign
from menage.platform.organisations.permissions import visible_filter


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    """Public campaigns, and the private ones of organisations ``user`` belongs to."""
    return Campaign.objects.filter(visible_filter(user)).select_related("organisation")


def visible_campaign_ids(user: Any) -> QuerySet[Campaign, int]:
    return visible_campaigns(user).values_list("pk", flat=True)
