"""Mail fixtures: a real Dovecot IMAP server, accounts, and messages to load into it.

One Dovecot per test session (per xdist worker), started from Debian's binary with a
throwaway configuration (``tests/mail/dovecot.py``); each test gets its own account,
so no test sees another's mail. Without the binary the tests skip locally and fail in
CI (``CI=true``). Messages are loaded with IMAP APPEND, as a mail client would.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import ssl
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from imapclient import IMAPClient

from tests.mail import dovecot, messages

_accounts = itertools.count()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def _dovecot(prefix: str, *capability: str) -> Iterator[dovecot.Dovecot]:
    """A Dovecot of its own (``capability``: what it offers, see :func:`dovecot.running`)."""
    if not dovecot.available():
        _unavailable("Dovecot is not installed (Debian package dovecot-imapd)")
    # not under pytest's 0700 tmp tree: Dovecot's mail user must reach the store
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        with dovecot.running(root, *capability) as server:
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[dovecot.Dovecot]:
    yield from _dovecot("menage-dovecot-")


@pytest.fixture(scope="session")
def dovecot_without_move() -> Iterator[dovecot.Dovecot]:
    """A second Dovecot that does not offer MOVE (``imap_capability`` without it):
    moving takes COPY + STORE \\Deleted + UID EXPUNGE there."""
    yield from _dovecot("menage-dovecot-nomove-", dovecot.WITHOUT_MOVE)


class Account:
    """One mailbox on the test server, with a way to fill it."""

    def __init__(self, server: dovecot.Dovecot) -> None:
        self.server = server

    @property
    def user(self) -> str:
        return self.server.user

    @property
    def password(self) -> str:
        return self.server.password

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def tls_port(self) -> int:
        return self.server.tls_port

    @property
    def ca_pem(self) -> Path:
        return self.server.ca_pem

    def url(self, scheme: str = "imap") -> str:
        port = self.server.tls_port if scheme == "imaps" else self.server.port
        return self.server.url(scheme, port)

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", self.server.port, ssl=False, timeout=30)
        # APPEND waits for "+" before each literal: no delayed-ACK stall per message
        client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client.plain_login(self.user, self.password)
        return client

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_pem))

    def append(
        self,
        folder: str,
        items: Iterable[bytes | tuple[bytes, bool]],
        when: datetime | None = None,
    ) -> int:
        """APPEND messages (``(raw, read)`` pairs or raw bytes) to ``folder``, created if
        needed; returns how many."""
        client = self.client()
        try:
            if folder.upper() != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            count = 0
            for item in items:
                raw, seen = item if isinstance(item, tuple) else (item, False)
                client.append(folder, raw, flags=(b"\\Seen",) if seen else (), msg_time=when)
                count += 1
            return count
        finally:
            client.logout()


@pytest.fixture(scope="session")
def dovecot_without_list_status() -> Iterator[dovecot.Dovecot]:
    """A third Dovecot that does not offer LIST-STATUS: the folders' STATUS commands
    are pipelined there."""
    yield from _dovecot("menage-dovecot-nolist-", dovecot.WITHOUT_LIST_STATUS)


@pytest.fixture
def account(dovecot_server: dovecot.Dovecot) -> Account:
    """A fresh, empty account on the session's Dovecot."""
    return Account(dovecot_server.add_user(f"user{os.getpid()}x{next(_accounts)}"))


@pytest.fixture
def account_without_move(dovecot_without_move: dovecot.Dovecot) -> Account:
    """A fresh, empty account on the Dovecot without MOVE."""
    return Account(dovecot_without_move.add_user(f"user{os.getpid()}x{next(_accounts)}"))


@pytest.fixture
def imap_password(account: Account, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MENAGE_IMAP_PASSWORD", account.password)
    return account.password


@pytest.fixture(scope="session")
def stdlib_messages() -> list[tuple[str, bytes]]:
    """Real messages from CPython's test data; skips where the build lacks them."""
    found = messages.stdlib_messages()
    if not found:
        pytest.skip("this Python build has no test.test_email data (package `test`)")
    return found
