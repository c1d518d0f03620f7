"""The pure analysis: Gmail's All Mail once, Trash and Junk apart, the findings' numbers."""

from __future__ import annotations

from datetime import UTC, datetime

from menage.mail.analyse import _choose, build_analysis
from menage.mail.headers import meta_from_headers, parse_headers
from menage.mail.imap import ImapFolder
from menage.mail.model import FolderInfo
from tests.mail import messages

NOW = datetime(2026, 6, 1, tzinfo=UTC).timestamp()


def _meta(raw: bytes, folder: str = "INBOX", uid: int = 1, seen: bool = False):
    return meta_from_headers(
        parse_headers(raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"),
        folder=folder,
        size=len(raw),
        seen=seen,
        uidvalidity=7,
        uid=uid,
    )


def test_gmail_all_mail_counted_once() -> None:
    folders = [
        ImapFolder("INBOX", "inbox"),
        ImapFolder("[Gmail]/All Mail", "all"),
        ImapFolder("[Gmail]/Trash", "trash"),
        ImapFolder("[Gmail]/Spam", "junk"),
        ImapFolder("Factures", None),
    ]
    read, measured, notes = _choose(folders, None, "imaps://x@gmail")
    # in name order, whatever the server's LIST order (it can change between runs)
    assert [f.name for f in read] == ["[Gmail]/All Mail", "[Gmail]/Spam", "[Gmail]/Trash"]
    assert [f.name for f in measured] == ["Factures", "INBOX"]
    assert notes


def test_trash_and_junk_apart_and_newsletter_rate() -> None:
    recent = datetime(2026, 3, 1, tzinfo=UTC)
    inbox = [_meta(messages.newsletter(n=k, when=recent), uid=k) for k in range(4)]
    inbox.append(_meta(messages.personal(n=1), uid=9, seen=True))
    trash = [_meta(messages.personal(n=2), folder="Trash")]
    result = build_analysis(
        "test",
        [(FolderInfo("INBOX", "inbox", 5, 0), inbox), (FolderInfo("Trash", "trash", 1, 0), trash)],
        now=NOW,
    )
    assert result.total.messages == 5
    assert result.trash.messages == 1
    letter = result.newsletters[0]
    assert letter.last_year == 4 and letter.tally.read_ratio == 0
    assert letter.unsubscribe.one_click
    assert letter.list_id == "lettre.lettres.example.com"


def test_one_click_needs_the_post_header_and_https() -> None:
    raw = messages.newsletter(one_click=False)
    assert not _meta(raw).unsubscribe.one_click
    http_only = raw.replace(b"https://", b"http://")
    assert not _meta(
        http_only.replace(
            b"List-Unsubscribe:",
            b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nList-Unsubscribe:",
        )
    ).unsubscribe.one_click


def test_bulk_signals() -> None:
    base = messages.personal()
    for header in (b"Precedence: bulk", b"Feedback-ID: 1:2:3", b"List-Id: <x.example>"):
        assert _meta(base.replace(b"MIME-Version", header + b"\r\nMIME-Version")).bulk
    assert not _meta(base).bulk
    auto = _meta(messages.receipt())
    assert auto.auto_submitted


def test_no_message_id_still_has_a_reference() -> None:
    raw = messages.personal().replace(b"Message-ID:", b"X-Gone:")
    meta = _meta(raw)
    assert meta.ref.message_id is None
    assert "NoMessageId" in meta.defects
    assert len(meta.ref.header_hash) == 24 and meta.ref.size == len(raw)


def test_the_cache_gives_back_each_message_as_it_was_stored(tmp_path) -> None:
    from menage.mail.cache import MailCache
    from menage.mail.model import Attachment

    metas = [
        _meta(messages.newsletter(n=1), uid=3, seen=True),
        _meta(messages.personal(n=2), uid=5),
        _meta(b"From: =?utf-8?q?caf=C3=A9?= <x@y.fr>\r\nSubject: sans id\r\n\r\n", uid=9),
    ]
    attached = metas[1].__class__(
        **{**metas[1].__dict__, "attachments": (Attachment("a.pdf", "application/pdf", 7),)}
    )
    metas[1] = attached
    assert metas[0].unsubscribe is not None and metas[2].defects
    cache = MailCache(tmp_path / "cache.sqlite")
    try:
        cache.start_folder("acct", "INBOX", 7)
        cache.store("acct", "INBOX", 7, metas)
        again = list(cache.messages("acct", "INBOX", 7))
    finally:
        cache.close()
    assert again == metas
    assert [m.to_json() for m in again] == [m.to_json() for m in metas]


def test_a_cache_of_the_older_format_is_started_again(tmp_path) -> None:
    import sqlite3

    from menage.mail.cache import APPLICATION_ID, MailCache

    path = tmp_path / "cache.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE messages (meta TEXT)")
    old.execute("INSERT INTO messages VALUES ('{}')")
    old.execute(f"PRAGMA application_id={APPLICATION_ID}")
    old.execute("PRAGMA user_version=1")
    old.commit()
    old.close()
    cache = MailCache(path)
    try:
        cache.start_folder("acct", "INBOX", 7)
        cache.store("acct", "INBOX", 7, [_meta(messages.personal(n=1), uid=1)])
        assert [m.ref.uid for m in cache.messages("acct", "INBOX", 7)] == [1]
    finally:
        cache.close()
    assert not path.with_name(path.name + ".damaged").exists()  # ours: not set aside
