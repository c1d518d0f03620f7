"""Version 1 of the measures API: ``/api/v1/`` (schema at ``/api/v1/openapi.json``).

Plain Django views validated by pydantic models, so that every answer is one this
module chose: 400 with field errors, 404 unknown code, 409 closed campaign, 413 body
too large, 429 rate-limited; never a 5xx for any body. docs/api.md documents it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from pydantic import ValidationError

from menage.platform.campaigns.queries import visible_campaigns
from menage.platform.measures import aggregates
from menage.platform.measures.intake import (
    MAX_BODY,
    Closed,
    SubmissionIn,
    find_code,
    is_open,
    receive,
)
from menage.platform.measures.limits import over_budget
from menage.platform.measures.models import ParticipationCode
from menage.platform.measures.openapi import schema
from menage.platform.organisations.models import Organisation
from menage.platform.organisations.permissions import can_manage

CODE_PATTERN = r"^[A-Za-z0-9-]{4,16}$"


def _error(status: int, code: str, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": code, "message": message, **extra}, status=status)


def _code(value: str) -> ParticipationCode | None:
    return find_code(value)


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(schema())


@require_GET
def campaign(request: HttpRequest, code: str) -> HttpResponse:
    found = _code(code)
    if found is None:
        return _error(404, "unknown_code", "No campaign has this participation code.")
    c = found.campaign
    return JsonResponse(
        {
            "code": found.code,
            "campaign": c.name,
            "organisation": (found.organisation or c.organisation).name,
            "campaign_organisation": c.organisation.name,
            "open": is_open(found),
            "starts_on": c.starts_on.isoformat(),
            "ends_on": c.ends_on.isoformat(),
        }
    )


def _limited(request: HttpRequest, found: ParticipationCode) -> bool:
    trusted = request.headers.get("Authorization", "") == f"Token {found.token}"
    return over_budget(request, found, trusted=trusted)


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for item in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in item["loc"]) or "body"
        message = str(item["msg"])
        if where == "body" and ": " in message.removeprefix("Value error, "):
            where, message = message.removeprefix("Value error, ").split(": ", 1)
        fields.setdefault(where, []).append(message)
    return fields


@csrf_exempt
@require_http_methods(["POST"])
def submit(request: HttpRequest, code: str) -> HttpResponse:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY:
        return _error(413, "too_large", f"The body is larger than {MAX_BODY} bytes.")
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return _error(413, "too_large", f"The body is larger than {MAX_BODY} bytes.")
    found = _code(code)
    if found is None:
        return _error(404, "unknown_code", "No campaign has this participation code.")
    if _limited(request, found):
        answer = _error(429, "rate_limited", "Too many submissions with this code; try later.")
        answer["Retry-After"] = str(settings.MENAGE_RATE_WINDOW)
        return answer
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _error(400, "invalid", "The body is not JSON.", fields={"body": ["not JSON"]})
    if not isinstance(data, dict):
        return _error(
            400, "invalid", "The body is not a JSON object.", fields={"body": ["not an object"]}
        )
    try:
        parsed = SubmissionIn.model_validate(data)
    except ValidationError as error:
        return _error(400, "invalid", "Some fields are not valid.", fields=_field_errors(error))
    try:
        row, replaced = receive(found, parsed)
    except Closed:
        return _error(409, "closed", "This campaign does not take submissions any more.")
    return JsonResponse({"id": row.pk, "status": row.status}, status=200 if replaced else 201)


def _public(key: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A public dashboard, kept ``MENAGE_DASHBOARD_CACHE_SECONDS`` in the worker's cache:
    a counter shown on a screen or polled by many pages costs one computation per worker
    and period. Signed-in readers (who may see private campaigns) always get fresh figures."""
    seconds = settings.MENAGE_DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return build()
    key = f"menage:dashboard:{key}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, seconds)
    return cast(dict[str, Any], found)


SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")


@require_GET
def campaign_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Public figures of a campaign the reader may see; the review counts for its organisers."""
    found = visible_campaigns(request.user).filter(slug=slug).first() if SLUG.match(slug) else None
    if found is None:
        return _error(404, "unknown_campaign", "No campaign you may see has this short name.")
    # the figures are cached per campaign, exact (aggregates: keyed on the last ids)
    organiser = request.user.is_authenticated and can_manage(request.user, found.organisation_id)
    return JsonResponse(aggregates.campaign_dashboard(found, organiser=organiser))


@require_GET
def organisation_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation and those below it, over the campaigns the reader may see."""
    found = Organisation.objects.filter(slug=slug).first() if SLUG.match(slug) else None
    if found is None:
        return _error(404, "unknown_organisation", "No organisation has this short name.")
    if not request.user.is_authenticated:
        return JsonResponse(
            _public(
                f"organisation:{found.pk}",
                lambda: aggregates.organisation_dashboard(found, visible_campaigns(request.user)),
            )
        )
    organiser = can_manage(request.user, found.pk)
    return JsonResponse(
        aggregates.organisation_dashboard(
            found, visible_campaigns(request.user), organiser=organiser
        )
    )
