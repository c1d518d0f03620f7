"""The findings model: items, findings, and the declaration of each kind of finding.

An **item** is one thing a source yielded, naming its source: a file (or folder) on
a local disk today, a mail message later. A **finding** is what an analyser says
about one item (a big file) or a group of items (duplicates): typed, numbered within
its kind, with the bytes a cleanup would free. A **kind** is declared once
(:class:`FindingKind`, :func:`register_kind`): its key, source, labels, fields and
how plans treat it. Reports, plans, the CSV files and the JSON form read the
declarations; none names a kind's label or key on its own.

A finding's id is ``KIND/N`` (``duplicates/3``: the third group of duplicates of a
scan) and one of its items is ``KIND/N/M`` (the M-th file of that group), numbers
from 1, in the order of the scan's JSON form.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from menage.errors import MenageError
from menage.i18n import N_

#: where items come from (an item names its source)
SOURCES = ("file", "photo", "mail")


def path_to_json(path: bytes) -> str:
    """A path as JSON text: bytes that are not UTF-8 as U+DC80..U+DCFF (PEP 383)."""
    return path.decode("utf-8", "surrogateescape")


def path_from_json(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


# -- items -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileItem:
    """A file as the scan saw it: its path and what identifies this version of it."""

    source: ClassVar[str] = "file"
    #: the keys of its JSON form
    FIELDS: ClassVar[tuple[str, ...]] = ("path", "size", "mtime_ns", "device", "inode")
    path: bytes
    size: int
    mtime_ns: int
    device: int
    inode: int
    uid: int | None = None
    #: other paths of the same inode (hardlinks): the same file, freed with it
    links: tuple[bytes, ...] = ()

    @property
    def key(self) -> object:
        """What identifies the item within its source."""
        return self.path

    def to_json(self) -> dict[str, Any]:
        return {
            "path": path_to_json(self.path),
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "device": self.device,
            "inode": self.inode,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileItem:
        uid = data.get("uid")
        return cls(
            path=path_from_json(data["path"]),
            size=int(data.get("size", 0)),
            mtime_ns=int(data["mtime_ns"]),
            device=int(data["device"]),
            inode=int(data["inode"]),
            uid=int(uid) if uid is not None else None,
            links=tuple(path_from_json(p) for p in data.get("links", ())),
        )


@dataclass(frozen=True, slots=True)
class FolderItem:
    """A folder on a local disk."""

    source: ClassVar[str] = "file"
    FIELDS: ClassVar[tuple[str, ...]] = ("path",)
    path: bytes
    size: int = 0

    @property
    def key(self) -> object:
        return self.path

    def to_json(self) -> dict[str, Any]:
        return {"path": path_to_json(self.path)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FolderItem:
        return cls(path_from_json(data["path"]))


@dataclass(frozen=True, slots=True)
class MessageItem:
    """A mail message: its folder, its UID there, its Message-ID and size."""

    source: ClassVar[str] = "mail"
    FIELDS: ClassVar[tuple[str, ...]] = ("mailbox", "uid", "message_id", "size")
    mailbox: str
    uid: int
    message_id: str
    size: int

    @property
    def key(self) -> object:
        return (self.mailbox, self.uid)

    def to_json(self) -> dict[str, Any]:
        return {
            "mailbox": self.mailbox,
            "uid": self.uid,
            "message_id": self.message_id,
            "size": self.size,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessageItem:
        return cls(
            str(data["mailbox"]), int(data["uid"]), str(data["message_id"]), int(data["size"])
        )


#: every kind of item; a new source adds its own here
Item = FileItem | FolderItem | MessageItem
ITEM_TYPES: dict[str, type[FileItem] | type[FolderItem] | type[MessageItem]] = {
    "file": FileItem,
    "folder": FolderItem,
    "message": MessageItem,
}


# -- kinds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One field of a finding's JSON form (listed in docs/architecture.md)."""

    name: str
    #: JSON type: integer, number, string, boolean, path, paths, list
    type: str
    doc: str


@dataclass(frozen=True)
class FindingKind:
    """What one kind of finding is: how it is named, shown, stored and cleaned."""

    #: its name in the JSON form, plan files, the journal and the CSV file name:
    #: never changes once released
    key: str
    #: what its items are read from: ``file``, ``photo`` or ``mail``
    source: str
    #: lower-case noun phrase, for sentences ("duplicates: 3 actions")
    label: str
    #: heading in reports and summaries
    title: str
    #: the comment heading its actions in a plan file
    plan_title: str
    #: the typed finding: a subclass of :class:`Finding`
    cls: type[Finding]
    #: the fields of the finding's JSON form, in order
    fields: tuple[Field, ...]
    #: place in reports and plans; a plan takes kinds in this order, and an item
    #: taken by an earlier kind is left to it
    order: int
    #: its findings are groups of items (duplicates, a sender's messages)
    grouped: bool = False
    #: one item of each group stays (duplicates, bursts; not a sender's messages)
    keep_one: bool = False
    #: counted in the "reclaimable" total (each item once, earlier kinds first)
    reclaimable: bool = False
    #: plans can act on it (the cleanup knows how to act on its items)
    plannable: bool = True
    #: what its items are: a key of :data:`ITEM_TYPES`
    item: str = "file"


class UnknownKind(MenageError):
    template = N_("{key!r} is not a kind of finding")


_KINDS: dict[str, FindingKind] = {}


def register_kind(kind: FindingKind) -> FindingKind:
    """Declare a kind of finding.

    Raises:
        ValueError: the key is declared otherwise already, or the source or item
            type is unknown.
    """
    known = _KINDS.get(kind.key)
    if known is not None and known != kind:
        raise ValueError(f"finding kind {kind.key!r} is declared twice")
    if kind.source not in SOURCES or kind.item not in ITEM_TYPES:
        raise ValueError(f"finding kind {kind.key!r}: unknown source or item type")
    _KINDS[kind.key] = kind
    kind.cls.KIND = kind.key
    return kind


def unregister_kind(key: str) -> None:
    """Forget a kind (tests declare kinds of their own)."""
    _KINDS.pop(key, None)


def kind_of(key: str) -> FindingKind:
    """The declaration of kind ``key``.

    Raises:
        UnknownKind: no kind has this key.
    """
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownKind(key=key) from None


def all_kinds(source: str | None = None) -> Iterator[FindingKind]:
    """Every declared kind (or those of one source), in their order."""
    for kind in sorted(_KINDS.values(), key=lambda k: (k.order, k.key)):
        if source is None or kind.source == source:
            yield kind


# -- findings --------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """The totals of the findings of one kind."""

    #: findings
    count: int
    #: items in them
    items: int
    #: size of the items
    bytes: int
    #: what a cleanup of them frees
    reclaimable_bytes: int


@dataclass(frozen=True)
class Finding:
    """One finding: one item, or a group of items, and what a cleanup would free.

    Subclasses are the typed kinds (``menage.findings.file_kinds`` and others): their
    own dataclass fields are the kind's fields. The JSON form is :meth:`to_json`, read
    back by :meth:`from_json`; the generic form puts the finding's fields first,
    then the item's (one item) or ``"items"`` (a group).
    """

    KIND: ClassVar[str] = ""
    #: position among the findings of its kind in the scan, from 1
    number: int
    items: tuple[Item, ...]

    @property
    def kind(self) -> FindingKind:
        return kind_of(self.KIND)

    @property
    def id(self) -> str:
        return f"{self.KIND}/{self.number}"

    @property
    def bytes(self) -> int:
        """The size of its items together."""
        return sum(item.size for item in self.items)

    @property
    def reclaimable_bytes(self) -> int:
        """What a cleanup frees: every item, or all but one of a group that keeps one."""
        if self.kind.keep_one and self.items:
            return self.bytes - max(item.size for item in self.items)
        return self.bytes

    def own_fields(self) -> dict[str, Any]:
        """The finding's own fields (those of its kind's dataclass), by name."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name not in ("number", "items")
        }

    def to_json(self) -> Any:
        """The finding's JSON form (see the class docstring)."""
        data = dict(self.own_fields())
        if self.kind.grouped:
            data["items"] = [item.to_json() for item in self.items]
        elif self.items:
            data.update(self.items[0].to_json())
        return data

    @classmethod
    def from_json(cls, data: Any, number: int) -> Finding:
        """Read back what :meth:`to_json` wrote."""
        kind = kind_of(cls.KIND)
        item_type = ITEM_TYPES[kind.item]
        names = [f.name for f in dataclasses.fields(cls) if f.name not in ("number", "items")]
        if kind.grouped:
            items: tuple[Item, ...] = tuple(item_type.from_json(i) for i in data["items"])
        else:
            items = (item_type.from_json(data),)
        return cls(number, items, **{name: data[name] for name in names})

    @classmethod
    def section_totals(cls, totals: Totals, facts: Mapping[str, Any]) -> dict[str, Any]:
        """The kind's own totals, written first in its JSON section.

        Args:
            totals: those of the kind's findings.
            facts: what the scan knows beside them (``scanned_bytes``, ``older_than_s``).
        """
        return {}

    @classmethod
    def csv_header(cls) -> list[str]:
        """The columns of the kind's CSV file, which has one row per item."""
        own = [f.name for f in dataclasses.fields(cls) if f.name not in ("number", "items")]
        return ["finding", *own, *ITEM_TYPES[kind_of(cls.KIND).item].FIELDS]

    def csv_rows(self) -> Iterator[list[Any]]:
        """The rows of the CSV file: paths as bytes (the writer escapes them)."""
        own = list(self.own_fields().values())
        for item in self.items:
            values = [getattr(item, name) for name in item.FIELDS]
            yield [self.number, *own, *values]
