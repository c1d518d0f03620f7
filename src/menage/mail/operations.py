"""The mail operations of the cleanup journal, registered per (source, kind).

* ("imap", "move"): a message moved to the server's Trash or an archive folder
  (:mod:`menage.mail.imap_ops`);
* ("mbox", "quarantine"): a message taken out of an mbox file, rewritten atomically
  (:mod:`menage.mail.mbox_ops`);
* ("maildir", "quarantine"): a Maildir message is one file: it goes to Ménage's
  quarantine exactly as a file does (identity and content re-checked at the last
  moment, the same undo and purge), recorded under its own source so that history
  and measures count it as mail.

Imported by :mod:`menage.clean`, so that any command reading the journal knows them.
"""

from __future__ import annotations

from functools import partial

from menage.clean.operations import perform as perform_file
from menage.clean.operations import prepare, quarantine_act, settle
from menage.clean.purge import purge_one, settle_purge
from menage.clean.registry import Operation, register
from menage.clean.restore import perform_undo, prepare_undo, settle_undo, undo_quarantine
from menage.clean.verify import check
from menage.mail import imap_ops, mbox_ops  # noqa: F401 - they register their operations

MAILDIR = register(
    Operation(
        source="maildir",
        kind="quarantine",
        check=check,
        prepare=prepare,
        perform=partial(perform_file, act=quarantine_act),
        settle=settle,
        prepare_undo=prepare_undo,
        undo=partial(perform_undo, act=undo_quarantine),
        settle_undo=settle_undo,
        purge=purge_one,
        settle_purge=settle_purge,
        points=("apply.act", "apply.acted", "undo.act", "purge.act"),
    )
)
# nothing is read from imap_ops and mbox_ops here: an import that starts at one of them
# comes back here (through menage.clean) before it ends
MAIL_SOURCES = ("imap", "mbox", "maildir")
