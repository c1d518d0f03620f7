"""Typed mail findings, each with ``to_json()`` in the schema of ``menage mail analyse --json``.

They stay here until the shared findings model lands; the fields are what it will need
(what, how much, which messages) so they can move there unchanged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from menage.mail.model import FolderInfo, MailProblem, MessageRef, Unsubscribe

#: the JSON schema's name and version (bumped on any incompatible change)
SCHEMA = "menage.mail.analysis"
SCHEMA_VERSION = 1


def iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


@dataclass
class Tally:
    """Messages and bytes, with how many were read and the newest date."""

    messages: int = 0
    bytes: int = 0
    read: int = 0
    last: float | None = None

    def add(self, size: int, seen: bool, timestamp: float | None) -> None:
        self.messages += 1
        self.bytes += size
        self.read += int(seen)
        if timestamp is not None and (self.last is None or timestamp > self.last):
            self.last = timestamp

    def merge(self, other: Tally) -> None:
        """Add another tally's messages, as if each had been added here."""
        self.messages += other.messages
        self.bytes += other.bytes
        self.read += other.read
        if other.last is not None and (self.last is None or other.last > self.last):
            self.last = other.last

    @property
    def read_ratio(self) -> float:
        return self.read / self.messages if self.messages else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "bytes": self.bytes,
            "read_ratio": round(self.read_ratio, 4),
            "last_date": iso(self.last),
        }


@dataclass
class SenderFinding:
    address: str
    domain: str
    tally: Tally

    def to_json(self) -> dict[str, Any]:
        return {"address": self.address, "domain": self.domain, **self.tally.to_json()}


@dataclass
class DomainFinding:
    domain: str
    tally: Tally
    senders: int

    def to_json(self) -> dict[str, Any]:
        return {"domain": self.domain, "senders": self.senders, **self.tally.to_json()}


@dataclass
class NewsletterFinding:
    """A list or bulk sender: how much it sends, whether it is read, how to leave it."""

    sender: str
    list_id: str | None
    tally: Tally
    last_year: int
    last_year_bytes: int
    unsubscribe: Unsubscribe
    example: MessageRef

    def to_json(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "list_id": self.list_id,
            **self.tally.to_json(),
            "messages_last_year": self.last_year,
            "bytes_last_year": self.last_year_bytes,
            "unsubscribe": self.unsubscribe.to_json(),
            "example": self.example.to_json(),
        }


@dataclass
class AttachmentFinding:
    message: MessageRef
    filename: str
    content_type: str
    bytes: int
    timestamp: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "message": self.message.to_json(),
            "filename": self.filename,
            "content_type": self.content_type,
            "bytes": self.bytes,
            "date": iso(self.timestamp),
        }


@dataclass
class DuplicateGroup:
    kept: MessageRef
    redundant: list[MessageRef]

    def to_json(self) -> dict[str, Any]:
        return {"kept": self.kept.to_json(), "redundant": [r.to_json() for r in self.redundant]}


@dataclass
class DuplicatesFinding:
    groups: list[DuplicateGroup] = field(default_factory=list)

    @property
    def redundant_messages(self) -> int:
        return sum(len(g.redundant) for g in self.groups)

    @property
    def redundant_bytes(self) -> int:
        return sum(r.size for g in self.groups for r in g.redundant)

    def to_json(self) -> dict[str, Any]:
        return {
            "groups": len(self.groups),
            "redundant_messages": self.redundant_messages,
            "redundant_bytes": self.redundant_bytes,
            "items": [g.to_json() for g in self.groups],
        }


@dataclass
class OldMailFinding:
    older_than_days: int
    messages: int = 0
    bytes: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MailAnalysis:
    """Everything ``menage mail analyse`` found."""

    source: str
    total: Tally
    trash: Tally
    junk: Tally
    folders: list[FolderInfo]
    senders: list[SenderFinding]
    domains: list[DomainFinding]
    newsletters: list[NewsletterFinding]
    attachments: list[AttachmentFinding]
    attachment_matrix: dict[str, dict[str, list[int]]]
    old: OldMailFinding
    duplicates: DuplicatesFinding
    by_year: dict[str, list[int]]
    errors: list[MailProblem]
    reclaimable_bytes: int
    fetched: int
    generated: float
    impact: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: the findings were those of the last run, read back (not in the JSON)
    reused: bool = field(default=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "generated": iso(self.generated),
            "total": {
                "messages": self.total.messages,
                "bytes": self.total.bytes,
                "read_ratio": round(self.total.read_ratio, 4),
            },
            "trash": {"messages": self.trash.messages, "bytes": self.trash.bytes},
            "junk": {"messages": self.junk.messages, "bytes": self.junk.bytes},
            "folders": [asdict(f) for f in self.folders],
            "senders": [s.to_json() for s in self.senders],
            "domains": [d.to_json() for d in self.domains],
            "newsletters": [n.to_json() for n in self.newsletters],
            "attachments": [a.to_json() for a in self.attachments],
            "attachment_matrix": self.attachment_matrix,
            "old": self.old.to_json(),
            "duplicates": self.duplicates.to_json(),
            "by_year": {
                year: {"messages": v[0], "bytes": v[1]} for year, v in self.by_year.items()
            },
            "reclaimable_bytes": self.reclaimable_bytes,
            "fetched_messages": self.fetched,
            "impact": self.impact,
            "notes": self.notes,
            "errors": [e.to_json() for e in self.errors],
        }
