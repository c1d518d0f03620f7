"""Rate limiting: per address and target, refused posts only, proxies trusted explicitly."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from menage.platform.core.ratelimit import client_address
from menage.platform.events.models import Registration

pytestmark = pytest.mark.django_db


def register(client, event, email, consent="on"):
    data = {"name": "Ada", "email": email}
    if consent:
        data["consent"] = consent
    return client.post(reverse("events:register", args=[event.pk]), data)


def test_refused_posts_are_limited_per_address_and_event(world, client, settings):
    settings.MENAGE_RATE_LIMIT = 3
    event = world["alpha_public_event"]
    codes = [register(client, event, f"x{n}@example.org", consent="").status_code for n in range(4)]
    assert codes == [400, 400, 400, 429]
    response = register(client, event, "late@example.org")
    assert response.status_code == 429 and "Retry-After" in response
    # another event from the same address, and another address, are not affected
    assert register(client, world["beta_public_event"], "b@example.org").status_code == 200
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert register(other, event, "other@example.org").status_code == 200


def test_a_town_hall_desk_registering_many_residents_is_not_locked_out(world, settings):
    settings.MENAGE_RATE_LIMIT = 3
    event = world["alpha_public_event"]
    event.capacity = None
    event.save()
    desk = Client(REMOTE_ADDR="198.51.100.10")
    codes = [register(desk, event, f"resident{n}@example.org").status_code for n in range(12)]
    assert codes == [200] * 12
    assert Registration.objects.filter(event=event).count() == 12
    # but not without end: made-up addresses cannot hold every place of a workshop
    codes = [register(desk, event, f"fake{n}@example.org").status_code for n in range(5)]
    assert codes[-1] == 429


def test_sign_in_failures_are_limited_per_account(world, client, settings):
    settings.MENAGE_RATE_LIMIT = 2
    url = reverse("accounts:login")
    codes = [
        client.post(url, {"username": "alpha_manager", "password": "wrong"}).status_code
        for _ in range(3)
    ]
    assert codes == [400, 400, 429]
    # a colleague behind the same address signs in to their own account
    response = client.post(url, {"username": "beta_manager", "password": "pw-beta_manager"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        pytest.param([], "203.0.113.5", "198.51.100.1", "203.0.113.5", id="no-proxy-trusted"),
        pytest.param(
            ["127.0.0.1"], "127.0.0.1", "198.51.100.1", "198.51.100.1", id="through-the-proxy"
        ),
        pytest.param(
            ["127.0.0.1"],
            "127.0.0.1",
            "6.6.6.6, 198.51.100.1",
            "198.51.100.1",
            id="spoofed-left-part-ignored",
        ),
        pytest.param(
            ["127.0.0.1"], "203.0.113.5", "198.51.100.1", "203.0.113.5", id="not-from-the-proxy"
        ),
        pytest.param(
            ["10.0.0.0/8", "127.0.0.1"],
            "127.0.0.1",
            "198.51.100.1, 10.1.2.3",
            "198.51.100.1",
            id="two-proxies",
        ),
        pytest.param(["127.0.0.1"], "127.0.0.1", "garbage", "garbage", id="garbage-is-a-key"),
    ],
)
def test_the_client_address_believes_only_trusted_proxies(
    settings, trusted, remote, forwarded, expected
):
    settings.MENAGE_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_the_deploy_check_warns_about_a_proxy_without_trusted_proxies(settings):
    from menage.platform.core.checks import proxy_is_trusted_explicitly

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.MENAGE_TRUSTED_PROXIES = []
    (warning,) = proxy_is_trusted_explicitly(None)
    assert warning.id == "menage.W001"
    settings.MENAGE_TRUSTED_PROXIES = ["127.0.0.1"]
    assert proxy_is_trusted_explicitly(None) == []
