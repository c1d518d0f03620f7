"""The analyser registry: what turns what a source yielded into findings.

An analyser declares the source it reads (``file``: the tree of a files scan, see
:mod:`menage.files.analysers`) and the kinds it finds, and registers itself::

    @register_analyser("blur", source="file", kinds=("blurry_photos",))
    def find_blur(scanned: FileScan) -> list[FindingList]:
        ...

The scan of that source runs every analyser registered for it, in the order they
were registered, and gathers their lists (:func:`run_analysers`); the reports, the
JSON form and the plans then show and act on the new kinds without knowing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from menage.findings.lists import FindingList, Findings
from menage.findings.model import kind_of

AnalyserFunction = Callable[[Any], Iterable[FindingList]]


@dataclass(frozen=True)
class Analyser:
    """One registered analyser."""

    name: str
    #: the source whose output it reads
    source: str
    #: the kinds it finds (each declared with ``register_kind``)
    kinds: tuple[str, ...]
    run: AnalyserFunction


_ANALYSERS: dict[str, Analyser] = {}


def register_analyser(
    name: str, source: str, kinds: Iterable[str]
) -> Callable[[AnalyserFunction], AnalyserFunction]:
    """Register the decorated function as the analyser ``name``.

    Raises:
        UnknownKind: one of ``kinds`` is not declared.
        ValueError: another analyser has this name, or already finds one of ``kinds``.
    """
    declared = tuple(kinds)
    for key in declared:
        kind_of(key)

    def register(function: AnalyserFunction) -> AnalyserFunction:
        known = _ANALYSERS.get(name)
        if known is not None and known.run is not function:
            raise ValueError(f"analyser {name!r} is registered twice")
        for other in _ANALYSERS.values():
            if other.name != name and set(other.kinds) & set(declared):
                raise ValueError(f"analysers {other.name!r} and {name!r} find the same kind")
        _ANALYSERS[name] = Analyser(name, source, declared, function)
        return function

    return register


def unregister_analyser(name: str) -> None:
    """Forget an analyser (tests register analysers of their own)."""
    _ANALYSERS.pop(name, None)


def analysers(source: str | None = None) -> list[Analyser]:
    """The registered analysers (of one source), in registration order."""
    return [a for a in _ANALYSERS.values() if source is None or a.source == source]


def run_analysers(source: str, scanned: Any, settings: Mapping[str, Any] | None = None) -> Findings:
    """Run every analyser of ``source`` over what it yielded.

    Args:
        source: the source's name (``file``).
        scanned: what the source yielded, as its analysers expect it.
        settings: the scan's settings the findings depend on (kept with them).

    Raises:
        ValueError: an analyser returned a kind it did not declare.
    """
    lists: list[FindingList] = []
    for analyser in analysers(source):
        for found in analyser.run(scanned):
            if found.kind.key not in analyser.kinds:
                raise ValueError(f"analyser {analyser.name!r} found undeclared {found.kind.key!r}")
            lists.append(found)
    return Findings(lists, settings)
