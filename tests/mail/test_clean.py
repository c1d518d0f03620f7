"""``menage mail clean`` and ``menage undo`` against a real Dovecot, an mbox and a Maildir."""

from __future__ import annotations

import hashlib
import mailbox
import os
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from tests.mail import messages

NEWS = "news@lettres.example.com"


def _no_mid(raw: bytes) -> bytes:
    return b"\r\n".join(
        line for line in raw.split(b"\r\n") if not line.lower().startswith(b"message-id:")
    )


def _inbox() -> list[bytes]:
    twin = messages.personal(n=7)
    return [
        messages.newsletter(NEWS, n=1),
        messages.newsletter(NEWS, n=2),
        _no_mid(messages.newsletter(NEWS, n=3)),  # found again by size, date, header hash
        messages.personal(n=1),
        twin,
        twin,
        messages.receipt(n=1),
    ]


def _folders(account) -> dict[str, Counter[bytes]]:
    """Each folder's messages, by the digest of their bytes."""
    client = account.client()
    try:
        found = {}
        for flags, _sep, name in client.list_folders():
            if b"\\Noselect" in flags:
                continue
            client.select_folder(name, readonly=True)
            uids = client.search("ALL")
            bodies = client.fetch(uids, [b"BODY.PEEK[]"]) if uids else {}
            found[str(name)] = Counter(
                hashlib.sha256(item[b"BODY[]"]).digest() for item in bodies.values()
            )
        return found
    finally:
        client.logout()


def _mail(account, *args: str):
    return ("mail", "clean", account.url(), "--ca-file", str(account.ca_pem), *args)


def test_imap_clean_then_undo(menage, account, imap_password, menage_home) -> None:
    account.append("INBOX", _inbox())
    before = _folders(account)
    dry = menage(*_mail(account, "--sender", NEWS, "--dry-run"))
    assert dry.exit_code == 0, dry.stderr
    assert "3 " in dry.stderr and _folders(account) == before
    run = menage(*_mail(account, "--sender", NEWS, "--yes"))
    assert run.exit_code == 0, run.stderr
    after = _folders(account)
    assert sum(after["Trash"].values()) == 3 and sum(after["INBOX"].values()) == 4
    assert after["Trash"] + after["INBOX"] == before["INBOX"]
    db = sqlite3.connect(menage_home / "journal.sqlite")
    rows = db.execute("SELECT source, kind, path, state FROM actions").fetchall()
    assert rows == [("imap", "move", None, "done")] * 3
    history = menage("history", "--json")
    assert history.exit_code == 0, history.stderr
    undo = menage("undo", "--yes")
    assert undo.exit_code == 0, undo.stderr
    assert _folders(account) == before


def test_imap_duplicates_keep_one_copy(menage, account, imap_password) -> None:
    account.append("INBOX", _inbox())
    run = menage(*_mail(account, "--duplicates", "--yes"))
    assert run.exit_code == 0, run.stderr
    after = _folders(account)
    twin = hashlib.sha256(messages.personal(n=7)).digest()
    assert after["INBOX"][twin] == 1 and after["Trash"][twin] == 1


def test_a_duplicate_whose_kept_copy_is_gone_stays(account, imap_password, menage_home) -> None:
    from menage.clean import cleanup_session, home_quarantine
    from menage.mail.clean import apply_mail
    from menage.mail.imap import ImapOptions
    from menage.mail.planning import plan_mail
    from menage.mail.select import Criteria

    account.append("INBOX", _inbox())
    options = ImapOptions(ca_file=account.ca_pem)
    plan = plan_mail(account.url(), Criteria(duplicates=True), options=options)
    assert len(plan.targets) == 1
    kept = plan.targets[0].keep
    assert kept is not None and kept.uid is not None
    client = account.client()
    client.select_folder("INBOX")
    client.delete_messages([kept.uid])
    client.expunge()
    client.logout()
    with cleanup_session() as (journal, _recovered):
        outcome = apply_mail(plan, journal, home_quarantine())
    assert not outcome.done and len(outcome.skipped) == 1
    assert "kept copy" in (outcome.skipped[0].reason or "")
    twin = hashlib.sha256(messages.personal(n=7)).digest()
    assert _folders(account)["INBOX"][twin] == 1  # the other copy was never touched


def test_an_archive_folder_named_by_the_user(menage, account, imap_password) -> None:
    account.append("INBOX", _inbox())
    run = menage(*_mail(account, "--larger", "15KB", "--archive", "Archives/Vieux"))
    assert run.exit_code != 0  # no terminal, no --yes: nothing done
    run = menage(*_mail(account, "--larger", "15KB", "--archive", "Archives/Vieux", "--yes"))
    assert run.exit_code == 0, run.stderr
    big = len([m for m in _inbox() if len(m) >= 15_000])
    assert big >= 3 and sum(_folders(account)["Archives/Vieux"].values()) == big


def test_a_dropped_connection_mid_clean_resumes(menage, account, imap_password, at_hook):
    """The socket is cut right before the second move: the client reconnects, sees on
    the server that nothing moved, moves it; nothing is half done, nothing twice."""
    from menage.mail import sessions

    account.append("INBOX", _inbox())
    before = _folders(account)

    calls: list[bytes] = []

    def cut(path: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:  # the second message, once
            for client in sessions._clients.values():
                client.socket().shutdown(2)

    at_hook("apply.act", cut, match=lambda p: True, times=10)
    run = menage(*_mail(account, "--sender", NEWS, "--yes"))
    assert run.exit_code == 0, run.stderr
    assert calls
    after = _folders(account)
    assert sum(after["Trash"].values()) == 3 and after["Trash"] + after["INBOX"] == before["INBOX"]


def test_a_server_out_of_reach_leaves_the_run_to_carry_on(
    menage, account, imap_password, at_hook, monkeypatch
):
    """Cut after the move, with a wrong password so the client cannot reconnect: the
    command stops with a clear message and the action in progress; the next command
    settles it from the server (done), and the same cleanup carries on."""
    from menage.mail import sessions

    account.append("INBOX", _inbox())
    before = _folders(account)

    def cut(_path: bytes) -> None:
        monkeypatch.setenv("MENAGE_IMAP_PASSWORD", "wrong")
        for client in sessions._clients.values():
            client.socket().shutdown(2)

    at_hook("apply.acted", cut, match=lambda p: True, times=1)
    run = menage(*_mail(account, "--sender", NEWS, "--yes"))
    assert run.exit_code == 1 and "run the same command again" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    monkeypatch.setenv("MENAGE_IMAP_PASSWORD", account.password)
    again = menage(*_mail(account, "--sender", NEWS, "--yes"))
    assert again.exit_code == 0, again.stderr
    assert "settled" in again.stderr
    after = _folders(account)
    assert sum(after["Trash"].values()) == 3 and after["Trash"] + after["INBOX"] == before["INBOX"]
    # the first message was moved by the first run, the others by the second
    assert menage("undo", "--yes").exit_code == 0
    assert menage("undo", "--yes").exit_code == 0
    assert _folders(account) == before


def _mbox(path: Path) -> Path:
    return messages.write_mbox(path, _inbox())


def _mbox_digests(path: Path) -> Counter[str]:
    from menage.mail.mbox_ops import digests

    return Counter(digests(path.read_bytes()))


def test_mbox_clean_rewrites_atomically_then_undo(menage, tmp_path: Path) -> None:
    box = _mbox(tmp_path / "courrier.mbox")
    before = _mbox_digests(box)
    original = box.read_bytes()
    # held open, the first file keeps its inode: a number freed by one rewrite may be
    # given to the next (three messages, three rewrites), but never this one
    with box.open("rb") as first:
        run = menage("mail", "clean", box, "--sender", NEWS, "--yes")
        assert run.exit_code == 0, run.stderr
        assert sum(_mbox_digests(box).values()) == 4
        # a new file renamed over it, never edited in place
        assert os.fstat(first.fileno()).st_ino != os.stat(box).st_ino
        assert os.fstat(first.fileno()).st_nlink == 0 and first.read() == original
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".menage-")]
    undo = menage("undo", "--yes")
    assert undo.exit_code == 0, undo.stderr
    assert _mbox_digests(box) == before


def test_mbox_duplicates_and_a_truncated_mbox(menage, tmp_path: Path) -> None:
    box = _mbox(tmp_path / "courrier.mbox")
    with box.open("ab") as handle:
        handle.write(b"From x@y Mon Jan  1 00:00:00 2024\nSubject: cut\n\npartial")
    run = menage("mail", "clean", box, "--duplicates", "--yes")
    assert run.exit_code == 0, run.stderr
    twin = hashlib.sha256(b"")  # noqa: F841 - the mbox form differs from the raw bytes
    assert sum(_mbox_digests(box).values()) == 7
    assert box.read_bytes().endswith(b"partial")


def test_maildir_clean_then_undo(menage, tmp_path: Path) -> None:
    root = tmp_path / "Maildir"
    md = mailbox.Maildir(root)
    for raw in _inbox():
        md.add(raw)
    before = sorted(p.read_bytes() for p in root.rglob("*") if p.is_file())
    run = menage("mail", "clean", root, "--newsletters", "--yes")
    assert run.exit_code == 0, run.stderr
    assert len([p for p in root.rglob("*") if p.is_file()]) == 4
    undo = menage("undo", "--yes")
    assert undo.exit_code == 0, undo.stderr
    assert sorted(p.read_bytes() for p in root.rglob("*") if p.is_file()) == before


def test_nothing_to_select_is_said(menage, tmp_path: Path) -> None:
    box = _mbox(tmp_path / "courrier.mbox")
    run = menage("mail", "clean", box)
    assert run.exit_code == 1 and "--newsletters" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("archive", ["Corbeille é"])
def test_a_non_ascii_archive_folder(menage, account, imap_password, archive) -> None:
    account.append("INBOX", _inbox())
    run = menage(*_mail(account, "--sender", NEWS, "--archive", archive, "--yes"))
    assert run.exit_code == 0, run.stderr
    assert sum(_folders(account)[archive].values()) == 3
    assert menage("undo", "--yes").exit_code == 0
    assert sum(_folders(account)[archive].values()) == 0


def test_without_move_clean_then_undo(menage, account_without_move, monkeypatch, menage_home):
    """A server without MOVE (Dovecot told not to offer it): COPY + STORE \\Deleted +
    UID EXPUNGE of exactly that UID, there and back; nothing else is expunged."""
    account = account_without_move
    monkeypatch.setenv("MENAGE_IMAP_PASSWORD", account.password)
    probe = account.client()
    assert b"MOVE" not in probe.capabilities() and b"UIDPLUS" in probe.capabilities()
    probe.logout()
    account.append("INBOX", _inbox())
    # another message marked deleted by someone else: a plain EXPUNGE would remove it
    client = account.client()
    client.select_folder("INBOX")
    marked = client.search(["ALL"])[3]
    client.add_flags([marked], [b"\\Deleted"])
    client.logout()
    before = _folders(account)
    run = menage(*_mail(account, "--sender", NEWS, "--yes"))
    assert run.exit_code == 0, run.stderr
    after = _folders(account)
    assert sum(after["Trash"].values()) == 3 and sum(after["INBOX"].values()) == 4
    assert after["Trash"] + after["INBOX"] == before["INBOX"]
    client = account.client()
    client.select_folder("INBOX")
    assert marked in client.search(["DELETED"])  # still there, still marked
    client.logout()
    undo = menage("undo", "--yes")
    assert undo.exit_code == 0, undo.stderr
    assert _folders(account) == before


def _cut_between_copy_and_expunge(at_hook, point: str) -> list[bytes]:
    from menage.mail import sessions

    calls: list[bytes] = []

    def cut(path: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:  # the second message, once: copied, not yet expunged
            for client in sessions._clients.values():
                client.socket().shutdown(2)

    at_hook(point, cut, match=lambda p: True, times=10)
    return calls


def test_without_move_a_connection_dropped_between_copy_and_expunge(
    menage, account_without_move, monkeypatch, at_hook
):
    """Cut after the COPY, before STORE + EXPUNGE, on the way there and on the way
    back: the client reconnects, finds the copy, finishes the move; each message ends in
    exactly one folder, none twice, none lost."""
    account = account_without_move
    monkeypatch.setenv("MENAGE_IMAP_PASSWORD", account.password)
    account.append("INBOX", _inbox())
    before = _folders(account)
    calls = _cut_between_copy_and_expunge(at_hook, "apply.copied")
    run = menage(*_mail(account, "--sender", NEWS, "--yes"))
    assert run.exit_code == 0, run.stderr
    assert len(calls) == 3
    after = _folders(account)
    assert sum(after["Trash"].values()) == 3 and after["Trash"] + after["INBOX"] == before["INBOX"]
    calls = _cut_between_copy_and_expunge(at_hook, "undo.copied")
    undo = menage("undo", "--yes")
    assert undo.exit_code == 0, undo.stderr
    assert len(calls) >= 2
    assert _folders(account) == before


@pytest.mark.parametrize(
    "first", ["menage.mail.mbox_ops", "menage.mail.imap_ops", "menage.mail.operations"]
)
def test_any_mail_operation_module_imported_first_registers_them_all(first: str) -> None:
    """The mail operations and the journal import each other (menage.clean registers the
    mail operations): whichever is imported first, in a fresh interpreter, every
    operation ends registered (an import starting at the mbox's once failed)."""
    import subprocess
    import sys

    code = (
        f"import {first}\n"
        "from menage.clean.registry import operations\n"
        "print(sorted(o.source + '/' + o.kind for o in operations()))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in ("imap/move", "mbox/quarantine", "maildir/quarantine", "files/quarantine"):
        assert name in done.stdout
