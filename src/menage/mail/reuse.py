"""The findings of an unchanged IMAP account, kept in the cache and used again.

A second analysis of an account whose folders all kept their state (UIDVALIDITY, UIDNEXT,
MESSAGES, HIGHESTMODSEQ — so no message came, left or changed its flags — and SIZE)
gives the same findings as the last one: they are stored once built, keyed on the
account, those states, the analysis options, the language (a few findings are words),
the cache format and :data:`ANALYSIS_VERSION`, and read back instead of rebuilding them
from every cached message. Without CONDSTORE a flag change shows in no state: nothing is
used again then.

Time: the findings depend on "now" only through ages (old mail, newsletters of the last
year, the attachments' age bands), each a threshold crossed at a known moment (a
message's date plus N days). The stored findings say when the first of them will be
crossed after they were built; they are used again only before that moment (and not
if the clock went back), with ``generated`` set to the time of the new run. So the
result is exact, not rounded to the day.

A damaged or unreadable stored result is ignored and rebuilt: the cache holds nothing
that cannot be computed again.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import pickle  # noqa: S403 - read back with a restricted unpickler, our own classes only
from collections.abc import Sequence
from typing import Any

from menage import __version__
from menage.i18n import language
from menage.mail import findings as f
from menage.mail.model import MessageMeta

#: bump on any change to what the findings are made of (parsing or build_analysis)
ANALYSIS_VERSION = 1
DAY = 86_400.0
_MODULES = frozenset({"menage.mail.findings", "menage.mail.model"})
#: the states a folder must have for its findings to be used again
_NEEDED = (b"UIDVALIDITY", b"UIDNEXT", b"MESSAGES", b"HIGHESTMODSEQ")


def key(
    source: str,
    read: Sequence[tuple[str, str | None]],
    measure: Sequence[tuple[str, str | None]],
    states: dict[str, dict[bytes, int]],
    options: dict[str, Any],
    notes: Sequence[str],
    cache_version: int,
) -> str | None:
    """The key of the findings of these folders in these states, None when some state is
    missing (then nothing is used again)."""
    folders = []
    for name, role in [*read, *measure]:
        state = states.get(name)
        if state is None or any(k not in state for k in _NEEDED):
            return None
        folders.append([name, role, sorted((k.decode(), v) for k, v in state.items())])
    text = json.dumps(
        {
            "source": source,
            "read": [name for name, _ in read],  # in the order they are read
            "folders": sorted(folders),
            "options": options,
            "notes": list(notes),
            "language": language(),
            "cache": cache_version,
            "analysis": ANALYSIS_VERSION,
            "menage": __version__,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def valid_until(
    messages: Sequence[Sequence[MessageMeta]], now: float, older_than_days: int
) -> float:
    """The first moment after ``now`` at which an age-dependent finding could change
    (a message crossing the old-mail limit, one year, or an attachment age band)."""
    limits = sorted({older_than_days, 365})
    with_bands = sorted({older_than_days, 365, 3 * 365})
    first = math.inf
    for folder in messages:
        for meta in folder:
            stamp = meta.timestamp
            if stamp is None:
                continue
            days = with_bands if meta.attachments else limits
            for n in days:
                moment = stamp + n * DAY
                if now <= moment < first:
                    first = moment
    return first - 1.0  # a second's margin against rounding at the threshold


def dump(analysis: f.MailAnalysis) -> bytes:
    return pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL)


class _Unpickler(pickle.Unpickler):
    """Builds only Ménage's mail findings classes (a tampered file cannot run code)."""

    def find_class(self, module: str, name: str) -> Any:
        if module not in _MODULES:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed")
        found = super().find_class(module, name)
        # a class defined there, not anything those modules happen to import
        if not (isinstance(found, type) and found.__module__ in _MODULES):
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed")
        return found


def load(data: bytes, now: float) -> f.MailAnalysis | None:
    """The stored findings as of ``now``, None when they cannot be read back."""
    try:
        analysis = _Unpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - a damaged stored result is rebuilt, never an error
        return None
    if not isinstance(analysis, f.MailAnalysis):
        return None
    analysis.generated = now
    analysis.fetched = 0  # nothing changed, so nothing was fetched
    analysis.reused = True
    return analysis
