"""The test server itself: it must really be Dovecot, really hold what was appended."""

from __future__ import annotations

import ssl

import pytest
from imapclient import IMAPClient

from tests.mail import messages


def test_append_and_count(account) -> None:
    assert account.append("INBOX", [messages.newsletter(n=k) for k in range(3)]) == 3
    client = account.client()
    try:
        status = client.folder_status("INBOX", [b"MESSAGES", b"SIZE"])
        assert status[b"MESSAGES"] == 3
        assert status[b"SIZE"] > 3 * 20_000
    finally:
        client.logout()


def test_accounts_are_isolated(account, dovecot_server) -> None:
    account.append("INBOX", [messages.personal()])
    from tests.mail.conftest import Account

    other = Account(dovecot_server.add_user("someone-else"))
    client = other.client()
    try:
        assert client.folder_status("INBOX", [b"MESSAGES"])[b"MESSAGES"] == 0
    finally:
        client.logout()


def test_tls_listener_uses_the_test_ca(account) -> None:
    client = IMAPClient(
        "127.0.0.1", account.tls_port, ssl=True, ssl_context=account.ssl_context(), timeout=10
    )
    client.plain_login(account.user, account.password)
    client.logout()
    with pytest.raises(ssl.SSLCertVerificationError):
        IMAPClient("127.0.0.1", account.tls_port, ssl=True, timeout=10)


def test_stdlib_messages_load(account, stdlib_messages) -> None:
    loaded = account.append("INBOX", [raw for _, raw in stdlib_messages])
    assert loaded == len(stdlib_messages) > 30
