"""A crash at every step of every mail operation, then recovery and undo.

The mail counterpart of ``tests/clean/test_fault_steps.py`` (which covers the
operations on files): for each registered operation whose source is not ``files``
and each hook point it declares, a fault (an exception standing for a kill) is
injected the first and the last time the point is reached. Then every message is in
its mailbox or in the stash its journal record names; the next command settles what
was in progress; ``undo`` (until nothing is left) gives the mailbox back. An IMAP
move is one command on the server (MOVE): the message is in one folder or the other;
on a server without MOVE (``*.copied``, run against a Dovecot that does not offer it)
the message is in both between the COPY and the EXPUNGE.
"""

from __future__ import annotations

import mailbox
import os
from collections import Counter
from pathlib import Path

import pytest

from menage.clean.registry import operations
from tests.clean.test_fault_steps import Injected, crash_in, undo_until_done
from tests.mail import messages
from tests.mail.test_clean import NEWS, _folders, _inbox, _mbox, _mbox_digests

#: the sources these scenarios cover (files and photos: tests/clean/test_fault_steps.py)
MAIL_SOURCES = ("imap", "mbox", "maildir")


def _cases() -> list[tuple[str, str, str, str]]:
    return [
        (op.source, op.kind, point, which)
        for op in operations()
        if op.source in MAIL_SOURCES
        for point in op.points
        for which in ("first", "last")
    ]


def _hook(point: str, which: str, total: int) -> list[bytes]:
    from menage import hooks

    calls: list[bytes] = []
    number = 1 if which == "first" else total

    def hook(name: str, path: bytes) -> None:
        if name != point:
            return
        calls.append(path)
        if len(calls) == number:
            raise Injected(f"killed at {point}")

    hooks.hook = hook
    return calls


def _maildir(root: Path) -> Path:
    box = mailbox.Maildir(root)
    for raw in _inbox():
        box.add(raw)
    return root


def _maildir_contents(root: Path) -> Counter[bytes]:
    return Counter(p.read_bytes() for p in root.rglob("*") if p.is_file())


def _stashed(journal: Path) -> Counter[bytes]:
    from menage.clean.journal import Journal

    with Journal(journal, read_only=True) as read:
        entries = read.entries()
    found: Counter[bytes] = Counter()
    for e in entries:
        if e.stash is not None and e.source != "imap" and os.path.isfile(e.stash):
            with open(e.stash, "rb") as handle:
                found[handle.read()] += 1
    return found


@pytest.mark.slow
@pytest.mark.parametrize("case", _cases(), ids="-".join)
def test_a_crash_at_every_step_of_every_mail_operation(
    request, menage, menage_home, tmp_path, case, monkeypatch
):
    from menage import hooks

    source, kind, point, which = case
    assert source in ("imap", "mbox", "maildir"), f"add a scenario for {source!r} here"
    journal = menage_home / "journal.sqlite"
    if source == "imap":
        # the COPY + EXPUNGE steps only happen on a server without MOVE
        server = "account_without_move" if point.endswith(".copied") else "account"
        account = request.getfixturevalue(server)
        monkeypatch.setenv("MENAGE_IMAP_PASSWORD", account.password)
        account.append("INBOX", _inbox())
        target: str = account.url()
        extra = ["--ca-file", str(account.ca_pem)]

        def state() -> object:
            return _folders(account)

        def nothing_lost() -> None:
            now = _folders(account)
            both = now["INBOX"] + now["Trash"]
            if point.endswith(".copied") and not settled:
                # killed between COPY and EXPUNGE: in both folders until settled
                assert both >= before["INBOX"]  # type: ignore[index]
            else:
                assert both == before["INBOX"]  # type: ignore[index]

    elif source == "mbox":
        box = _mbox(tmp_path / "courrier.mbox")
        target, extra = str(box), []

        def state() -> object:
            return _mbox_digests(box)

        def nothing_lost() -> None:
            from menage.mail.mbox_ops import digest

            stashed = Counter(digest(raw) for raw in _stashed(journal).elements())
            assert _mbox_digests(box) + stashed >= before  # type: ignore[operator]

    else:
        root = _maildir(tmp_path / "Maildir")
        target, extra = str(root), []

        def state() -> object:
            return _maildir_contents(root)

        def nothing_lost() -> None:
            assert _maildir_contents(root) + _stashed(journal) >= before  # type: ignore[operator]

    before = state()
    clean = ["mail", "clean", target, "--sender", NEWS, "--yes", *extra]
    phase = point.split(".")[0]
    if phase != "apply":
        assert menage(*clean).exit_code == 0
    command = {"apply": clean, "undo": ["undo", "--yes"], "purge": ["purge", "--all", "--yes"]}
    try:
        calls = _hook(point, which, 3)
        crash_in(command[phase])  # type: ignore[arg-type]
    finally:
        hooks.hook = None
    assert calls, f"{point} was never reached by a {source} {kind} action"
    settled = False
    if phase != "purge":
        nothing_lost()
    history = menage("history", "--json")
    assert history.exit_code == 0, history.stderr
    settled = True
    if phase != "purge":
        nothing_lost()
    if phase == "apply":
        # the same cleanup carries on where it stopped
        assert menage(*clean).exit_code == 0
    undo_until_done(menage)
    if phase == "purge":
        # purged for good is what the user asked for; the rest came back
        now = state()
        assert now <= before  # type: ignore[operator]
    else:
        assert state() == before, f"{source} at {point} ({which}): the mailbox is back"


def test_every_mail_operation_has_a_scenario() -> None:
    assert {c[0] for c in _cases()} == {"imap", "mbox", "maildir"}
    assert messages.newsletter(NEWS, n=1)
