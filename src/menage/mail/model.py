"""What Ménage knows about one message: a reference to find it again, and its metadata.

A :class:`MessageRef` is enough for a later mail operation (move to Trash, undo) to find
the message again: over IMAP by (folder, UIDVALIDITY, UID), and when the UID changed
(the message moved folder) by Message-ID and size, or for a message without Message-ID
by folder, size, date and a hash of its headers. Locally, ``key`` is the Maildir key,
the mbox position or the .eml file name.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

_T = TypeVar("_T")


def frozen(cls: type[_T], fields: dict[str, Any]) -> _T:
    """An instance of the frozen dataclass ``cls`` from all its fields by name, without
    its ``__init__`` (which sets each field through ``object.__setattr__``: a third of
    the cost of making a message). ``fields`` must name every field, in order."""
    made = object.__new__(cls)
    object.__setattr__(made, "__dict__", fields)
    return made


@dataclass(frozen=True)
class MessageRef:
    """Where a message is and how to recognise it."""

    folder: str
    uidvalidity: int | None
    uid: int | None
    key: str | None
    message_id: str | None
    size: int
    date: str | None
    header_hash: str

    def to_json(self) -> dict[str, Any]:
        # written out rather than dataclasses.asdict: the cache stores thousands a second
        return {
            "folder": self.folder,
            "uidvalidity": self.uidvalidity,
            "uid": self.uid,
            "key": self.key,
            "message_id": self.message_id,
            "size": self.size,
            "date": self.date,
            "header_hash": self.header_hash,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessageRef:
        return cls(**data)


@dataclass(frozen=True)
class Attachment:
    """A part a person would call an attachment: its name, type and encoded size."""

    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Unsubscribe:
    """How to leave a list, from ``List-Unsubscribe`` (RFC 2369) and RFC 8058."""

    one_click: bool = False
    http: str | None = None
    mailto: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"one_click": self.one_click, "http": self.http, "mailto": self.mailto}


@dataclass(frozen=True)
class MessageMeta:
    """A message's metadata: never its body."""

    ref: MessageRef
    sender: str
    sender_name: str
    subject: str
    timestamp: float | None
    seen: bool
    list_id: str | None = None
    unsubscribe: Unsubscribe | None = None
    bulk: bool = False
    auto_submitted: bool = False
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    defects: tuple[str, ...] = field(default_factory=tuple)

    @property
    def domain(self) -> str:
        return self.sender.rpartition("@")[2] if "@" in self.sender else ""

    @property
    def size(self) -> int:
        return self.ref.size

    def to_json(self) -> dict[str, Any]:
        unsub = self.unsubscribe
        return {
            "ref": self.ref.to_json(),
            "sender": self.sender,
            "sender_name": self.sender_name,
            "subject": self.subject,
            "timestamp": self.timestamp,
            "seen": self.seen,
            "list_id": self.list_id,
            "unsubscribe": unsub.to_json() if unsub is not None else None,
            "bulk": self.bulk,
            "auto_submitted": self.auto_submitted,
            "attachments": [
                {"filename": a.filename, "content_type": a.content_type, "size": a.size}
                for a in self.attachments
            ],
            "defects": list(self.defects),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessageMeta:
        unsub = data.get("unsubscribe")
        return cls(
            ref=MessageRef.from_json(data["ref"]),
            sender=data["sender"],
            sender_name=data["sender_name"],
            subject=data["subject"],
            timestamp=data["timestamp"],
            seen=data["seen"],
            list_id=data.get("list_id"),
            unsubscribe=Unsubscribe(**unsub) if unsub else None,
            bulk=data.get("bulk", False),
            auto_submitted=data.get("auto_submitted", False),
            attachments=tuple(Attachment(**a) for a in data.get("attachments", ())),
            defects=tuple(data.get("defects", ())),
        )


@dataclass(frozen=True)
class FolderInfo:
    """A folder: its name, its role (``inbox``, ``all``, ``trash``, ``junk``, ``sent``,
    ``drafts`` or None) and its size."""

    name: str
    role: str | None
    messages: int
    bytes: int
    analysed: bool = True


@dataclass(frozen=True)
class MailProblem:
    """Something that could not be read whole: the analysis goes on and lists it."""

    folder: str
    item: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
