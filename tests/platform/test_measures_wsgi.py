"""The submissions' WSGI entry (measures/lean.py ``SubmissionsEntry``, the application of
``menage.platform.wsgi``): byte for byte Django's answer, everything else handed over."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from tests.platform.test_measures_api import body, codes, total  # noqa: F401

pytestmark = pytest.mark.django_db

PATH = "/api/v1/campaigns/{}/submissions"


@pytest.fixture
def apps() -> Iterator[tuple[Any, Any]]:
    """Django's handler and the entry in front of it. As Django's test client does, the
    connection is not closed at the end of a request (the test's transaction holds it)."""
    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections

    from menage.platform.measures.lean import SubmissionsEntry

    django = WSGIHandler()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield django, SubmissionsEntry(django)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def call(
    app: Any, method: str, path: str, raw: bytes, **headers: str
) -> tuple[str, list[Any], bytes]:
    """One request through a WSGI application: status, headers (in order), body."""
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw), "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }  # fmt: skip
    environ.update(headers)
    seen: list[Any] = []

    def start_response(status: str, headers: list[Any], exc_info: Any = None) -> Any:
        seen.extend([status, headers])
        return lambda data: None

    answer = app(environ, start_response)
    try:
        content = b"".join(answer)
    finally:
        answer.close()
    return seen[0], seen[1], content


def both(apps: tuple[Any, Any], method: str, path: str, raw: bytes, **headers: str) -> Any:
    """The same request through Django's handler, then (after a rollback to the same
    state) through the entry: the two answers, the new row's id set aside (PostgreSQL's
    sequences do not roll back)."""
    from django.db import transaction

    answers = []
    for app in apps:
        with transaction.atomic():
            saved = transaction.savepoint()
            status, headers_seen, content = call(app, method, path, raw, **headers)
            content = re.sub(rb'"id": \d+', b'"id": N', content)
            # a page's CSRF token is new at each request (the pages: Django's whole stack)
            content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
            headers_seen = [
                (name, value.split("=", 1)[0] if name == "Set-Cookie" else value)
                for name, value in headers_seen
            ]
            answers.append((status, headers_seen, content))
            transaction.savepoint_rollback(saved)
    return answers


def keep(apps: tuple[Any, Any], raw: bytes) -> None:
    """A submission stored for good (through Django), for the replays."""
    status, _headers, _content = call(apps[0], "POST", PATH.format("OPEN2345"), raw)
    assert status.startswith("201")


CASES = {
    "new": ("OPEN2345", json.dumps(body(key="n" * 20)).encode(), {}),
    "replay": ("OPEN2345", json.dumps(body(key="r" * 20, moved_bytes=6_000)).encode(), {}),
    "not json": ("OPEN2345", b"{", {}),
    "invalid": ("OPEN2345", json.dumps(body(channel="fax")).encode(), {}),
    "hostile": ("OPEN2345", "\xff\xfe<script>".encode("utf-8", "surrogateescape"), {}),
    "unknown code": ("NOPE2345", json.dumps(body()).encode(), {}),
    "sql in the code": ("x' OR '1'='1", json.dumps(body()).encode(), {}),
    "closed": ("SHUT2345", json.dumps(body()).encode(), {}),
    "too large": ("OPEN2345", b"x" * 20_000, {}),
    "trusted": ("OPEN2345", json.dumps(body(key="t" * 20)).encode(), {"token": ""}),
    "forwarded": ("OPEN2345", json.dumps(body(key="f" * 20)).encode(),
                  {"HTTP_X_FORWARDED_FOR": "10.1.2.3"}),
    "unknown host": ("OPEN2345", json.dumps(body()).encode(), {"HTTP_HOST": "evil.example"}),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_the_entry_answers_byte_for_byte_as_django(apps, codes, case, settings):  # noqa: F811
    settings.MENAGE_TRUSTED_PROXIES = ["127.0.0.1"]
    code, raw, headers = CASES[case]
    if "token" in headers:
        headers = {"HTTP_AUTHORIZATION": f"Token {codes['open'].token}"}
    keep(apps, json.dumps(body(key="r" * 20)).encode())
    django, entry = both(apps, "POST", PATH.format(code), raw, **headers)
    assert entry == django
    status, headers_seen, content = entry
    names = [name for name, _value in headers_seen]
    if case != "unknown host":
        assert {"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
                "Content-Length", "Referrer-Policy"} <= set(names)  # fmt: skip
        assert "Set-Cookie" not in names
    assert int(status[:3]) < 500, content


def test_over_budget_answers_alike_and_stores_nothing(apps, codes, settings):  # noqa: F811
    settings.MENAGE_SUBMISSIONS_PER_CLIENT = 1
    keep(apps, json.dumps(body(key="r" * 20)).encode())
    django, entry = both(
        apps, "POST", PATH.format("OPEN2345"), json.dumps(body(key="z" * 20)).encode()
    )
    assert entry == django and entry[0].startswith("429")
    assert ("Retry-After", str(settings.MENAGE_RATE_WINDOW)) in entry[1]
    assert total(codes["campaign"]) == 5_000


def test_hsts_and_the_https_redirect_as_django(apps, codes, settings):  # noqa: F811
    from django.core.handlers.wsgi import WSGIHandler

    from menage.platform.measures.lean import SubmissionsEntry

    raw = json.dumps(body(key="h" * 20)).encode()
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    # the middleware read their settings when built: both applications built again
    django = WSGIHandler()
    apps = (django, SubmissionsEntry(django))
    path = PATH.format("OPEN2345")
    django, entry = both(apps, "POST", path, raw, HTTP_X_FORWARDED_PROTO="https")
    assert entry == django and ("Strict-Transport-Security", "max-age=3600") in entry[1]
    assert entry[0].startswith("201")
    django, entry = both(apps, "POST", path, raw)  # plain HTTP: redirected, nothing stored
    assert entry == django and entry[0].startswith("301")
    assert total(codes["campaign"]) == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", PATH.format("OPEN2345")),
        ("POST", PATH.format("OPEN2345") + "/"),
        ("POST", "/api/v1/campaigns/OPEN2345/submissions/extra"),
        ("GET", "/api/v1/openapi.json"),
    ],
)
def test_every_other_request_is_djangos(apps, codes, method, path):  # noqa: F811
    django, entry = both(apps, method, path, json.dumps(body()).encode())
    assert entry == django
    assert "Content-Language" in dict(entry[1])  # the whole stack ran (LocaleMiddleware)
    assert total(codes["campaign"]) == 0


def test_the_deployed_application_is_the_entry() -> None:
    from menage.platform import wsgi
    from menage.platform.measures.lean import SubmissionsEntry

    assert isinstance(wsgi.application, SubmissionsEntry)
    assert wsgi.application.django is wsgi.django_application
