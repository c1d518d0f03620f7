"""The findings of an unchanged IMAP account used again (menage.mail.reuse), against a
real Dovecot: the same JSON byte for byte as a rebuild, rebuilt whenever a folder, the
options, the time or the stored result says so."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from menage.mail.analyse import analyse_source
from menage.mail.cache import default_cache_path
from menage.mail.findings import MailAnalysis
from menage.mail.imap import ImapOptions
from tests.mail import messages

END = datetime(2027, 1, 1, tzinfo=UTC)
NOW = END.timestamp()
HOUR = 3600.0


def _run(account, cache: Path | None = None, now: float = NOW, **extra) -> MailAnalysis:
    return analyse_source(
        account.url("imaps"),
        options=ImapOptions(ca_file=account.ca_pem),
        cache_path=cache,
        now=now,
        **extra,
    )


def _text(analysis: MailAnalysis, *leave_out: str) -> str:
    data = analysis.to_json()
    for name in leave_out:
        data.pop(name)
    return json.dumps(data, ensure_ascii=False, indent=2)


def _fill(account) -> None:
    account.append("INBOX", messages.mailbox_mix(80, seed=5, end=END))
    account.append("Archives", messages.mailbox_mix(30, seed=6, end=END))
    big = messages.with_attachment(size=1_500_000, when=END - timedelta(days=400))
    account.append("Archives", [big, big])  # a duplicate too
    # crosses the default old-mail limit (730 days) one hour after NOW
    account.append("INBOX", [messages.personal(n=900, when=END - timedelta(days=730, hours=-1))])


def _results(sql: str, *args: object) -> list[tuple[object, ...]]:
    db = sqlite3.connect(default_cache_path())
    try:
        rows = db.execute(sql, args).fetchall()
        db.commit()
        return rows
    finally:
        db.close()


def _rebuilt(account, now: float = NOW, **extra) -> MailAnalysis:
    """The findings rebuilt from the cached messages (the stored result dropped)."""
    _results("DELETE FROM results")
    analysis = _run(account, now=now, **extra)
    assert not analysis.reused and analysis.fetched == 0
    return analysis


def test_unchanged_account_reuses_the_same_findings(account, imap_password) -> None:
    _fill(account)
    first = _run(account)
    assert not first.reused and first.fetched == 113
    second = _run(account)
    assert second.reused and second.fetched == 0
    assert second.newsletters and second.attachments and second.old.messages
    rebuilt = _rebuilt(account)
    assert _text(second) == _text(rebuilt)  # byte for byte
    assert _text(first, "fetched_messages") == _text(rebuilt, "fetched_messages")
    assert _run(account).reused  # the rebuild was stored again


def test_a_changed_folder_rebuilds_like_a_run_without_cache(
    account, imap_password, tmp_path
) -> None:
    _fill(account)
    _run(account)
    assert _run(account).reused
    client = account.client()  # a flag changes in one folder: only HIGHESTMODSEQ moves
    client.select_folder("Archives")
    client.add_flags(client.search(["UNSEEN"])[:1], [b"\\Seen"])
    client.logout()
    changed = _run(account)
    assert not changed.reused and changed.fetched == 0
    fresh = _run(account, cache=tmp_path / "none.sqlite")
    assert _text(changed, "fetched_messages") == _text(fresh, "fetched_messages")
    assert _run(account).reused
    account.append("INBOX", [messages.newsletter(n=77, when=END - timedelta(days=3))])
    added = _run(account)
    assert not added.reused and added.fetched == 1
    assert added.total.messages == changed.total.messages + 1
    fresh = _run(account, cache=tmp_path / "none-2.sqlite")
    assert _text(added, "fetched_messages") == _text(fresh, "fetched_messages")


def test_other_options_are_not_reused(account, imap_password, tmp_path) -> None:
    _fill(account)
    _run(account)
    options: tuple[dict[str, Any], ...] = (
        {"older_than_days": 365},
        {"larger": 10_000},
        {"folders": ["INBOX"]},
    )
    for k, extra in enumerate(options):
        other = _run(account, **extra)
        assert not other.reused and other.fetched == 0, extra
        fresh = _run(account, cache=tmp_path / f"none-{k}.sqlite", **extra)
        assert _text(other, "fetched_messages") == _text(fresh, "fetched_messages")
        assert _run(account, **extra).reused
    assert not _run(account).reused  # one stored result per account: the last one


class _Hostile:
    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (os.getpid, ())


def test_a_damaged_stored_result_is_rebuilt(account, imap_password) -> None:
    _fill(account)
    expected = _text(_run(account), "fetched_messages")
    (data,) = _results("SELECT data FROM results")[0]
    assert isinstance(data, bytes)
    for damage in (
        b"garbage",
        data[: len(data) // 2],
        pickle.dumps(OrderedDict()),  # a class that is not ours: refused
        pickle.dumps(_Hostile()),  # would call a function: refused
        # a function our findings module imports (GLOBAL, empty tuple, REDUCE): refused
        b"cmenage.mail.findings\nasdict\n)R.",
        pickle.dumps(messages.newsletter()),  # ours to read, not findings
    ):
        _results("UPDATE results SET data = ?", damage)
        again = _run(account)
        assert not again.reused
        assert _text(again, "fetched_messages") == expected
        assert _run(account).reused  # stored again, whole


def test_time_reuses_only_while_no_age_changes(account, imap_password) -> None:
    _fill(account)
    first = _run(account)
    later = _run(account, now=NOW + HOUR / 2)  # no message changes its age band meanwhile
    assert later.reused
    assert later.generated == NOW + HOUR / 2
    assert _text(later) == _text(_rebuilt(account, now=NOW + HOUR / 2))
    _run(account)  # stored at NOW again
    (until,) = _results("SELECT valid_until FROM results")[0]
    assert isinstance(until, float) and NOW + HOUR / 2 < until < NOW + HOUR
    crossed = _run(account, now=NOW + 2 * HOUR)  # one more message is old mail now
    assert not crossed.reused
    assert crossed.old.messages == first.old.messages + 1
    _run(account)
    assert not _run(account, now=NOW - 60).reused  # the clock went back: rebuilt
