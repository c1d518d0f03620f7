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
from collections.abc import Callable
from typing import cast

from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.module_loading import import_string

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
