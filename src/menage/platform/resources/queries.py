"""Which resources a person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from menage.platform.organisations.permissions import member_organisation_ids
from menage.platform.resources.models import Resource


def visible_resources(user: Any) -> QuerySet[Resource]:
    """Public ones; shared ones for any organisation member; private ones for their own."""
    rule = Q(visibility=Resource.Visibility.PUBLIC)
    ids = member_organisation_ids(user)
    if ids:
        rule |= Q(visibility=Resource.Visibility.SHARED) | Q(organisation__in=ids)
    return Resource.objects.filter(rule).select_related("organisation")
