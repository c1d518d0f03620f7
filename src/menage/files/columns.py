"""What the file analysers read: the tree's columns and the groups of same content.

This is the interface between the file engine (the walk and the hashing, in Python
today, in the native core tomorrow) and the analysers (:mod:`menage.files.analysers`).
Anything with these attributes will do; :class:`menage.files.walk.Tree` and
:class:`menage.files.duplicates.DuplicateGroup` are the Python engine's.

File ``i`` (from 0) is ``paths[i]``, in folder ``dirs[dir_of[i]]``, with ``size[i]``,
``mtime_ns[i]``, ``dev[i]``, ``ino[i]``, ``nlink[i]`` and ``uid[i]``; files and
folders are sorted by path (bytes order), so a folder comes before its content.
Folder ``d`` has its parent ``dir_parent[d]`` (-1 for a root) and ``dir_entries[d]``
entries that are not folders; ``dir_unlisted`` holds the folders whose listing
failed. Hardlinks appear once per path: the paths after the first of an inode are
"extra links" (``FileScan.extra_links``), counted once.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from typing import Protocol


class Columns(Protocol):
    """The file tree, column by column (see the module docstring)."""

    @property
    def roots(self) -> Sequence[bytes]: ...
    @property
    def paths(self) -> Sequence[bytes]: ...
    @property
    def size(self) -> Sequence[int]: ...
    @property
    def mtime_ns(self) -> Sequence[int]: ...
    @property
    def dev(self) -> Sequence[int]: ...
    @property
    def ino(self) -> Sequence[int]: ...
    @property
    def uid(self) -> Sequence[int]: ...
    @property
    def dir_of(self) -> Sequence[int]: ...
    @property
    def dirs(self) -> Sequence[bytes]: ...
    @property
    def dir_parent(self) -> Sequence[int]: ...
    @property
    def dir_entries(self) -> Sequence[int]: ...
    @property
    def dir_unlisted(self) -> Container[int]: ...

    def __len__(self) -> int: ...


class ContentGroup(Protocol):
    """Files with the same bytes: one file number per inode, the others in ``links``."""

    @property
    def size(self) -> int: ...
    @property
    def digest(self) -> bytes: ...
    @property
    def files(self) -> Sequence[int]: ...
    @property
    def links(self) -> Mapping[int, Sequence[int]]: ...
    @property
    def redundant_bytes(self) -> int: ...
