"""Who belongs to an organisation: invitations by e-mail, roles, leaving.

An organisation always keeps one manager: the last one cannot be removed or made a
facilitator (a platform admin can still change anything in the Django admin).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from menage.platform.core.links import absolute_reverse
from menage.platform.organisations.models import (
    INVITATION_DAYS,
    Invitation,
    Membership,
    Organisation,
)
from menage.platform.outbox.queue import queue_mail


class Refused(Exception):
    """The change would leave things wrong; the message says why."""


def invite(
    organisation: Organisation, email: str, role: str, new_kind: str, invited_by: Any
) -> Invitation:
    """Record an invitation and queue its e-mail, in the inviting person's language."""
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            new_kind=new_kind,
            invited_by=invited_by,
        )
        language = translation.get_language() or "fr"
        queue_mail(
            email,
            "invitation",
            {
                "invitation": invitation,
                "organisation": organisation,
                "inviter": invited_by.get_full_name() or invited_by.get_username(),
                "role": Membership.Role(role).label,
                "kind": Organisation.Kind(new_kind).label if new_kind else "",
                "link": absolute_reverse("invitation", language, token=invitation.token()),
                "days": INVITATION_DAYS,
            },
            language=language,
            organisation=organisation,
        )
    return invitation


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def accept(invitation: Invitation, user: Any, organisation_name: str = "") -> Membership:
    """``user`` takes up the invitation: a membership, and their own organisation if asked.

    Raises:
        Refused: the invitation was used or revoked meanwhile.
    """
    with transaction.atomic():
        if not Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        ):
            raise Refused(_("This invitation was already used."))
        organisation = invitation.organisation
        if invitation.new_kind:
            organisation = Organisation.objects.create(
                name=organisation_name,
                slug=_unique_slug(organisation_name),
                kind=invitation.new_kind,
                parent=invitation.organisation,
            )
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": invitation.role}
        )
        if not created and invitation.role == Membership.Role.MANAGER:
            membership.role = Membership.Role.MANAGER  # an invitation never demotes
            membership.save(update_fields=["role"])
    return membership


def create_account(email: str, first_name: str, last_name: str, password: str) -> Any:
    """A new organiser's account; their e-mail address is their user name."""
    return get_user_model().objects.create_user(
        email, email, password, first_name=first_name, last_name=last_name
    )


def _last_manager(membership: Membership) -> bool:
    managers = Membership.objects.filter(
        organisation=membership.organisation, role=Membership.Role.MANAGER
    )
    return membership.role == Membership.Role.MANAGER and managers.count() == 1


def change_role(membership: Membership, role: str) -> None:
    """Raises: Refused: the last manager would become a facilitator."""
    with transaction.atomic():
        if role != Membership.Role.MANAGER and _last_manager(membership):
            raise Refused(_("An organisation needs a manager: name another one first."))
        membership.role = role
        membership.save(update_fields=["role"])


def remove(membership: Membership) -> None:
    """Raises: Refused: this is the organisation's last manager."""
    with transaction.atomic():
        if _last_manager(membership):
            raise Refused(_("An organisation needs a manager: name another one first."))
        membership.delete()
