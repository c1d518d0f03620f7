"""The submissions' rate limits, one budget for the API and the form alike.

Each post counts against its code (a poster's code shared by a whole school) and against
the client on that code; a client that shows the code's secret token gets twenty times
the budget (a school's IT team sending for every machine).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from menage.platform.core import ratelimit
from menage.platform.measures.models import ParticipationCode

#: a budget: the counter's key, its window, and how many posts it allows
Budget = tuple[str, int, int]


def budgets(
    request: HttpRequest, code: ParticipationCode, *, trusted: bool = False
) -> list[Budget]:
    """The code's and the client's budgets for this post (counted by the caller: see
    :func:`menage.platform.measures.intake.receive_counted`)."""
    factor = 20 if trusted else 1
    client = ratelimit.client_address(request)
    window = ratelimit.current_window(None)
    return [
        (ratelimit.counter_key("submit-code", "", code.code), window,
         settings.MENAGE_SUBMISSIONS_PER_CODE * factor),
        (ratelimit.counter_key("submit-client", client, code.code), window,
         settings.MENAGE_SUBMISSIONS_PER_CLIENT * factor),
    ]  # fmt: skip


def over_budget(request: HttpRequest, code: ParticipationCode, *, trusted: bool = False) -> bool:
    """Count this post; true when the code or this client on it is over its budget."""
    factor = 20 if trusted else 1
    client = ratelimit.client_address(request)
    # both budgets in one statement: one round trip on the submissions' hot path
    per_code, per_client = ratelimit.hit_many(
        [("submit-code", "", code.code), ("submit-client", client, code.code)]
    )
    return (
        per_code > settings.MENAGE_SUBMISSIONS_PER_CODE * factor
        or per_client > settings.MENAGE_SUBMISSIONS_PER_CLIENT * factor
    )
