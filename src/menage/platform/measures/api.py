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
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from pydantic import ValidationError

from menage.platform.campaigns.models import Campaign
from menage.platform.campaigns.queries import visible_campaigns
from menage.platform.measures.aggregates import (
    Counted,
    Totals,
    campaign_ids,
    counted,
    grouped,
    names,
    owned_by,
    under,
)
from menage.platform.measures.intake import (
    MAX_BODY,
    Closed,
    SubmissionIn,
    find_code,
    is_open,
    receive,
    receive_counted,
)
from menage.platform.measures.limits import Budget, budgets, over_budget
from menage.platform.measures.models import ParticipationCode, Submission
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
    trusted = request.META.get("HTTP_AUTHORIZATION", "") == f"Token {found.token}"
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
    parsed = _parse(body)
    if (
        not isinstance(parsed, SubmissionIn)
        or connection.vendor != "postgresql"
        or not is_open(found)
    ):
        # an invalid body counts against the budgets too (two statements, never the insert)
        if _limited(request, found):
            return _too_many()
        if not isinstance(parsed, SubmissionIn):
            return parsed
        stored = receive_or_closed(found, parsed)
    else:
        # PostgreSQL: the budgets and the insert in one statement
        trusted = request.META.get("HTTP_AUTHORIZATION", "") == f"Token {found.token}"
        stored = receive_or_closed(found, parsed, budgets(request, found, trusted=trusted))
    if stored is None:  # over budget: nothing stored
        return _too_many()
    if isinstance(stored, JsonResponse):
        return stored
    row, replaced = stored
    return JsonResponse({"id": row.pk, "status": row.status}, status=200 if replaced else 201)


def _too_many() -> JsonResponse:
    answer = _error(429, "rate_limited", "Too many submissions with this code; try later.")
    answer["Retry-After"] = str(settings.MENAGE_RATE_WINDOW)
    return answer


def _parse(body: bytes) -> SubmissionIn | JsonResponse:
    """The body validated, or the 400 answer saying why not."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _error(400, "invalid", "The body is not JSON.", fields={"body": ["not JSON"]})
    if not isinstance(data, dict):
        return _error(
            400, "invalid", "The body is not a JSON object.", fields={"body": ["not an object"]}
        )
    try:
        return SubmissionIn.model_validate(data)
    except ValidationError as error:
        return _error(400, "invalid", "Some fields are not valid.", fields=_field_errors(error))


def receive_or_closed(
    found: ParticipationCode, parsed: SubmissionIn, counted: list[Budget] | None = None
) -> tuple[Submission, bool] | JsonResponse | None:
    """Store the submission (counting it against ``counted`` if given: ``None`` when over
    budget); the 409 answer when the campaign is closed."""
    try:
        if counted is None:
            return receive(found, parsed)
        return receive_counted(found, parsed, counted)
    except Closed:
        return _error(409, "closed", "This campaign does not take submissions any more.")


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


def review_counts(rows: QuerySet[Submission]) -> dict[str, Any]:
    """For organisers: current reports by status, and by participation code."""
    statuses = dict.fromkeys(Submission.Status.values, 0)
    statuses.update(rows.values_list("status").annotate(n=Count("pk")).order_by())
    codes = (
        rows.values_list("code__code", "code__label", "campaign__slug")
        .annotate(n=Count("pk"))
        .order_by("campaign__slug", "code__code")
    )
    return {
        "statuses": statuses,
        "codes": [
            {"code": code, "label": label, "campaign": slug, "reports": n}
            for code, label, slug, n in codes
        ],
    }


def campaign_answer(
    campaign: Campaign,
    *,
    organiser: bool = False,
    figures: Counted | None = None,
    found: dict[int, tuple[str, str, int | None]] | None = None,
) -> dict[str, Any]:
    """The campaign (and its approved operations): totals and each organisation's group.

    The figures come from the cache (built once per language and version); the names,
    which an organiser may change at any time, are read fresh (``figures`` and ``found``:
    already read by the caller)."""
    figures = counted(campaign) if figures is None else figures
    language = f"{get_language()}:{settings.MENAGE_MEASURES_MIN_GROUP}"
    if language not in figures.api:
        figures.api[language] = {
            "total": figures.total.to_dict(),
            **{str(pk): totals.to_dict() for pk, totals in figures.by_owner.items()},
        }
    built = figures.api[language]
    found = names(figures.by_owner) if found is None else found
    answer: dict[str, Any] = {
        "version": 1,
        "campaign": {"slug": campaign.slug, "name": campaign.name,
                     "organisation": campaign.organisation.name,
                     "starts_on": campaign.starts_on.isoformat(),
                     "ends_on": campaign.ends_on.isoformat()},
        "minimum_group": settings.MENAGE_MEASURES_MIN_GROUP,
        **built["total"],
        "groups": [
            {"organisation": found[pk][0], "slug": found[pk][1], **built[str(pk)]}
            for pk in sorted(figures.by_owner, key=lambda pk: found[pk][0])
        ],
    }  # fmt: skip
    if organiser:
        rows = Submission.objects.filter(campaign_id__in=campaign_ids(campaign), current=True)
        answer["review"] = review_counts(rows)
    return answer


def organisation_answer(
    organisation: Organisation, campaigns: QuerySet[Campaign], *, organiser: bool = False
) -> dict[str, Any]:
    """What was attributed to ``organisation`` and below, in ``campaigns`` (those the reader
    may see); one group for the organisation's own reports and one per child, rolled up."""
    below = organisation.descendant_ids()
    tree = names(below)
    child_of = under(organisation, tree)
    rows = Submission.objects.filter(owned_by(below), campaign__in=campaigns, current=True)
    total, groups, per_campaign = Totals(), dict[int, Totals](), dict[int, Totals]()
    for row in grouped(rows.filter(status=Submission.Status.ACCEPTED)):
        total.add(row)
        groups.setdefault(child_of(row.owner), Totals()).add(row)
        per_campaign.setdefault(row.campaign, Totals()).add(row)
    titles = dict(Campaign.objects.filter(pk__in=per_campaign).values_list("pk", "slug"))
    answer: dict[str, Any] = {
        "version": 1,
        "organisation": {"slug": organisation.slug, "name": organisation.name,
                         "kind": organisation.kind},
        "minimum_group": settings.MENAGE_MEASURES_MIN_GROUP,
        **total.to_dict(),
        "groups": [
            {"organisation": tree[pk][0], "slug": tree[pk][1], **figures.to_dict()}
            for pk, figures in sorted(groups.items(), key=lambda item: tree[item[0]][0])
        ],
        "campaigns": [
            {"slug": titles[pk], **figures.to_dict()}
            for pk, figures in sorted(per_campaign.items(), key=lambda item: titles[item[0]])
        ],
    }  # fmt: skip
    if organiser:
        answer["review"] = review_counts(rows)
    return answer


SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")


@require_GET
def campaign_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Public figures of a campaign the reader may see; the review counts for its organisers."""
    found = visible_campaigns(request.user).filter(slug=slug).first() if SLUG.match(slug) else None
    if found is None:
        return _error(404, "unknown_campaign", "No campaign you may see has this short name.")
    # the figures are cached per campaign, exact (aggregates: keyed on the last ids)
    if request.user.is_authenticated and can_manage(request.user, found.organisation_id):
        return JsonResponse(campaign_answer(found, organiser=True))
    return HttpResponse(public_answer(found), content_type="application/json")


def public_answer(campaign: Campaign) -> bytes:
    """:func:`campaign_answer` as JSON, encoded once per version of the figures and what
    else it shows (the campaign's and the organisations' names, fresh, in the key): the
    same bytes as ``JsonResponse`` gives, without encoding 50 kB again on every read."""
    figures = counted(campaign)
    found = names(figures.by_owner)
    key = (
        get_language(), settings.MENAGE_MEASURES_MIN_GROUP, campaign.slug, campaign.name,
        campaign.organisation.name, campaign.starts_on, campaign.ends_on,
        tuple(sorted(found.items())),
    )  # fmt: skip
    encoded = figures.encoded.get(key)
    if encoded is None:
        answer = campaign_answer(campaign, figures=figures, found=found)
        encoded = json.dumps(answer, cls=DjangoJSONEncoder).encode()
        figures.encoded[key] = encoded
    return encoded


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
                lambda: organisation_answer(found, visible_campaigns(request.user)),
            )
        )
    organiser = can_manage(request.user, found.pk)
    return JsonResponse(
        organisation_answer(found, visible_campaigns(request.user), organiser=organiser)
    )
