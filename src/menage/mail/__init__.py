"""Mailbox diet: read a mailbox's metadata (IMAP, mbox, Maildir, .eml files) and find
what weighs and what keeps arriving, without ever downloading a message body.

The front door is :func:`analyse_source`; its result is a :class:`MailAnalysis`, whose
message references (:class:`MessageRef`) are enough to find a message again later.
"""

from menage.mail.analyse import analyse_source
from menage.mail.errors import MailError
from menage.mail.findings import MailAnalysis
from menage.mail.imap import ImapOptions
from menage.mail.model import MessageMeta, MessageRef

__all__ = [
    "ImapOptions",
    "MailAnalysis",
    "MailError",
    "MessageMeta",
    "MessageRef",
    "analyse_source",
]
