"""The freshness window of a campaign's figures in this worker (``MENAGE_MEASURES_FRESHNESS``).

At hundreds of posts a second every dashboard read sees new figures: without a window,
each read checks the database (the figures' version) and brings the figures up to date.
Within the window after a campaign's figures were last checked against the database in
this worker, :func:`menage.platform.measures.aggregates.counted` returns them without
any query: what a reader sees is at most ``MENAGE_MEASURES_FRESHNESS`` seconds old
(1 by default; 0: every read checks the database).

A worker that stores a submission, a review or a change of a campaign itself forgets
the windows it touches (:func:`wrote`): the worker that answered a post shows it at once,
and an organiser's decision shows at once on the pages of the worker that took it.
Another worker shows them at the end of its window.

The clock is :func:`now` (``time.monotonic``), read through this module so that a test
can move it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from menage.platform.campaigns.models import Campaign
from menage.platform.measures.models import Review, Submission

#: campaign -> (when its figures were last checked, the campaigns they count)
_checked: dict[int, tuple[float, frozenset[int]]] = {}
#: writes seen by this worker: a check that a write overlapped opens no window
_writes = 0
_lock = threading.Lock()


def now() -> float:
    """The window's clock: ``time.monotonic()`` (tests move it)."""
    return time.monotonic()


def fresh(campaign_id: int) -> bool:
    """Whether the campaign's figures were checked within the window, in this worker."""
    seconds = settings.MENAGE_MEASURES_FRESHNESS
    found = _checked.get(campaign_id)
    return seconds > 0 and found is not None and now() - found[0] < seconds


def start() -> tuple[float, int]:
    """Taken before a check reads the database: when, and the writes seen so far."""
    return now(), _writes


def checked(campaign_id: int, ids: Iterable[int], started: tuple[float, int]) -> None:
    """The campaign's figures (counting the campaigns ``ids``) are those of the database
    at ``started`` (:func:`start`): the window opens from then, unless this worker wrote
    meanwhile (the read may have missed it: the next read checks again)."""
    at, writes = started
    with _lock:
        if writes == _writes:
            _checked[campaign_id] = (at, frozenset(ids))


def wrote(campaign_id: int | None = None) -> None:
    """This worker wrote for ``campaign_id`` (``None``: something every campaign may
    count, a review or a campaign's tree or dates): the windows that count it close."""
    global _writes
    with _lock:
        _writes += 1
        if campaign_id is None:
            _checked.clear()
        else:
            for pk in [pk for pk, (_at, ids) in _checked.items() if campaign_id in ids]:
                del _checked[pk]


def forget() -> None:
    """Close every window of this worker."""
    wrote(None)


def _written(sender: Any, instance: Any, **_kwargs: Any) -> None:
    # a write through the ORM (the review, the demo, the admin, the organisers' pages):
    # closed now, and again once committed (a read between the two may have missed it)
    campaign_id = instance.campaign_id if isinstance(instance, Submission) else None
    wrote(campaign_id)
    transaction.on_commit(lambda: wrote(campaign_id))


for _model in (Submission, Review, Campaign):
    post_save.connect(_written, sender=_model, dispatch_uid=f"menage-window-{_model.__name__}")
    post_delete.connect(
        _written, sender=_model, dispatch_uid=f"menage-window-del-{_model.__name__}"
    )
