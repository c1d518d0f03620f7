"""The page an invitation's link opens: create an account (or sign in), then join."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from menage.platform.core.ratelimit import rate_limited
from menage.platform.organisations import members
from menage.platform.organisations.forms import AcceptForm
from menage.platform.organisations.models import Invitation


@rate_limited("invitation")
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = Invitation.from_token(token)
    if found is None:
        raise Http404(_("This invitation is not valid any more: ask for a new one."))
    signed_in = request.user.is_authenticated
    existing = (
        get_user_model()
        .objects.filter(Q(email__iexact=found.email) | Q(username__iexact=found.email))
        .exists()
    )
    if not signed_in and existing:
        # the account exists: its owner signs in first, then comes back here
        login_url = reverse("accounts:login") + "?next=" + request.path
        return render(
            request,
            "organisations/invitation.html",
            {"invitation": found, "login_url": login_url, "section": "space"},
        )
    form = AcceptForm(
        request.POST if request.method == "POST" else None,
        new_account=not signed_in,
        new_organisation=bool(found.new_kind),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = request.user
        if not signed_in:
            user = members.create_account(
                found.email, data["first_name"], data["last_name"], data["password1"]
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        try:
            membership = members.accept(found, user, data.get("organisation_name", ""))
        except members.Refused as refused:
            raise Http404(str(refused)) from None
        messages.success(
            request,
            _("Welcome: you belong to {organisation}.").format(
                organisation=membership.organisation.name
            ),
        )
        return redirect("space:home")
    return render(
        request,
        "organisations/invitation.html",
        {"invitation": found, "form": form, "section": "space"},
        status=400 if request.method == "POST" else 200,
    )
