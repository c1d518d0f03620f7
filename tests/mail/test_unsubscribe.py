"""``menage mail unsubscribe``: RFC 8058 one click against a real local HTTPS server."""

from __future__ import annotations

import http.server
import json
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.mail import messages

NEWS = "news@lettres.example.com"


class Server:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, bytes, dict[str, str]]] = []
        self.status = 200
        self.url = ""


@pytest.fixture
def https(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """An HTTPS server on loopback with a certificate of a CA the test makes, trusted
    through SSL_CERT_FILE (as a system CA would be); it records every request."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    ca_pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_pem))
    server = Server()

    class Handler(http.server.BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            server.requests.append((self.command, self.path, body, dict(self.headers)))
            if server.status in (301, 302):
                self.send_response(server.status)
                self.send_header("Location", "/elsewhere")
            else:
                self.send_response(server.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = _record

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    server.url = f"https://127.0.0.1:{httpd.server_address[1]}/unsub"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


def letter(url: str, n: int = 1, one_click: bool = True, bulk: bool = True) -> bytes:
    raw = messages.newsletter(NEWS, n=n, one_click=one_click, esp=bulk)
    raw = raw.replace(b"https://lettres.example.com/unsub", url.encode())
    if not bulk:  # a "newsletter" without any list or bulk header: spam-looking
        lines = raw.split(b"\r\n")
        raw = b"\r\n".join(
            x for x in lines if not x.lower().startswith((b"list-id:", b"precedence:"))
        )
    return raw


def test_one_click_posts_once_and_is_recorded(menage, https: Server, tmp_path: Path) -> None:
    box = messages.write_mbox(tmp_path / "m.mbox", [letter(https.url, n) for n in range(3)])
    dry = menage("mail", "unsubscribe", box, "--sender", NEWS, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert https.requests == []
    run = menage("mail", "unsubscribe", box, "--sender", NEWS, "--yes")
    assert run.exit_code == 0, run.stderr
    assert "Unsubscribed" in run.stdout
    assert len(https.requests) == 1
    method, path, body, headers = https.requests[0]
    assert (method, body) == ("POST", b"List-Unsubscribe=One-Click")
    assert path.startswith("/unsub")
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Cookie" not in headers and "Authorization" not in headers
    history = menage("history")
    assert "1 newsletter unsubscribed" in history.stdout


def test_without_list_unsubscribe_post_the_link_is_only_shown(menage, https, tmp_path) -> None:
    box = messages.write_mbox(tmp_path / "m.mbox", [letter(https.url, one_click=False)])
    run = menage("mail", "unsubscribe", box, "--sender", NEWS, "--yes")
    assert run.exit_code == 0, run.stderr
    assert "mailto:unsub@lettres.example.com" in run.stdout
    assert https.requests == []


def test_spam_looking_mail_is_never_followed(menage, https, tmp_path) -> None:
    box = messages.write_mbox(tmp_path / "m.mbox", [letter(https.url, bulk=False)])
    run = menage("mail", "unsubscribe", box, "--sender", NEWS, "--yes")
    assert run.exit_code == 0, run.stderr
    assert "spam" in run.stdout
    assert https.requests == []


@pytest.mark.parametrize("status", [500, 302])
def test_a_refusal_or_a_redirect_is_a_failure(menage, https, tmp_path, status) -> None:
    https.status = status
    box = messages.write_mbox(tmp_path / "m.mbox", [letter(https.url)])
    run = menage("mail", "unsubscribe", box, "--sender", NEWS, "--yes")
    assert run.exit_code == 3 and str(status) in run.stderr
    assert [r[1] for r in https.requests] == ["/unsub?u=1"]  # the redirect not followed
    history = menage("history", "--json")
    assert json.loads(history.stdout) == []


def test_mail_in_junk_on_the_server_is_never_followed(
    menage, https, account, imap_password
) -> None:
    account.append("Junk", [letter(https.url)])
    run = menage(
        "mail", "unsubscribe", account.url(), "--ca-file", str(account.ca_pem),
        "--sender", NEWS, "--yes",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert "Junk" in run.stdout and https.requests == []


def test_one_click_over_imap(menage, https, account, imap_password) -> None:
    account.append("INBOX", [letter(https.url, n) for n in range(2)])
    run = menage(
        "mail", "unsubscribe", account.url(), "--ca-file", str(account.ca_pem),
        "--sender", NEWS, "--yes",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert [r[0] for r in https.requests] == ["POST"]
