"""JSON written as it is made: long lists item by item, never whole in memory.

A million-file scan lists a million old files: :func:`write_json` writes the
:class:`Lazy` lists of a document as their items are made, a thousand at a time, and
takes :class:`Raw` items as JSON text already encoded (encoding a dict per file costs
three times as much). The text is ASCII only: valid UTF-8 whatever the file names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring_ascii as _encode_string
from typing import Any


class Raw(str):
    """A value already encoded as JSON text."""


class Lazy:
    """A list made on demand, item by item (each item a JSON value or :class:`Raw`).

    ``joined``, when given and when it does not return None, writes the list faster:
    given the separator between items, it returns the JSON text of the items, chunk by
    chunk (the native core encodes a few thousand items at a time). ``name`` says what
    the list is (a kind of finding's key), for those who keep lists apart.
    """

    def __init__(
        self,
        make: Callable[[], Iterator[Any]],
        joined: Callable[[str], Iterator[str] | None] | None = None,
        name: str | None = None,
    ) -> None:
        self.make = make
        self.joined = joined
        self.name = name

    def __iter__(self) -> Iterator[Any]:
        return self.make()


def string(path: bytes) -> str:
    """A path as a JSON string literal (PEP 383 escapes, ASCII only)."""
    return _encode_string(path.decode("utf-8", "surrogateescape"))


_dumps = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode


def write_json(
    value: Any,
    write: Callable[[str], object],
    depth: int = 0,
    lazy: Callable[[Lazy, int], None] | None = None,
) -> None:
    """Write ``value`` as indented JSON through ``write``; long lists one item a line.

    With ``lazy``, each :class:`Lazy` list is handed to it (with its depth) instead of
    being written: it writes the list's text itself (see :func:`write_json` again).
    """
    if isinstance(value, dict):
        write("{")
        for n, (key, item) in enumerate(value.items()):
            if n:
                write(",")
            write("\n" + "  " * (depth + 1) + _dumps(key) + ": ")
            write_json(item, write, depth + 1, lazy)
        write("\n" + "  " * depth + "}")
    elif isinstance(value, Lazy) and lazy is not None:
        lazy(value, depth)
    elif isinstance(value, Lazy) and _write_joined(value, write, depth):
        pass
    elif isinstance(value, Lazy) or (isinstance(value, list) and len(value) > 20):
        # one item per line: greppable, and written as it is made, a thousand at a time
        separator = ",\n" + "  " * (depth + 1)
        write("[\n" + "  " * (depth + 1) if value else "[")
        chunk: list[str] = []
        first = True
        for item in value:
            chunk.append(item if isinstance(item, Raw) else _dumps(item))
            if len(chunk) == 1000:
                write(("" if first else separator) + separator.join(chunk))
                chunk, first = [], False
        if chunk:
            write(("" if first else separator) + separator.join(chunk))
        write(("\n" + "  " * depth + "]") if not (first and not chunk) else "]")
    else:
        write(_dumps(value))


def write_json_split(
    value: dict[str, Any],
    other: dict[str, Any],
    write: Callable[[str], object],
    first: Callable[[str], object],
    second: Callable[[str], object],
) -> None:
    """Write two documents in one pass: ``value`` through ``first``, and ``value`` with
    the keys of ``other`` replaced by theirs through ``second``.

    What both share is encoded once and given to ``write`` (which writes it to both);
    only the values of ``other``'s keys are written twice, ``value``'s through ``first``
    and ``other``'s through ``second``. Each document is the text :func:`write_json`
    writes for it.
    """
    write("{")
    for n, (key, item) in enumerate(value.items()):
        write(("," if n else "") + "\n  " + _dumps(key) + ": ")
        if key in other:
            write_json(item, first, 1)
            write_json(other[key], second, 1)
        else:
            write_json(item, write, 1)
    write("\n}")


def _write_joined(value: Lazy, write: Callable[[str], object], depth: int) -> bool:
    """Write a list through its ``joined`` encoder; False when it has none."""
    separator = ",\n" + "  " * (depth + 1)
    chunks = value.joined(separator) if value.joined is not None else None
    if chunks is None:
        return False
    started = False
    for text in chunks:
        if text:
            write((separator if started else "[\n" + "  " * (depth + 1)) + text)
            started = True
    write(("\n" + "  " * depth + "]") if started else "[]")
    return True


def materialise(value: Any) -> Any:
    """``value`` with every :class:`Lazy` list made and every :class:`Raw` item parsed."""
    if isinstance(value, dict):
        return {key: materialise(item) for key, item in value.items()}
    if isinstance(value, Lazy | list):
        return [json.loads(item) if isinstance(item, Raw) else materialise(item) for item in value]
    return value
