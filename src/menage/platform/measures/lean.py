"""A lean path for the API's submissions: ``POST /api/v1/campaigns/<code>/submissions``.

The measures API takes hundreds of posts a second at a campaign's peak, and a post needs
none of what the site's pages need: no session, no signed-in user, no messages, no
language negotiation (its answers are JSON in English), no CSRF check (the view is
exempt: a token or a participation code authenticates it, never a cookie). This
middleware comes first in ``MIDDLEWARE``; for that one method and path it runs only the
middleware that shape the answer's headers and security (``LEAN_MIDDLEWARE``: HTTPS
redirect and HSTS, nosniff, referrer and opener policies, X-Frame-Options, the
Content-Security-Policy), checks the Host header as ``CommonMiddleware`` would, calls
the view and gives the answer its ``Content-Length`` (``CommonMiddleware`` again).
Every other request goes through the whole stack, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import cast
from wsgiref.types import StartResponse, WSGIEnvironment

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.exception import convert_exception_to_response, response_for_exception
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_path_info, get_script_name
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import set_script_prefix, set_urlconf
from django.utils.log import log_response
from django.utils.module_loading import import_string

from menage.platform.core.middleware import add_security_headers
from menage.platform.measures.api import submit

#: what a submission's answer still goes through, outermost first
LEAN_MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "menage.platform.core.middleware.SecurityHeadersMiddleware",
)
#: the path of ``api_v1_submit`` (menage.platform.urls), the code captured as Django's
#: ``<str:...>`` converter would (anything but a slash)
SUBMISSIONS = re.compile(r"^/api/v1/campaigns/([^/]+)/submissions\Z")

Handler = Callable[[HttpRequest], HttpResponseBase]


def _submission(request: HttpRequest) -> HttpResponseBase:
    request.get_host()  # an unknown Host is refused (400), as CommonMiddleware does
    found = SUBMISSIONS.match(request.path_info)
    assert found is not None  # only called for that path
    return submit(request, found[1])


class LeanSubmissionsMiddleware:
    """Sends the API's submission posts through :data:`LEAN_MIDDLEWARE` only."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        chain = convert_exception_to_response(_submission)
        for path in reversed(LEAN_MIDDLEWARE):
            chain = convert_exception_to_response(import_string(path)(chain))
        # every middleware here is synchronous, as WSGI is: the chain answers, never awaits
        self.lean = cast(Handler, chain)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | HttpResponse:
        if request.method == "POST" and SUBMISSIONS.match(request.path_info):
            answer = self.lean(request)
            # as CommonMiddleware does: with a length, a kept-alive connection needs no
            # chunked encoding
            if isinstance(answer, HttpResponse) and not answer.has_header("Content-Length"):
                answer["Content-Length"] = str(len(answer.content))
            return answer
        return self.get_response(request)


class SubmissionsEntry:
    """The WSGI application (``menage.platform.wsgi``): answers the API's submission posts
    itself and hands every other request to Django's handler.

    A post still goes through Django's request, the HTTPS redirect and Host check (a
    post that would be redirected or has an unknown Host is handed to Django whole, so
    the answer is Django's), the same view (:func:`~menage.platform.measures.api.submit`:
    its validation, token, body limit and answers), the same security headers in the
    same order (the middleware's own methods), Django's request signals (persistent
    connections checked and closed as usual) and its logging of 4xx answers. What it
    skips is Django's handler and middleware chain around them.
    ``tests/platform/test_measures_wsgi.py`` compares both answers byte for byte.
    """

    def __init__(self, django: WSGIHandler) -> None:
        self.django = django

        def unused(request: HttpRequest) -> HttpResponseBase:  # pragma: no cover
            raise AssertionError("the entry calls the view itself")

        self.security = SecurityMiddleware(unused)
        self.frames = XFrameOptionsMiddleware(unused)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or not SUBMISSIONS.match(get_path_info(environ)):
            return self.django(environ, start_response)
        request = WSGIRequest(environ)
        found = SUBMISSIONS.match(request.path_info)
        if found is None or self.security.process_request(request) is not None:
            return self.django(environ, start_response)  # an HTTPS redirect: Django's
        try:
            request.get_host()
        except DisallowedHost:
            return self.django(environ, start_response)  # Django's 400, as before
        set_script_prefix(get_script_name(environ))
        signals.request_started.send(sender=WSGIHandler, environ=environ)
        set_urlconf(settings.ROOT_URLCONF)
        try:
            response = submit(request, found[1])
        except Exception as error:  # as Django's handler: its 500 (logged), never a traceback
            response = response_for_exception(request, error)
        add_security_headers(request, response)
        self.frames.process_response(request, response)
        self.security.process_response(request, response)
        if isinstance(response, HttpResponse) and not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        response._resource_closers.append(request.close)  # type: ignore[attr-defined]
        if response.status_code >= 400:
            log_response(
                "%s: %s", response.reason_phrase, request.path, response=response, request=request
            )
        response._handler_class = WSGIHandler  # type: ignore[attr-defined]
        start_response(
            f"{response.status_code} {response.reason_phrase}",
            [*response.items(),
             *(("Set-Cookie", c.output(header="")) for c in response.cookies.values())],
        )  # fmt: skip
        # its close() sends request_finished (the connections' check), as Django's answer
        return cast(Iterable[bytes], response)
