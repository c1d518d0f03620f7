"""Managers invite people by e-mail, change their role and remove them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from menage.platform.core.ratelimit import rate_limited
from menage.platform.core.space import managed_or_404, signed_in_user
from menage.platform.organisations import members
from menage.platform.organisations.forms import InvitationForm, RoleForm
from menage.platform.organisations.models import Invitation, Membership
from menage.platform.organisations.permissions import (
    managed_organisation_ids,
    managed_organisations,
)


def _page(request: HttpRequest, form: InvitationForm, status: int = 200) -> HttpResponse:
    managed = managed_organisation_ids(request.user)
    return render(
        request,
        "space/members.html",
        {
            "form": form,
            "memberships": Membership.objects.filter(organisation__in=managed)
            .select_related("user", "organisation")
            .order_by("organisation__name", "user__last_name", "user__username"),
            "invitations": Invitation.objects.filter(
                organisation__in=managed, accepted_at__isnull=True
            ).select_related("organisation"),
            "roles": Membership.Role.choices,
            "section": "space",
        },
        status=status,
    )


@login_required
@rate_limited("invite")
def member_list(request: HttpRequest) -> HttpResponse:
    organisations = managed_organisations(request.user)
    if not organisations.exists():
        return redirect("space:home")
    form = InvitationForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        if not form.is_valid():
            return _page(request, form, status=400)
        data = form.cleaned_data
        members.invite(
            data["organisation"],
            data["email"],
            data["role"],
            data["new_kind"],
            signed_in_user(request),
        )
        messages.success(
            request, _("The invitation is on its way to {email}.").format(email=data["email"])
        )
        return redirect("space:members")
    return _page(request, form)


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = managed_or_404(
        Membership.objects.select_related("organisation"), request.user, "organisation", pk=pk
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
        return redirect("space:members")
    try:
        members.change_role(membership, form.cleaned_data["role"])
    except members.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Saved."))
    return redirect("space:members")


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = managed_or_404(
        Membership.objects.select_related("organisation", "user"),
        request.user,
        "organisation",
        pk=pk,
    )
    try:
        members.remove(membership)
    except members.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("{name} no longer belongs to {organisation}.").format(
                name=membership.user.get_full_name() or membership.user.get_username(),
                organisation=membership.organisation.name,
            ),
        )
    return redirect("space:members")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = managed_or_404(
        Invitation.objects.filter(accepted_at__isnull=True), request.user, "organisation", pk=pk
    )
    invitation.delete()
    messages.success(request, _("The invitation is withdrawn: its link no longer works."))
    return redirect("space:members")
