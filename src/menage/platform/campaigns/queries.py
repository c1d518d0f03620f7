"""Which campaigns, events and points a person may see. Every public page goes through here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponsePermanentRedirect

from menage.platform.campaigns.models import Campaign, CampaignAlias
from menage.platform.organisations.permissions import visible_filter


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    """Public campaigns, and the private ones of organisations ``user`` belongs to."""
    return Campaign.objects.filter(visible_filter(user)).select_related("organisation")


def visible_campaign_ids(user: Any) -> QuerySet[Campaign, int]:
    return visible_campaigns(user).values_list("pk", flat=True)


class Moved(Exception):
    """The campaign's short name changed: answer with a permanent redirect."""

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign.slug)
        self.campaign = campaign


def campaign_or_moved(user: Any, slug: str) -> Campaign:
    """The visible campaign called ``slug``.

    Raises:
        Moved: ``slug`` is a former short name of a visible campaign.
        Http404: nothing visible by that name.
    """
    found = visible_campaigns(user).filter(slug=slug).first()
    if found is not None:
        return found
    alias = CampaignAlias.objects.filter(slug=slug).first()
    if alias is not None and visible_campaigns(user).filter(pk=alias.campaign_id).exists():
        raise Moved(alias.campaign)
    raise Http404


def redirect_moved(path: str, old: str, new: str) -> HttpResponsePermanentRedirect:
    """The same address with the new short name in place of the old one."""
    return HttpResponsePermanentRedirect(path.replace(f"/{old}/", f"/{new}/", 1))
