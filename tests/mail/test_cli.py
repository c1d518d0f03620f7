"""``menage mail analyse`` end to end: terminal, JSON schema, HTML report, errors."""

from __future__ import annotations

import json
import mailbox
from pathlib import Path

from bs4 import BeautifulSoup

from tests.mail import messages


def _maildir(root: Path) -> Path:
    box = mailbox.Maildir(root)
    for raw, seen in messages.mailbox_mix(60, seed=1):
        message = mailbox.MaildirMessage(raw)
        message.set_flags("S" if seen else "")
        box.add(message)
    box.add(messages.newsletter("promo@shop.example", n=1))  # no Message-ID twin below
    box.add(messages.personal(n=7))
    box.add(messages.personal(n=7))  # a duplicate
    return root


def test_json_schema(menage, tmp_path: Path) -> None:
    run = menage("mail", "analyse", _maildir(tmp_path / "Maildir"), "--json")
    assert run.exit_code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["schema"] == "menage.mail.analysis" and data["schema_version"] == 1
    assert data["total"]["messages"] == 63
    assert set(data["senders"][0]) >= {"address", "domain", "messages", "bytes"}
    letter = data["newsletters"][0]
    assert set(letter) >= {"sender", "list_id", "messages", "bytes", "unsubscribe"}
    assert set(letter["unsubscribe"]) == {"one_click", "http", "mailto"}
    assert set(data["duplicates"]) >= {"groups", "redundant_messages", "redundant_bytes"}
    assert data["duplicates"]["redundant_messages"] == 1
    for item in data["attachments"]:
        assert set(item) >= {"message", "filename", "content_type", "bytes"}
        ref = item["message"]
        assert set(ref) == {
            "folder",
            "uidvalidity",
            "uid",
            "key",
            "message_id",
            "size",
            "date",
            "header_hash",
        }
    assert data["errors"] == []
    assert data["impact"]["myth"] == "delete-to-save"


def test_terminal_and_html(menage, tmp_path: Path) -> None:
    report = tmp_path / "out" / "courrier.html"
    report.parent.mkdir()
    run = menage("mail", "analyse", _maildir(tmp_path / "Maildir"), "--html", report)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[1].startswith(("Unsubscribing first", "No newsletter"))
    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    h1 = soup.find("h1")
    assert h1 is not None and h1.text == "Mailbox report"
    headings = [h.get("id") for h in soup.find_all("h2")]
    assert headings.index("newsletters") < headings.index("senders")  # unsubscribing first
    for chart in ("by-sender", "by-domain", "by-year"):
        svg = soup.find("svg", id=chart)
        assert svg is not None
        title = svg.find("title")
        assert title is not None and title.text
    assert not soup.find_all("script")
    # links from mail are text, never links
    assert not [a for a in soup.find_all("a") if "unsub" in (a.get("href") or "")]


def test_hostile_sender_is_text(menage, tmp_path: Path) -> None:
    (tmp_path / "x.eml").write_bytes(
        b"From: <script>alert(1)</script> <evil@example.com>\r\n"
        b"Subject: <img src=x onerror=alert(1)>\r\nList-Id: <b>bold</b>\r\n\r\nhi\r\n"
    )
    report = tmp_path / "r.html"
    assert menage("mail", "analyse", tmp_path, "--html", report).exit_code == 0
    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    assert not soup.find_all("script") and not soup.find_all("b")


def test_incomplete_exit_code(menage, tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "cut.mbox")
    box.add(messages.personal())
    box.add(messages.with_attachment(size=100_000))
    box.close()
    data = (tmp_path / "cut.mbox").read_bytes()
    (tmp_path / "cut.mbox").write_bytes(data[:-20_000])
    run = menage("mail", "analyse", tmp_path / "cut.mbox")
    assert run.exit_code == 3
    assert "ends mid-message" in run.stderr


def test_wrong_password_is_one_line(menage, account, monkeypatch) -> None:
    monkeypatch.setenv("MENAGE_IMAP_PASSWORD", "nope")
    run = menage("mail", "analyse", account.url("imaps"), "--ca-file", account.ca_pem)
    assert run.exit_code == 1
    assert "login refused" in run.stderr
    assert "Traceback" not in run.stderr


def test_bad_certificate_is_one_line(menage, account, imap_password) -> None:
    run = menage("mail", "analyse", account.url("imaps"))
    assert run.exit_code == 1
    assert "does not verify" in run.stderr and "--insecure" in run.stderr


def test_over_imap(menage, account, imap_password) -> None:
    account.append("INBOX", [messages.newsletter(n=k) for k in range(3)])
    run = menage("mail", "analyse", account.url("imaps"), "--ca-file", account.ca_pem, "--json")
    assert run.exit_code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["total"]["messages"] == 3
    assert data["newsletters"][0]["example"]["uid"] == 1


def test_french(menage, tmp_path: Path) -> None:
    from menage import i18n

    i18n.setup("fr")
    try:
        run = menage("mail", "analyse", _maildir(tmp_path / "Maildir"))
    finally:
        i18n.setup("en")
    assert run.exit_code == 0
    assert "messages" in run.stdout
    assert "Se désabonner d’abord" in run.stdout or "Aucune lettre" in run.stdout
