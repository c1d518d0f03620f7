"""The submissions' lean path (measures/lean.py): the same answers and security headers,
without sessions, cookies, CSRF or language negotiation; everything else untouched."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.platform.test_measures_api import body, codes, post, total  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_submission_keeps_every_security_header_and_sets_no_cookie(client, codes):  # noqa: F811
    answer = post(client, "OPEN2345", body())
    assert answer.status_code == 201
    assert "default-src 'self'" in answer["Content-Security-Policy"]
    assert answer["Permissions-Policy"].startswith("camera=()")
    assert answer["X-Frame-Options"] == "DENY"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Referrer-Policy"] == "same-origin"
    assert answer["Cross-Origin-Opener-Policy"] == "same-origin"
    # a length, as the whole stack gives: no chunked answer on a kept-alive connection
    assert answer["Content-Length"] == str(len(answer.content))
    # the whole stack's marks are absent: it did not run
    assert not answer.cookies
    assert "Content-Language" not in answer
    assert total(codes["campaign"]) == 5_000


def test_errors_on_the_lean_path_are_the_views_own(client, codes):  # noqa: F811
    assert post(client, "OPEN2345", "not json").status_code == 400
    assert post(client, "NOPE2345", body()).status_code == 404
    assert post(client, "SHUT2345", body()).status_code == 409
    too_large = post(client, "OPEN2345", "x" * 20_000)
    assert too_large.status_code == 413
    assert too_large["Content-Length"] == str(len(too_large.content))
    assert total(codes["campaign"]) == 0


def test_an_unknown_host_is_refused_and_nothing_stored(client, codes):  # noqa: F811
    answer = post(client, "OPEN2345", body(), HTTP_HOST="evil.example")
    assert answer.status_code == 400
    assert total(codes["campaign"]) == 0


def test_the_lean_path_redirects_plain_http_when_told(client, codes, settings):  # noqa: F811
    settings.SECURE_SSL_REDIRECT = True
    answer = post(client, "OPEN2345", body())
    assert answer.status_code == 301 and answer["Location"].startswith("https://")
    assert total(codes["campaign"]) == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/campaigns/OPEN2345/submissions"),  # another method: the whole stack
        ("post", "/api/v1/campaigns/OPEN2345/submissions/"),  # another path
        ("post", "/api/v1/campaigns/OPEN2345/submissions/extra"),
    ],
)
def test_other_requests_take_the_whole_stack(client, codes, method, path):  # noqa: F811
    if method == "get":
        answer = client.get(path)
    else:
        answer = client.post(path, json.dumps(body()), content_type="application/json")
    assert answer.status_code in (404, 405)
    assert "Content-Language" in answer  # LocaleMiddleware ran
    assert total(codes["campaign"]) == 0


def test_the_lean_chain_is_the_configured_one(settings: Any) -> None:
    from menage.platform.measures.lean import LEAN_MIDDLEWARE

    assert settings.MIDDLEWARE[0] == "menage.platform.measures.lean.LeanSubmissionsMiddleware"
    assert set(LEAN_MIDDLEWARE) <= set(settings.MIDDLEWARE)
