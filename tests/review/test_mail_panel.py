"""The mail panel: a local mbox and Maildir added on the page, newsletters left with one
click (against a local HTTPS server), senders cleaned through the journal and put back
from the page; the mailbox form against hostile input; the password never shown."""

from __future__ import annotations

import mailbox
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from menage import Workspace
from menage.review import Review, ReviewServer, offered_folders
from tests.mail import messages
from tests.mail.conftest import Account, account, dovecot_server  # noqa: F401 - fixtures
from tests.mail.test_unsubscribe import NEWS, Server, https, letter  # noqa: F401 - fixture
from tests.review.conftest import Client

SECRET = "s3cr3t-Pässwörd"


@pytest.fixture
def mail_client(tmp_path: Path, menage_home: Path) -> Iterator[Client]:
    running = ReviewServer(Review(Workspace(menage_home), offered_folders([tmp_path])))
    running.start(poll_s=0.2)
    yield Client(running)
    running.stop()


def contents(path: Path) -> list[bytes]:
    box = mailbox.mbox(path)
    try:
        return sorted(m.as_bytes() for m in box)
    finally:
        box.close()


def picks(page: str) -> list[str]:
    return re.findall(r'name="pick" value="([^"]+)"', page)


def test_an_mbox_newsletter_cleaned_then_put_back(mail_client: Client, tmp_path: Path) -> None:
    raws = [messages.newsletter(n=k) for k in range(3)] + [messages.personal(n=1)]
    box = messages.write_mbox(tmp_path / "Archives.mbox", raws)
    before = contents(box)
    status, headers, _text = mail_client.post("mail/add", {"kind": "local", "path": str(box)})
    assert status == 303, _text
    status, _headers, page = mail_client.get("mail")
    assert status == 200
    assert "news@lettres.example.com" in page and "Unsubscribe" in page
    # unsubscribe comes first: the newsletters' section is before the senders'
    assert page.index("h-newsletters") < page.index("h-senders")
    assert "newsletter/0" in picks(page)
    status, headers, _text = mail_client.post("mail/clean", {"pick": ["newsletter/0"]})
    assert status == 303, _text
    run = headers["location"].rsplit("/", 1)[-1]
    assert len(contents(box)) == 1  # the personal message stays
    done = mail_client.get(f"done/{run}")[2]
    assert "3 messages went to Ménage's bin" in done and f"{mail_client.base}mail" in done
    status, _headers, _text = mail_client.post("undo", {"run": run})
    assert status == 303
    # every message is back (the undo appends them again)
    assert contents(box) == before


def test_a_maildir_sender_cleaned_then_put_back(mail_client: Client, tmp_path: Path) -> None:
    root = tmp_path / "Maildir"
    box = mailbox.Maildir(root)
    for k in range(3):
        box.add(messages.newsletter(n=k))
    box.add(messages.personal(n=2))
    status, _h, _t = mail_client.post("mail/add", {"kind": "local", "path": str(root)})
    assert status == 303
    page = mail_client.get("mail")[2]
    sender = next(p for p in picks(page) if p.startswith("sender/"))
    status, headers, _text = mail_client.post("mail/clean", {"pick": [sender]})
    assert status == 303, _text
    assert len(mailbox.Maildir(root)) < 4
    run = headers["location"].rsplit("/", 1)[-1]
    assert mail_client.post("undo", {"run": run})[0] == 303
    assert len(mailbox.Maildir(root)) == 4


def test_one_click_unsubscribe_from_the_page(
    mail_client: Client,
    https: Server,  # noqa: F811
    tmp_path: Path,
) -> None:
    import ssl

    mail_client.server.review.ssl_context = ssl.create_default_context()
    box = messages.write_mbox(tmp_path / "m.mbox", [letter(https.url, n) for n in range(3)])
    assert mail_client.post("mail/add", {"kind": "local", "path": str(box)})[0] == 303
    assert https.requests == []
    status, _headers, _text = mail_client.post("mail/unsubscribe", {"newsletter": "0"})
    assert status == 303
    assert [r[0] for r in https.requests] == ["POST"]
    page = mail_client.get("mail")[2]
    assert "unsubscribed with one click" in page


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "local", "path": "/nowhere/at/all"},
        {"kind": "local", "path": "relative/path"},
        {"kind": "local", "path": "imaps://bob@example.org/"},
        {"kind": "local", "path": "/tmp\x00/x"},
        {"kind": "local", "path": "x" * 5000},
        {"kind": "ftp"},
        {"kind": ["local", "imap"], "path": "/"},
        {"kind": "imap", "host": "evil.example/../", "user": "u", "password": SECRET},
        {"kind": "imap", "host": "<script>", "user": "u", "password": SECRET},
        {"kind": "imap", "host": "imap.example.org", "user": "", "password": SECRET},
        {"kind": "imap", "host": "imap.example.org", "user": "u", "password": ""},
        {"kind": "imap", "host": "imap.example.org", "user": "u", "password": SECRET, "port": "0"},
        {"kind": "imap", "host": "imap.example.org", "user": "u", "password": SECRET, "port": "x"},
        # plain IMAP only to this computer
        {"kind": "imap", "host": "imap.example.org", "user": "u", "password": SECRET, "tls": "no"},
    ],
)
def test_the_mailbox_form_refuses_hostile_input(
    mail_client: Client, fields: dict[str, str | list[str]]
) -> None:
    status, _headers, page = mail_client.post("mail/add", fields)
    assert status == 400
    assert 'role="alert"' in page
    assert SECRET not in page
    assert "Traceback" not in page
    assert mail_client.server.review.mailbox is None


def test_the_password_is_never_in_a_page_or_an_address(
    mail_client: Client, menage_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import socket

    # a server on this computer that refuses: the login fails, the page says so
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    fields: dict[str, str | list[str]] = {
        "kind": "imap", "host": "127.0.0.1", "port": str(port), "user": "alice",
        "password": SECRET, "tls": "no",
    }  # fmt: skip
    status, headers, page = mail_client.post("mail/add", fields)
    assert status == 400 and 'role="alert"' in page
    assert SECRET not in page and SECRET not in str(headers)
    assert SECRET not in caplog.text
    for stored in menage_home.rglob("*"):
        if stored.is_file():
            assert SECRET.encode() not in stored.read_bytes(), stored
    # the form's password is never sent back, nor put in a link
    assert 'type="password"' in page and f'value="{SECRET}"' not in page
    assert "password=" not in page


def test_the_mail_forms_need_the_csrf_token(mail_client: Client, tmp_path: Path) -> None:
    box = messages.write_mbox(tmp_path / "m.mbox", [messages.newsletter(n=1)])
    status, _h, _t = mail_client.post("mail/add", {"kind": "local", "path": str(box)}, csrf=False)
    assert status == 403
    assert mail_client.server.review.mailbox is None
    assert mail_client.post("mail/add", {"kind": "local", "path": str(box)})[0] == 303
    for hostile in (["sender/99"], ["newsletter/-1"], ["../../etc"], ["sender/0/1"]):
        status, _h, page = mail_client.post("mail/clean", {"pick": hostile})
        assert status == 400, hostile
    assert mail_client.post("mail/unsubscribe", {"newsletter": "7"})[0] == 400
    assert mail_client.post("mail/forget", {})[0] == 303
    assert mail_client.server.review.mailbox is None


def test_the_language_switch(mail_client: Client) -> None:
    status, headers, _t = mail_client.get("lang/fr?back=mail")
    assert status == 303 and headers["location"].endswith("/mail")
    page = mail_client.get("mail")[2]
    assert '<html lang="fr">' in page and "Ajouter une boîte" in page
    status, headers, _t = mail_client.get("lang/en?back=https://evil.example/")
    assert status == 303 and headers["location"].endswith(mail_client.base)
    assert '<html lang="en">' in mail_client.get("")[2]
    assert mail_client.get("lang/de")[0] == 404


# -- an IMAP account on the test Dovecot -------------------------------------------------


def test_an_imap_account_cleaned_and_put_back(
    mail_client: Client,
    account: Account,  # noqa: F811
    menage_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.mail.test_clean import _folders, _inbox

    # the password comes from the form only (no environment, no keyring)
    monkeypatch.delenv("MENAGE_IMAP_PASSWORD", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    # over TLS, the test server's CA trusted as a system one would be
    monkeypatch.setenv("SSL_CERT_FILE", str(account.ca_pem))
    account.append("INBOX", _inbox())
    before = _folders(account)
    fields: dict[str, str | list[str]] = {
        "kind": "imap", "host": "127.0.0.1", "port": str(account.tls_port),
        "user": account.user, "password": account.password,
    }  # fmt: skip
    status, headers, page = mail_client.post("mail/add", fields)
    assert status == 303, page
    assert account.password not in headers["location"]
    page = mail_client.get("mail")[2]
    assert NEWS in page and account.password not in page
    row = re.search(
        r'value="(newsletter/\d+)"[^>]*>\s*<label[^>]*><span class="path">' + NEWS, page
    )
    assert row is not None
    status, headers, page = mail_client.post("mail/clean", {"pick": [row.group(1)]})
    assert status == 303, page
    after = _folders(account)
    assert sum(after["Trash"].values()) == 3
    run = headers["location"].rsplit("/", 1)[-1]
    assert "3 messages went to the server's Trash" in mail_client.get(f"done/{run}")[2]
    assert mail_client.post("undo", {"run": run})[0] == 303
    assert _folders(account) == before
    for stored in menage_home.rglob("*"):
        if stored.is_file():
            assert account.password.encode() not in stored.read_bytes(), stored
