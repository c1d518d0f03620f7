"""Single sign-on for agents through OpenID Connect (ProConnect, a city's own provider),
as an option: on when ``MENAGE_OIDC_CLIENT_ID`` is set (docs/deployment.md).

mozilla-django-oidc does the protocol (authorisation code flow, state and nonce, the ID
token's signature checked against the provider's keys). What is ours: an agent signs in
to the account they were invited to, matched by their e-mail address; no account is
created for a stranger unless ``MENAGE_OIDC_CREATE_USERS`` says so. Without the setting
the addresses answer 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class AgentBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """The provider vouches for the address; the platform's roles come from invitations."""

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = str(claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> Any:
        user = super().create_user(claims)
        return self.update_user(user, claims)

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        """Fill in the name the provider knows when the account has none."""
        first = str(claims.get("given_name") or "")[:150]
        last = str(claims.get("usual_name") or claims.get("family_name") or "")[:150]
        changed = False
        if first and not user.first_name:
            user.first_name, changed = first, True
        if last and not user.last_name:
            user.last_name, changed = last, True
        if changed:
            user.save(update_fields=["first_name", "last_name"])
        return user


def authenticate(request: HttpRequest) -> HttpResponse:
    """Send the agent to the identity provider."""
    if not enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)  # type: ignore[no-any-return]


def callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the agent back here with a code; signed in, or back to sign-in."""
    if not enabled():
        raise Http404
    return OIDCAuthenticationCallbackView.as_view()(request)  # type: ignore[no-any-return]
