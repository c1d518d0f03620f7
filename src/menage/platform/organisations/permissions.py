"""Who may read and change what. Every organiser page asks these functions, never the models.

* a platform admin (Django staff) manages every organisation;
* an organisation manager manages their organisation and the organisations below it
  (a school district and its schools);
* a facilitator reads their organisation's private content and the registrations of
  the events they facilitate, and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from menage.platform.organisations.models import Membership, Organisation


def is_platform_admin(user: Any) -> bool:
    """Platform staff: the Django admin and every organisation."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def managed_organisation_ids(user: Any) -> set[int]:
    """The organisations whose content ``user`` may change."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if is_platform_admin(user):
        return set(Organisation.objects.values_list("pk", flat=True))
    ids: set[int] = set()
    for organisation in Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.MANAGER
    ):
        ids |= organisation.descendant_ids()
    return ids


def member_organisation_ids(user: Any) -> set[int]:
    """The organisations whose private content ``user`` may read (any role)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    ids = managed_organisation_ids(user)
    ids.update(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    return ids


def managed_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations ``user`` may change, by name."""
    return Organisation.objects.filter(pk__in=managed_organisation_ids(user))


def visible_filter(user: Any, organisation_field: str = "organisation") -> Q:
    """A filter for content that is public, or private to an organisation ``user`` belongs to.

    Args:
        user: the person asking (anonymous users see public content only).
        organisation_field: the lookup from the content to its organisation.
    """
    public = Q(visibility="public")
    ids = member_organisation_ids(user)
    if not ids:
        return public
    return public | Q(**{f"{organisation_field}__in": ids})


def can_manage(user: Any, organisation: Organisation | int) -> bool:
    """Whether ``user`` may change content of ``organisation``."""
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return pk in managed_organisation_ids(user)
