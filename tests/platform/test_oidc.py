"""Single sign-on for agents (OpenID Connect), against a real local provider: the whole
authorisation code flow over HTTP, the ID token's signature checked, invitations first."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from tests.platform.oidc_provider import Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings: Any) -> Iterator[Provider]:
    found = Provider()
    found.start()
    for key, value in found.settings().items():
        setattr(settings, key, value)
    settings.AUTHENTICATION_BACKENDS = [
        "menage.platform.core.auth.UsernameOrEmailBackend",
        "menage.platform.core.oidc.AgentBackend",
    ]
    try:
        yield found
    finally:
        found.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def sign_in(client, provider) -> Any:
    """Follow the flow as a browser would: our site, the provider (real HTTP), our site."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302 and start["Location"].startswith(provider.url)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(start["Location"], timeout=10)
    except urllib.error.HTTPError as answer:  # the provider's 302 back to us
        assert answer.code == 302
        back = answer.headers["Location"]
    else:
        raise AssertionError("the provider did not redirect")
    path = back.split("testserver", 1)[-1]
    return client.get(path)


def test_an_invited_agent_signs_in_with_the_provider(world, client, provider, parse):
    provider.person = {
        "email": "Alpha_Manager@example.org",
        "given_name": "Alice",
        "usual_name": "Martin",
    }
    page = parse(client.get(reverse("accounts:login")))
    assert page.find("a", href=reverse("oidc_authentication_init")).get_text() == (
        "Se connecter avec ProConnect"
    )
    response = sign_in(client, provider)
    assert response.status_code == 302 and response["Location"] == reverse("space:home")
    assert int(client.session["_auth_user_id"]) == world["alpha_manager"].pk


def test_a_stranger_gets_no_account(world, client, provider, django_user_model):
    provider.person = {"email": "stranger@elsewhere.example"}
    before = django_user_model.objects.count()
    response = sign_in(client, provider)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert django_user_model.objects.count() == before


def test_a_token_signed_by_another_key_is_refused(world, client, provider):
    provider.person = {"email": "alpha_manager@example.org"}
    provider.tamper = True
    response = sign_in(client, provider)
    assert "_auth_user_id" not in client.session
    assert response.status_code in (302, 400)


def test_a_forged_callback_is_refused(world, client, provider):
    provider.person = {"email": "alpha_manager@example.org"}
    client.get(reverse("oidc_authentication_init"))
    response = client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (302, 400)


def test_without_settings_the_addresses_do_not_exist(world, client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
