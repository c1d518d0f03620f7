"""The kinds of findings of the mail source (to come), declared with their fields.

Their items are messages (:class:`~menage.findings.model.MessageItem`); they use the
generic JSON form of :class:`~menage.findings.model.Finding`. Plans cannot act on
them until the cleanup has operations for messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from menage.findings.model import Field, Finding, FindingKind, register_kind
from menage.i18n import N_


@dataclass(frozen=True)
class Newsletter(Finding):
    """The messages of one mailing list, with its unsubscribe link."""

    sender: str
    list_id: str
    #: the List-Unsubscribe address (https: or mailto:), empty when there is none
    unsubscribe: str


@dataclass(frozen=True)
class Sender(Finding):
    """Many messages from one sender (bulk mail)."""

    sender: str


@dataclass(frozen=True)
class BigAttachment(Finding):
    """A message carrying a big attachment."""

    filename: str
    #: bytes of the attachment (the message's size is its item's)
    attachment_size: int


@dataclass(frozen=True)
class MailDuplicates(Finding):
    """Copies of one message (same Message-ID and size) in one or several folders."""

    message_id: str


for _kind in (
    FindingKind(
        key="newsletters",
        source="mail",
        label=N_("newsletters"),
        title=N_("Newsletters"),
        plan_title=N_("Newsletters."),
        cls=Newsletter,
        fields=(
            Field("sender", "string", "the From address"),
            Field("list_id", "string", "the List-Id header"),
            Field("unsubscribe", "string", "the List-Unsubscribe address"),
            Field("items", "list", "the messages"),
        ),
        order=210,
        grouped=True,
        plannable=False,
        item="message",
    ),
    FindingKind(
        key="senders",
        source="mail",
        label=N_("bulk senders"),
        title=N_("Bulk senders"),
        plan_title=N_("Bulk senders."),
        cls=Sender,
        fields=(Field("sender", "string", "the From address"), Field("items", "list", "")),
        order=220,
        grouped=True,
        plannable=False,
        item="message",
    ),
    FindingKind(
        key="big_attachments",
        source="mail",
        label=N_("big attachments"),
        title=N_("Big attachments"),
        plan_title=N_("Messages with big attachments."),
        cls=BigAttachment,
        fields=(
            Field("filename", "string", "the attachment's name"),
            Field("attachment_size", "integer", "bytes of the attachment"),
            Field("mailbox", "string", "the folder"),
            Field("uid", "integer", "the message's UID there"),
            Field("message_id", "string", "its Message-ID"),
            Field("size", "integer", "bytes of the message"),
        ),
        order=230,
        plannable=False,
        item="message",
    ),
    FindingKind(
        key="mail_duplicates",
        source="mail",
        label=N_("duplicate messages"),
        title=N_("Duplicate messages"),
        plan_title=N_("Duplicate messages: the copies below are removed, one stays."),
        cls=MailDuplicates,
        fields=(Field("message_id", "string", "the Message-ID"), Field("items", "list", "")),
        order=240,
        grouped=True,
        keep_one=True,
        reclaimable=True,
        plannable=False,
        item="message",
    ),
):
    register_kind(_kind)
