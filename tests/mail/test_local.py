"""Local mailboxes: mbox, nested Maildir, .eml folders, and what goes wrong with them."""

from __future__ import annotations

import mailbox
import os
from pathlib import Path

import pytest

from menage.mail.analyse import analyse_source
from menage.mail.errors import SourceInvalid
from tests.mail import messages


def test_mbox(tmp_path: Path) -> None:
    path = messages.write_mbox(
        tmp_path / "archive.mbox", [messages.newsletter(n=k) for k in range(3)]
    )
    result = analyse_source(str(path))
    assert result.total.messages == 3
    assert result.newsletters[0].unsubscribe.one_click
    assert result.newsletters[0].example.key == "0"


def test_nested_maildir(tmp_path: Path) -> None:
    root = tmp_path / "Maildir"
    box = mailbox.Maildir(root)
    message = mailbox.MaildirMessage(messages.personal())
    message.set_flags("S")
    box.add(message)
    sub = box.add_folder("Reçus")  # Maildir++ ".Reçus"
    sub.add(messages.receipt())
    (root / "Archives").mkdir()
    nested = mailbox.Maildir(root / "Archives" / "2019")  # a nested Maildir
    nested.add(messages.with_attachment(size=1_500_000))
    result = analyse_source(str(root))
    names = sorted(folder.name for folder in result.folders)
    assert names == ["Archives/2019", "INBOX", "Reçus"]
    assert result.total.messages == 3
    assert result.total.read == 1
    assert result.attachments[0].bytes > 1_500_000


def test_eml_folder_and_duplicates(tmp_path: Path) -> None:
    raw = messages.personal(n=4)
    (tmp_path / "a.eml").write_bytes(raw)
    (tmp_path / "copie de a.eml").write_bytes(raw)
    no_id = raw.replace(b"Message-ID:", b"X-Old-Id:")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.eml").write_bytes(no_id)
    (tmp_path / "sub" / "b2.eml").write_bytes(no_id)
    result = analyse_source(str(tmp_path))
    assert result.total.messages == 4
    # same Message-ID; and without one, same normalised headers and size
    assert result.duplicates.redundant_messages == 2
    assert result.duplicates.redundant_bytes == len(raw) + len(no_id)


def test_stdlib_messages_as_eml(tmp_path: Path, stdlib_messages) -> None:
    for name, raw in stdlib_messages:
        (tmp_path / f"{name}.eml").write_bytes(raw)
    result = analyse_source(str(tmp_path))
    assert result.total.messages == len(stdlib_messages)
    result.to_json()  # every odd header survives into JSON


def test_malformed_headers_and_wrong_encodings(tmp_path: Path) -> None:
    (tmp_path / "bad.eml").write_bytes(
        b"From: =?x-unknown?q?Bad=FF?= <weird@\xff\xfe.example>\r\n"
        b"Subject: =?utf-8?b?not base64!!?=\r\n"
        b"Subject: \xe9t\xe9 latin-1 bytes\r\n"
        b"Date: the day after tomorrow\r\n"
        b"List-Unsubscribe: garbage, <javascript:alert(1)>\r\n"
        b"Content-Type: multipart/mixed\r\n"
        b"\r\nno boundary at all\r\n"
    )
    (tmp_path / "empty.eml").write_bytes(b"")
    result = analyse_source(str(tmp_path))
    assert result.total.messages == 2
    import json

    json.dumps(result.to_json(), ensure_ascii=True)


def test_truncated_mbox_is_reported_not_fatal(tmp_path: Path) -> None:
    path = messages.write_mbox(
        tmp_path / "cut.mbox",
        [messages.personal(n=1), messages.with_attachment(size=200_000)],
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 50_000])
    result = analyse_source(str(path))
    assert result.total.messages == 2
    assert any("mid-message" in e.message or "cut short" in e.message for e in result.errors)


def test_fifty_megabyte_attachment(tmp_path: Path) -> None:
    (tmp_path / "big.eml").write_bytes(messages.with_attachment(size=50_000_000))
    result = analyse_source(str(tmp_path))
    assert result.attachments[0].bytes > 50_000_000
    assert result.attachment_matrix["20MB+"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_listed(tmp_path: Path) -> None:
    (tmp_path / "ok.eml").write_bytes(messages.personal())
    secret = tmp_path / "secret.eml"
    secret.write_bytes(messages.personal(n=2))
    secret.chmod(0)
    result = analyse_source(str(tmp_path))
    assert result.total.messages == 1
    assert result.errors and result.errors[0].item == "secret.eml"


def test_fifo_is_skipped_not_read(tmp_path: Path) -> None:
    (tmp_path / "ok.eml").write_bytes(messages.personal())
    os.mkfifo(tmp_path / "pipe.eml")
    os.mkfifo(tmp_path / "pipe.mbox")
    result = analyse_source(str(tmp_path))
    assert result.total.messages == 1
    assert [e.item for e in result.errors] == ["pipe.eml"]


def test_not_a_mailbox(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(SourceInvalid):
        analyse_source(str(tmp_path))
    with pytest.raises(SourceInvalid):
        analyse_source(str(tmp_path / "notes.txt"))
