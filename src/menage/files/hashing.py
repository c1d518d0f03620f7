"""Read as little of a file as needed, and hash it.

Every read opens the file with ``O_NOFOLLOW | O_NONBLOCK`` (a file swapped for a
symbolic link or a FIFO after the walk can neither redirect nor block us) and
``O_NOATIME`` where allowed, so that a scan does not make every file look recently
used. A file whose size is not what the walk saw is reported as changed. Hashes
are xxh3-128: fast, and Ménage compares bytes again before acting on anything.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass

import xxhash

from menage._fs import O_BINARY, O_CLOEXEC, O_NOFOLLOW, O_NONBLOCK
from menage.errors import os_error_text

#: size of the head and tail blocks
BLOCK = 4096
#: files up to this size are read and hashed whole in one go: cheaper than a second open
WHOLE_LIMIT = 16 * 1024
#: files from this size get a tail block compared before their full content
TAIL_MIN = 1024 * 1024
_CHUNK = 1024 * 1024

_BASE_FLAGS = os.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_BINARY
_FLAGS = _BASE_FLAGS | getattr(os, "O_NOATIME", 0)

_digest = xxhash.xxh3_128_digest


@dataclass(frozen=True, slots=True)
class Job:
    """One file to read: where it is and what the walk saw."""

    path: bytes
    size: int
    mtime_ns: int


class Changed(Exception):
    """The file is not what the walk saw: it changed, vanished or became something else."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail

    def __reduce__(self) -> tuple[type[Changed], tuple[str, str]]:
        # comes back from reader processes
        return (Changed, (self.kind, self.detail))


def _open_failed(path: bytes, exc: OSError) -> int | Changed:
    """Retry what can be retried after a failed open, or say why it failed."""
    if isinstance(exc, PermissionError):
        # O_NOATIME is only allowed on our own files; plain read access may still work
        try:
            return os.open(path, _BASE_FLAGS)
        except OSError as again:
            exc = again
    if exc.errno in (errno.ENOENT, errno.ESTALE):
        return Changed("vanished", os_error_text(exc))
    if exc.errno == errno.ELOOP:
        return Changed("changed", "replaced by a symbolic link")
    return Changed("unreadable", os_error_text(exc))


def _open(path: bytes) -> int:
    try:
        return os.open(path, _FLAGS)
    except OSError as exc:
        outcome = _open_failed(path, exc)
    if isinstance(outcome, Changed):
        raise outcome
    return outcome


def _check_unchanged(fd: int, job: Job) -> None:
    try:
        st = os.fstat(fd)
    except OSError as exc:
        raise Changed("unreadable", os_error_text(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise Changed("changed", "no longer a regular file")
    if st.st_size != job.size or st.st_mtime_ns != job.mtime_ns:
        raise Changed("changed", "size or modification time changed since the walk")


def _read_failed(exc: OSError) -> Changed:
    if exc.errno == errno.EISDIR:
        return Changed("changed", "no longer a regular file")
    return Changed("unreadable", os_error_text(exc))


def hash_full(job: Job) -> bytes:
    """Hash the whole content, checking it did not change while it was read."""
    fd = _open(job.path)
    try:
        _check_unchanged(fd, job)
        hasher = xxhash.xxh3_128()
        buffer = bytearray(min(_CHUNK, max(job.size, 1)))
        view = memoryview(buffer)
        total = 0
        with open(fd, "rb", buffering=0, closefd=False) as handle:
            while True:
                try:
                    count = handle.readinto(view)
                except OSError as exc:
                    raise _read_failed(exc) from None
                if not count:
                    break
                hasher.update(view[:count])
                total += count
                if total > job.size:
                    raise Changed("changed", "grew during the scan")
        if total != job.size:
            raise Changed("changed", "shorter than when the walk saw it")
        _check_unchanged(fd, job)
        return hasher.digest()
    finally:
        os.close(fd)


def _hash_small(paths: Sequence[bytes], sizes: Sequence[int], limit: int | None) -> list[Outcome]:
    """Hash the first ``limit`` bytes of each file (all of it when ``limit`` is None).

    This loop runs for most files of a tree, so it makes three system calls per file
    and no more: each call releases the GIL, and on two cores every extra release is
    paid twice. Whether the file changed after the walk is checked later, on the
    files that end up in a duplicate group (see ``duplicates._recheck``).
    """
    results: list[Outcome] = []
    append = results.append
    digest = _digest
    open_, read, close, flags = os.open, os.read, os.close, _FLAGS
    for path, size in zip(paths, sizes, strict=True):
        try:
            fd = open_(path, flags)
        except OSError as exc:
            opened = _open_failed(path, exc)
            if isinstance(opened, Changed):
                append(opened)
                continue
            fd = opened
        want = size + 1 if limit is None else (limit if limit < size else size)
        try:
            data = read(fd, want)
        except OSError as exc:
            append(_read_failed(exc))
            continue
        finally:
            close(fd)
        if len(data) == (size if limit is None else want):
            append(digest(data))
        else:
            append(Changed("changed", "size changed since the walk"))
    return results


def _hash_tails(paths: Sequence[bytes], sizes: Sequence[int]) -> list[Outcome]:
    results: list[Outcome] = []
    for path, size in zip(paths, sizes, strict=True):
        try:
            fd = _open(path)
        except Changed as exc:
            results.append(exc)
            continue
        try:
            count = min(BLOCK, size)
            data = os.pread(fd, count, size - count)
        except OSError as exc:
            results.append(_read_failed(exc))
            continue
        finally:
            os.close(fd)
        results.append(_digest(data) if len(data) == count else Changed("changed", "shorter"))
    return results


Outcome = bytes | Changed


def hash_batch(
    kind: str, paths: Sequence[bytes], sizes: Sequence[int], mtimes: Sequence[int]
) -> list[Outcome]:
    """Hash a batch of files of one kind; failures come back as :class:`Changed`.

    Kinds: ``whole`` (small files, in one read), ``head`` and ``tail`` (one block),
    ``full`` (streamed, with the file checked unchanged before and after).
    """
    if kind == "whole":
        return _hash_small(paths, sizes, None)
    if kind == "head":
        return _hash_small(paths, sizes, BLOCK)
    if kind == "tail":
        return _hash_tails(paths, sizes)
    results: list[Outcome] = []
    for path, size, mtime_ns in zip(paths, sizes, mtimes, strict=True):
        try:
            results.append(hash_full(Job(path, size, mtime_ns)))
        except Changed as exc:
            results.append(exc)
    return results
