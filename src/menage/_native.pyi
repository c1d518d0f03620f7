"""Types of the native core (rust/src/lib.rs), built by maturin into menage._native."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, overload

BLOCK: int
WHOLE_LIMIT: int
TAIL_MIN: int

class PathBuffer(Sequence[bytes]):
    """Many paths in one buffer: a read-only sequence of bytes."""

    def __init__(self, items: Iterable[bytes]) -> None: ...
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...
    def __iter__(self) -> Iterator[bytes]: ...
    def find(self, path: bytes) -> int | None: ...
    def joined(self, start: int, stop: int) -> bytes: ...
    def nbytes(self) -> int: ...

def walk(
    roots: list[bytes],
    *,
    follow_links: bool,
    cross_devices: bool,
    excludes: list[bytes],
    min_size: int,
    threads: int,
    own_folders: list[tuple[int, int]],
    own_files: list[tuple[int, int]],
    side_files: list[tuple[int, int, bytes]],
    own_name: bytes,
    read_small: bool = False,
    progress: Callable[[int, int], object] | None = None,
) -> dict[str, Any]: ...
def find_duplicates(
    paths: Sequence[bytes],
    size: Any,
    dev: Any,
    ino: Any,
    mtime_ns: Any,
    nlink: Any,
    head: tuple[Any, Any, Any],
    tail: tuple[Any, Any, Any],
    full: tuple[Any, Any, Any],
    *,
    threads: int,
    order: str,
    walk_digests: bytes | None = None,
    progress: Callable[[str, int, int], object] | None = None,
) -> dict[str, Any]: ...
def members_above(size: Any, limit: int) -> bytes: ...
def release_memory() -> None: ...
def xxh3_128_digest(data: bytes) -> bytes: ...
def files_by_dir(dir_of: Any, dirs: int) -> tuple[bytes, bytes]: ...
def exclude_regex(patterns: list[bytes]) -> str | None: ...
def exclude_matches(patterns: list[bytes], name: bytes) -> bool: ...
def probe_page_cache(enabled: bool) -> None: ...
