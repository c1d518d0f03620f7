"""The submissions' rate limits, one budget for the API and the form alike.

Each post counts against its code (a poster's code shared by a whole school) and against
the client on that code; a client that shows the code's secret token gets twenty times
the budget (a school's IT team sending for every machine). The code's budget is leased
to each worker in blocks (:mod:`menage.platform.core.leases`: exact, most posts do not
write its row); the client's is counted in the database at every post.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from menage.platform.core import leases, ratelimit
from menage.platform.measures.models import ParticipationCode

#: a budget: the counter's key, its window, and how many posts it allows
Budget = tuple[str, int, int]


def budgets(
    request: HttpRequest, code: ParticipationCode, *, trusted: bool = False
) -> list[Budget]:
    """The budgets this post still counts in the database (by the caller: see
    :func:`menage.platform.measures.intake.receive_counted`): the client's, and the
    code's unless this worker's lease on it paid for the post."""
    factor = 20 if trusted else 1
    client = ratelimit.client_address(request)
    window = ratelimit.current_window(None)
    per_code = (ratelimit.counter_key("submit-code", "", code.code), window,
                settings.MENAGE_SUBMISSIONS_PER_CODE * factor)  # fmt: skip
    per_client = (ratelimit.counter_key("submit-client", client, code.code), window,
                  settings.MENAGE_SUBMISSIONS_PER_CLIENT * factor)  # fmt: skip
    if leases.take(*per_code):
        return [per_client]
    return [per_code, per_client]


def over_budget(request: HttpRequest, code: ParticipationCode, *, trusted: bool = False) -> bool:
    """Count this post; true when the code or this client on it is over its budget."""
    counting = budgets(request, code, trusted=trusted)
    # the budgets left in one statement: one round trip on the submissions' hot path
    counts = ratelimit.hit_keys([(key, window) for key, window, _limit in counting])
    return any(n > limit for n, (_key, _window, limit) in zip(counts, counting, strict=True))
