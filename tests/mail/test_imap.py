"""The IMAP source against a real Dovecot: headers only, nothing marked read, a cache."""

from __future__ import annotations

import subprocess

import pytest

from menage.mail.analyse import analyse_source
from menage.mail.errors import (
    CertificateInvalid,
    ConnectFailed,
    ConnectionLost,
    FolderMissing,
    LoginFailed,
    PasswordMissing,
    SourceInvalid,
)
from menage.mail.imap import ImapOptions, plain_allowed
from menage.mail.source import ImapSource, parse_source
from tests.mail import messages


def _options(account, **extra) -> ImapOptions:
    return ImapOptions(ca_file=account.ca_pem, **extra)


def test_headers_only_and_nothing_marked_read(account, imap_password) -> None:
    account.append("INBOX", [messages.newsletter(n=k) for k in range(4)])
    account.append("INBOX", [messages.with_attachment(size=3_000_000)])
    result = analyse_source(account.url("imaps"), options=_options(account))
    assert result.total.messages == 5
    assert result.total.bytes > 3_000_000
    assert result.fetched == 5
    assert result.attachments[0].filename == "photos.zip"
    assert result.attachments[0].bytes > 3_000_000  # encoded size, from BODYSTRUCTURE
    client = account.client()
    try:
        client.select_folder("INBOX", readonly=True)
        assert client.search(["SEEN"]) == []  # BODY.PEEK: \Seen never set
    finally:
        client.logout()


def test_starttls_on_the_plain_port(account, imap_password) -> None:
    account.append("INBOX", [messages.personal()])
    # imap:// to a server offering STARTTLS: TLS is started and the certificate checked
    assert analyse_source(account.url("imap"), options=_options(account)).total.messages == 1
    with pytest.raises(CertificateInvalid):
        analyse_source(account.url("imap"))


def test_second_run_fetches_only_what_changed(account, imap_password) -> None:
    account.append("INBOX", [messages.newsletter(n=k) for k in range(6)])
    first = analyse_source(account.url("imaps"), options=_options(account))
    assert first.fetched == 6
    again = analyse_source(account.url("imaps"), options=_options(account))
    assert again.fetched == 0
    assert again.total.messages == 6
    account.append("INBOX", [messages.personal(n=1)])
    client = account.client()
    try:
        client.select_folder("INBOX")
        uids = client.search(["ALL"])
        client.add_flags(uids[:2], [b"\\Seen"])
        client.delete_messages(uids[2:3])
        client.expunge()
    finally:
        client.logout()
    third = analyse_source(account.url("imaps"), options=_options(account))
    assert third.fetched == 1
    assert third.total.messages == 6
    assert third.total.read == 2


def test_first_run_and_cached_run_agree(account, imap_password, stdlib_messages) -> None:
    # the first run keeps what it fetched in memory, the second reads the cache: the
    # same analysis either way (attachments, unsubscribe methods, defects, dates)
    account.append("INBOX", [raw for raw, _ in messages.mailbox_mix(60, seed=3)])
    account.append("INBOX", [raw for _, raw in stdlib_messages])
    first = analyse_source(account.url("imaps"), options=_options(account), now=1.8e9)
    again = analyse_source(account.url("imaps"), options=_options(account), now=1.8e9)
    assert first.fetched > 60 and again.fetched == 0
    assert first.attachments and first.newsletters
    one, two = first.to_json(), again.to_json()
    for changing in ("generated", "fetched_messages"):
        one.pop(changing), two.pop(changing)
    assert one == two


def _commands(monkeypatch) -> list[str]:
    """The commands the client sends from now on (imaplib's own send, recorded)."""
    import imaplib

    sent: list[str] = []
    original = imaplib.IMAP4.send

    def send(self, data: bytes) -> None:
        sent.append(data.decode("utf-8", "replace").split(" ", 1)[-1].strip())
        original(self, data)

    monkeypatch.setattr(imaplib.IMAP4, "send", send)
    return sent


def test_condstore_second_run_asks_only_what_changed(account, imap_password, monkeypatch):
    """With CONDSTORE (Dovecot has it) a changed folder is asked the flags changed since
    the last run over the cached UIDs and the UIDs beyond the last cached one; its UIDs
    are searched only when its message count says some left."""
    account.append("INBOX", [messages.newsletter(n=k) for k in range(6)])
    assert analyse_source(account.url("imaps"), options=_options(account)).fetched == 6
    account.append("INBOX", [messages.personal(n=1)])
    client = account.client()
    client.select_folder("INBOX")
    client.add_flags(client.search(["ALL"])[:2], [b"\\Seen"])
    client.logout()
    sent = _commands(monkeypatch)
    second = analyse_source(account.url("imaps"), options=_options(account))
    assert second.fetched == 1 and second.total.messages == 7 and second.total.read == 2
    fetches = [c for c in sent if "FETCH" in c]
    assert fetches[0].startswith("UID FETCH 1:6 (UID FLAGS) (CHANGEDSINCE "), fetches
    assert fetches[1].startswith("UID FETCH 7:7 (UID RFC822.SIZE"), fetches
    assert len(fetches) == 2 and not [c for c in sent if "SEARCH" in c], sent
    client = account.client()
    client.select_folder("INBOX")
    client.delete_messages(client.search(["ALL"])[2:4])
    client.expunge()
    client.logout()
    sent.clear()
    third = analyse_source(account.url("imaps"), options=_options(account))
    assert third.fetched == 0 and third.total.messages == 5 and third.total.read == 2
    assert [c for c in sent if "SEARCH" in c] == ["UID SEARCH UID 1:7"], sent


def test_non_ascii_folders_and_trash_apart(account, imap_password) -> None:
    account.append("Reçus/Été 2024", [messages.receipt(n=k) for k in range(2)])
    account.append("Trash", [messages.personal(n=3)])
    account.append("Junk", [messages.newsletter(n=9)])
    result = analyse_source(account.url("imaps"), options=_options(account))
    names = {folder.name: folder for folder in result.folders}
    assert names["Reçus/Été 2024"].messages == 2  # modified UTF-7 on the wire, decoded
    assert result.total.messages == 2
    assert (result.trash.messages, result.junk.messages) == (1, 1)
    only = analyse_source(
        account.url("imaps"), options=_options(account), folders=["Reçus/Été 2024"]
    )
    assert only.total.messages == 2
    with pytest.raises(FolderMissing):
        analyse_source(account.url("imaps"), options=_options(account), folders=["Nope"])


def test_stdlib_messages_over_imap(account, imap_password, stdlib_messages) -> None:
    account.append("INBOX", [raw for _, raw in stdlib_messages])
    result = analyse_source(account.url("imaps"), options=_options(account))
    assert result.total.messages == len(stdlib_messages)
    assert result.errors == []


def test_wrong_password(account, monkeypatch) -> None:
    monkeypatch.setenv("MENAGE_IMAP_PASSWORD", "not-the-password")
    with pytest.raises(LoginFailed, match="login refused"):
        analyse_source(account.url("imaps"), options=_options(account))


def test_no_password_anywhere(account, monkeypatch) -> None:
    monkeypatch.delenv("MENAGE_IMAP_PASSWORD", raising=False)
    with pytest.raises(PasswordMissing, match="MENAGE_IMAP_PASSWORD"):
        analyse_source(account.url("imaps"), options=_options(account))


def test_prompt_gives_the_password(account, monkeypatch) -> None:
    monkeypatch.delenv("MENAGE_IMAP_PASSWORD", raising=False)
    asked: list[str] = []

    def prompt(who: str) -> str:
        asked.append(who)
        return str(account.password)

    analyse_source(account.url("imaps"), options=_options(account), prompt=prompt)
    assert asked == [f"{account.user}@127.0.0.1"]


def test_unverifiable_certificate_then_insecure_by_choice(account, imap_password) -> None:
    with pytest.raises(CertificateInvalid, match="does not verify"):
        analyse_source(account.url("imaps"))
    result = analyse_source(account.url("imaps"), options=ImapOptions(insecure=True))
    assert result.total.messages == 0


def test_nothing_listening(imap_password) -> None:
    from tests.mail.dovecot import free_port

    with pytest.raises(ConnectFailed):
        analyse_source(f"imaps://x@127.0.0.1:{free_port()}/")


def test_dropped_connection_resumes(account, imap_password, dovecot_server) -> None:
    account.append("INBOX", [messages.personal(n=k, size=500) for k in range(25)])
    doveadm = ["doveadm", "-c", str(dovecot_server.root / "dovecot.conf")]
    seen: list[int] = []

    def kick(done: int) -> None:
        seen.append(done)
        if done != 10:
            return
        # the server itself closes the session, as a restart or a timeout would; wait
        # until it is really gone so that the next FETCH meets a closed connection
        subprocess.run([*doveadm, "kick", account.user], check=True, capture_output=True)
        for _ in range(1000):
            who = subprocess.run([*doveadm, "who", account.user], capture_output=True)
            if account.user.encode() not in who.stdout:
                break

    with pytest.raises(ConnectionLost, match="next run resumes"):
        analyse_source(account.url("imaps"), options=_options(account, batch=5, after_batch=kick))
    assert seen[-1] == 10
    resumed = analyse_source(account.url("imaps"), options=_options(account, batch=5))
    assert resumed.fetched == 15  # the 10 read before the drop came from the cache
    assert resumed.total.messages == 25


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param("imaps://host/", id="no-user"),
        pytest.param("pop3://u@host/", id="other-scheme"),
        pytest.param("imaps://u:secret@host/", id="password-in-url"),
        pytest.param("/no/such/mailbox", id="missing-path"),
    ],
)
def test_bad_sources(spec: str) -> None:
    with pytest.raises(SourceInvalid) as caught:
        parse_source(spec)
    assert "secret" not in caught.value.message


def test_plain_imap_only_on_loopback_or_by_choice() -> None:
    assert plain_allowed(ImapSource("127.0.0.1", 143, "u", "starttls"), insecure=False)
    assert plain_allowed(ImapSource("::1", 143, "u", "starttls"), insecure=False)
    remote = ImapSource("192.0.2.1", 143, "u", "starttls")
    assert not plain_allowed(remote, insecure=False)
    assert plain_allowed(remote, insecure=True)


def test_xoauth2_login_end_to_end(menage, account, monkeypatch) -> None:
    """XOAUTH2 against Dovecot's oauth2 passdb, which asks a local token introspection
    endpoint (RFC 7662) started by the test whether the token is active and whose."""
    from tests.mail import dovecot

    account.append("INBOX", [messages.personal(n=1)])
    monkeypatch.delenv("MENAGE_IMAP_PASSWORD", raising=False)
    monkeypatch.setenv("MENAGE_IMAP_OAUTH2_TOKEN", dovecot.token_for(account.user))
    args = ["mail", "analyse", account.url(), "--ca-file", str(account.ca_pem), "--json"]
    run = menage(*args, "--oauth2")
    assert run.exit_code == 0, run.stderr + account.server.log[-1500:]
    assert '"messages": 1' in run.stdout
    introspection = account.server.introspection
    assert introspection is not None
    assert dovecot.token_for(account.user) in introspection.seen
    monkeypatch.setenv("MENAGE_IMAP_OAUTH2_TOKEN", "expired-token")
    refused = menage(*args, "--oauth2")
    assert refused.exit_code == 1 and "login refused" in refused.stderr
    assert "Traceback" not in refused.stderr


def _lines_sent(monkeypatch) -> list[list[str]]:
    """Each write the client makes from now on, as its command lines without tags."""
    import imaplib

    writes: list[list[str]] = []
    original = imaplib.IMAP4.send

    def send(self, data: bytes) -> None:
        text = data.decode("utf-8", "replace")
        writes.append([line.split(" ", 1)[-1] for line in text.split("\r\n") if line])
        original(self, data)

    monkeypatch.setattr(imaplib.IMAP4, "send", send)
    return writes


@pytest.mark.parametrize("list_status", [True, False], ids=["list-status", "pipelined"])
def test_unchanged_folders_are_not_opened(request, monkeypatch, list_status) -> None:
    """The folders' states come in one round trip (LIST-STATUS, or all STATUS commands
    in one write); an unchanged mailbox is then neither opened nor fetched, and a
    change in one folder opens and fetches that folder only."""
    from tests.mail.conftest import Account

    server = "dovecot_server" if list_status else "dovecot_without_list_status"
    account = Account(request.getfixturevalue(server).add_user(f"u{request.node.name[-9:-1]}"))
    monkeypatch.setenv("MENAGE_IMAP_PASSWORD", account.password)
    account.append("INBOX", [messages.newsletter(n=k) for k in range(3)])
    account.append("Reçus/Été 2024", [messages.receipt(n=k) for k in range(2)])
    first = analyse_source(account.url("imaps"), options=_options(account))
    assert first.fetched == 5
    writes = _lines_sent(monkeypatch)
    second = analyse_source(account.url("imaps"), options=_options(account))
    assert second.fetched == 0 and second.total.messages == 5
    sent = [line for lines in writes for line in lines]
    assert not [c for c in sent if c.startswith(("SELECT", "EXAMINE")) or "FETCH" in c], sent
    statuses = [c for c in sent if c.startswith("STATUS")]
    if list_status:
        assert [c for c in sent if c.startswith("LIST")] == [
            'LIST "" "*" RETURN (STATUS (MESSAGES UIDNEXT UIDVALIDITY SIZE HIGHESTMODSEQ))'
        ], sent
        assert statuses == [], sent
    else:
        folders = {c.split('"')[1] for c in statuses}
        assert {"INBOX", "Re&AOc-us/&AMk-t&AOk- 2024"} <= folders, sent
        assert [w for w in writes if w and w[0].startswith("STATUS")] == [statuses], sent
    sizes = {info.name: info.bytes for info in second.folders}
    assert sizes == {info.name: info.bytes for info in first.folders}
    account.append("Reçus/Été 2024", [messages.receipt(n=7)])
    writes.clear()
    third = analyse_source(account.url("imaps"), options=_options(account))
    assert third.fetched == 1 and third.total.messages == 6
    sent = [line for lines in writes for line in lines]
    opened = [c for c in sent if c.startswith(("SELECT", "EXAMINE"))]
    assert opened == ['EXAMINE "Re&AOc-us/&AMk-t&AOk- 2024"'], sent
