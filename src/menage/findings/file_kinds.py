"""The kinds of findings of the file source, declared once.

Their JSON forms are those of ``menage scan --json`` schema 1, exactly (their
``to_json`` and ``from_json`` say so), and so are their CSV columns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from menage.findings.model import (
    Field,
    FileItem,
    Finding,
    FindingKind,
    FolderItem,
    Item,
    Totals,
    path_from_json,
    path_to_json,
    register_kind,
)
from menage.i18n import N_


def _when(mtime_ns: int) -> str:
    return datetime.fromtimestamp(mtime_ns / 1e9, UTC).isoformat(timespec="seconds")


def _files(items: tuple[Item, ...]) -> Iterator[FileItem]:
    for item in items:
        assert isinstance(item, FileItem)
        yield item


FILE_FIELDS = (
    Field("path", "path", "the file"),
    Field("size", "integer", "bytes"),
    Field("mtime_ns", "integer", "last modification, nanoseconds since 1970"),
    Field("device", "integer", "device number (st_dev)"),
    Field("inode", "integer", "inode number: with device and mtime_ns, this version of the file"),
)


# -- files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicates(Finding):
    """Files with the same content, compared byte for byte through their hash.

    Each item is one inode; its other paths (hardlinks) are in ``links`` and free
    nothing by themselves.
    """

    #: bytes of each copy
    size: int
    #: the content's xxh3-128 digest, in hexadecimal
    hash: str

    @property
    def bytes(self) -> int:
        return self.size * len(self.items)

    @property
    def reclaimable_bytes(self) -> int:
        return self.size * (len(self.items) - 1)

    def to_json(self) -> Any:
        files = list(_files(self.items))
        return {
            "size": self.size,
            "hash": self.hash,
            "redundant_bytes": self.reclaimable_bytes,
            "paths": [path_to_json(f.path) for f in files],
            "files": [
                {
                    "path": path_to_json(f.path),
                    "device": f.device,
                    "inode": f.inode,
                    "mtime_ns": f.mtime_ns,
                    "uid": f.uid,
                    "links": [path_to_json(link) for link in f.links],
                }
                for f in files
            ],
        }

    @classmethod
    def from_json(cls, data: Any, number: int) -> Finding:
        size = int(data["size"])
        items = tuple(FileItem.from_json({"size": size, **f}) for f in data["files"])
        return cls(number, items, size=size, hash=str(data["hash"]))

    @classmethod
    def section_totals(cls, totals: Totals, facts: Mapping[str, Any]) -> dict[str, Any]:
        scanned = int(facts.get("scanned_bytes", 0))
        return {
            "groups": totals.count,
            "redundant_files": totals.items - totals.count,
            "redundant_bytes": totals.reclaimable_bytes,
            "rate": round(totals.reclaimable_bytes / scanned, 6) if scanned else 0.0,
        }

    @classmethod
    def csv_header(cls) -> list[str]:
        return ["group", "size", "hash", "path", "modified", "hardlinks"]

    def csv_rows(self) -> Iterator[list[Any]]:
        for f in _files(self.items):
            yield [self.number, self.size, self.hash, f.path, _when(f.mtime_ns), len(f.links)]


@dataclass(frozen=True)
class DuplicateFolders(Finding):
    """Folders with the same names and contents all the way down (outermost only)."""

    #: files in each copy of the folder
    files: int
    #: bytes of each copy
    size: int
    #: freed by keeping one copy (hardlinks between the copies free nothing)
    redundant_bytes: int

    @property
    def bytes(self) -> int:
        return self.size * len(self.items)

    @property
    def reclaimable_bytes(self) -> int:
        return self.redundant_bytes

    def to_json(self) -> Any:
        return {
            "paths": [
                path_to_json(item.path) for item in self.items if isinstance(item, FolderItem)
            ],
            "files": self.files,
            "size": self.size,
            "redundant_bytes": self.redundant_bytes,
        }

    @classmethod
    def from_json(cls, data: Any, number: int) -> Finding:
        items = tuple(FolderItem(path_from_json(p)) for p in data["paths"])
        return cls(
            number,
            items,
            files=int(data["files"]),
            size=int(data["size"]),
            redundant_bytes=int(data["redundant_bytes"]),
        )

    @classmethod
    def section_totals(cls, totals: Totals, facts: Mapping[str, Any]) -> dict[str, Any]:
        return {"count": totals.count, "redundant_bytes": totals.reclaimable_bytes}

    @classmethod
    def csv_header(cls) -> list[str]:
        return ["group", "files", "size", "redundant_bytes", "path"]

    def csv_rows(self) -> Iterator[list[Any]]:
        for item in self.items:
            assert isinstance(item, FolderItem)
            yield [self.number, self.files, self.size, self.redundant_bytes, item.path]


@dataclass(frozen=True)
class SingleFile(Finding):
    """A finding about one file; its JSON form is the file's."""

    @property
    def file(self) -> FileItem:
        (item,) = _files(self.items)
        return item

    def to_json(self) -> Any:
        return self.file.to_json()

    @classmethod
    def section_totals(cls, totals: Totals, facts: Mapping[str, Any]) -> dict[str, Any]:
        return {"count": totals.count, "bytes": totals.bytes}

    @classmethod
    def from_json(cls, data: Any, number: int) -> Finding:
        return cls(number, (FileItem.from_json(data),))

    @classmethod
    def csv_header(cls) -> list[str]:
        return ["size", "modified", "path"]

    def csv_rows(self) -> Iterator[list[Any]]:
        yield [self.file.size, _when(self.file.mtime_ns), self.file.path]


@dataclass(frozen=True)
class BigFile(SingleFile):
    """One of the biggest files of the scan (``--top``)."""


@dataclass(frozen=True)
class OldFile(SingleFile):
    """A file not modified for the scan's ``--older-than``."""

    @classmethod
    def section_totals(cls, totals: Totals, facts: Mapping[str, Any]) -> dict[str, Any]:
        return {"older_than_s": facts.get("older_than_s"), **super().section_totals(totals, facts)}


@dataclass(frozen=True)
class EmptyFile(SingleFile):
    """A file of zero bytes (never a duplicate)."""

    @classmethod
    def section_totals(cls, totals: Totals, facts: Mapping[str, Any]) -> dict[str, Any]:
        return {"count": totals.count}

    @classmethod
    def csv_header(cls) -> list[str]:
        return ["path"]

    def csv_rows(self) -> Iterator[list[Any]]:
        yield [self.file.path]


@dataclass(frozen=True)
class TempFile(SingleFile):
    """A temporary or cache file: its program recreates it or never needs it again."""

    #: the kind of rule that matched (office-lock, cache, partial-download, ...)
    temp_kind: str
    #: the name or folder pattern that matched
    rule: str

    def to_json(self) -> Any:
        return {**self.file.to_json(), "kind": self.temp_kind, "rule": self.rule}

    @classmethod
    def from_json(cls, data: Any, number: int) -> Finding:
        item = FileItem.from_json(data)
        return cls(number, (item,), temp_kind=str(data["kind"]), rule=str(data["rule"]))

    @classmethod
    def csv_header(cls) -> list[str]:
        return ["kind", "rule", "size", "modified", "path"]

    def csv_rows(self) -> Iterator[list[Any]]:
        f = self.file
        yield [self.temp_kind, self.rule, f.size, _when(f.mtime_ns), f.path]


@dataclass(frozen=True)
class EmptyFolder(Finding):
    """A folder holding nothing, or only empty folders (outermost only, never a root).

    Its JSON form is the folder's path alone (schema 1).
    """

    @property
    def folder(self) -> FolderItem:
        (item,) = self.items
        assert isinstance(item, FolderItem)
        return item

    def to_json(self) -> Any:
        return path_to_json(self.folder.path)

    @classmethod
    def section_totals(cls, totals: Totals, facts: Mapping[str, Any]) -> dict[str, Any]:
        return {"count": totals.count}

    @classmethod
    def from_json(cls, data: Any, number: int) -> Finding:
        return cls(number, (FolderItem(path_from_json(data)),))

    @classmethod
    def csv_header(cls) -> list[str]:
        return ["path"]

    def csv_rows(self) -> Iterator[list[Any]]:
        yield [self.folder.path]


for _kind in (
    FindingKind(
        key="duplicates",
        source="file",
        label=N_("duplicates"),
        title=N_("Duplicates"),
        plan_title=N_("Duplicates: the copies below are removed, each kept copy stays."),
        cls=Duplicates,
        fields=(
            Field("size", "integer", "bytes of each copy"),
            Field("hash", "string", "xxh3-128 of the content, hexadecimal"),
            Field("redundant_bytes", "integer", "freed by keeping one copy"),
            Field("paths", "paths", "the copies, one path per inode"),
            Field("files", "list", "per copy: path, device, inode, mtime_ns, uid, links"),
        ),
        order=10,
        grouped=True,
        keep_one=True,
        reclaimable=True,
    ),
    FindingKind(
        key="duplicate_folders",
        source="file",
        label=N_("duplicate folders"),
        title=N_("Duplicate folders"),
        plan_title=N_("Duplicate folders."),
        cls=DuplicateFolders,
        fields=(
            Field("paths", "paths", "the folders with the same content"),
            Field("files", "integer", "files in each copy"),
            Field("size", "integer", "bytes of each copy"),
            Field("redundant_bytes", "integer", "freed by keeping one copy"),
        ),
        order=15,
        grouped=True,
        keep_one=True,
        # their files are in the duplicates already: a plan cleans those
        plannable=False,
        item="folder",
    ),
    FindingKind(
        key="temp_files",
        source="file",
        label=N_("temporary files"),
        title=N_("Temporary and cache files"),
        plan_title=N_("Temporary and cache files."),
        cls=TempFile,
        fields=(
            *FILE_FIELDS,
            Field("kind", "string", "the kind of rule: office-lock, cache, ..."),
            Field("rule", "string", "the name or folder pattern that matched"),
        ),
        order=20,
        reclaimable=True,
    ),
    FindingKind(
        key="empty_files",
        source="file",
        label=N_("empty files"),
        title=N_("Empty files"),
        plan_title=N_("Empty files."),
        cls=EmptyFile,
        fields=FILE_FIELDS,
        order=30,
    ),
    FindingKind(
        key="empty_dirs",
        source="file",
        label=N_("empty folders"),
        title=N_("Empty folders"),
        plan_title=N_("Empty folders."),
        cls=EmptyFolder,
        fields=(Field("(the item itself)", "path", "the folder: a string, not an object"),),
        order=40,
        item="folder",
    ),
    FindingKind(
        key="old_files",
        source="file",
        label=N_("old files"),
        title=N_("Old files"),
        plan_title=N_("Old files."),
        cls=OldFile,
        fields=FILE_FIELDS,
        order=50,
    ),
    FindingKind(
        key="big_files",
        source="file",
        label=N_("big files"),
        title=N_("Biggest files"),
        plan_title=N_("Big files."),
        cls=BigFile,
        fields=FILE_FIELDS,
        order=60,
    ),
):
    register_kind(_kind)
