"""What a plan records of the photo a near-duplicate cleanup keeps, and its checks.

The kept photo's identity (device, inode, size, modification time) and its content
hash (xxh3-128), read when the plan is made; :mod:`menage.clean.photo_operations`
compares them again right before acting.
"""

from __future__ import annotations

import json
import os
import stat
from typing import Any

import xxhash

from menage.clean.verify import open_verified

_FIELDS = ("device", "inode", "size", "mtime_ns")
_CHUNK = 1 << 20


def content_hash(fd: int) -> str:
    """The xxh3-128 of an open file's content, from its start (hex)."""
    hasher = xxhash.xxh3_128()
    offset = 0
    while True:
        chunk = os.pread(fd, _CHUNK, offset)
        if not chunk:
            return hasher.hexdigest()
        hasher.update(chunk)
        offset += len(chunk)


def keep_fingerprint(
    path: bytes, device: int, inode: int, size: int, mtime_ns: int
) -> dict[str, Any] | None:
    """What a plan records of the photo it keeps: its identity and content hash, read
    now; None when it is no longer the file the scan saw (or cannot be read)."""
    opened = open_verified(path)
    if opened is None:
        return None
    fd, st = opened
    try:
        if not stat.S_ISREG(st.st_mode) or _identity(st) != (device, inode, size, mtime_ns):
            return None
        digest = content_hash(fd)
        if _identity(os.fstat(fd)) != _identity(st):
            return None  # written while being read
    except OSError:
        return None
    finally:
        os.close(fd)
    return {"device": device, "inode": inode, "size": size, "mtime_ns": mtime_ns, "xxh3": digest}


def is_keep_fingerprint(value: Any) -> bool:
    """Whether a plan line's ``keep_fingerprint`` has the form :func:`keep_fingerprint` gives."""
    if not isinstance(value, dict) or set(value) != {*_FIELDS, "xxh3"}:
        return False
    numbers = [value[name] for name in _FIELDS]
    digest = value["xxh3"]
    return (
        all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers)
        and isinstance(digest, str)
        and len(digest) == 32
        and all(c in "0123456789abcdef" for c in digest)
    )


def photos_fingerprint(
    dev: int | None,
    ino: int | None,
    size: int,
    mtime_ns: int | None,
    keep: dict[str, Any] | None,
    confirmed: bool,
) -> str:
    """A near-duplicate's journal fingerprint: the photo as planned, the kept photo's
    fingerprint, and whether the person confirmed the removal."""
    data = {
        "dev": dev,
        "ino": ino,
        "size": size,
        "mtime_ns": mtime_ns,
        "keep": keep,
        "confirmed": confirmed,
    }
    return json.dumps(data, separators=(",", ":"))


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns
