"""The JSON form of findings: one section per kind, and reading it back.

A kind's section sits at the top level of a command's JSON document, under the
kind's key (``"duplicates"``, ``"temp_files"``)::

    "temp_files": {"count": 3, "bytes": 169, "reclaimable_bytes": 169,
                   "items": [{"path": "...", "size": 4, ..., "kind": "office-lock"}, ...]}

The section starts with the kind's own totals (``Finding.section_totals``), then
``count``, ``bytes`` and ``reclaimable_bytes`` when the kind did not give them, then
``items``: one JSON value per finding (``Finding.to_json``), in order; the N-th is
the finding ``KIND/N``. The document carries ``"schema"`` (:data:`SCHEMA`): a reader
ignores keys it does not know; the number grows only when a key is removed or changes
meaning. :func:`read_findings` turns the sections of a document back into typed
findings, whatever command or release wrote it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from menage._jsonstream import Lazy
from menage.findings.lists import FindingList, Findings, StoredFindings
from menage.findings.model import Finding, all_kinds, path_from_json

#: the schema of a JSON document holding findings (``menage scan --json`` is one)
SCHEMA = 1


def section(found: FindingList, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON section of one kind's findings; the items are written as they are made.

    Args:
        found: the findings.
        facts: what the kind's totals may need from the scan (``scanned_bytes``,
            ``older_than_s``).
    """
    totals = found.totals()
    data = found.kind.cls.section_totals(totals, facts)
    data.setdefault("count", totals.count)
    data.setdefault("bytes", totals.bytes)
    data.setdefault("reclaimable_bytes", totals.reclaimable_bytes)
    data["items"] = Lazy(found.json_items, found.json_joined, found.kind.key)
    return data


def sections(findings: Findings, facts: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every kind's section, by key, in the kinds' order."""
    return {found.kind.key: section(found, facts) for found in findings}


def read_findings(document: Mapping[str, Any]) -> Findings:
    """The findings of a JSON document (a scan's, from ``--json`` or from the index).

    Sections of kinds this release does not know are left out; settings the findings
    depend on (``older_than_s``) come from the document's ``options``.

    Raises:
        KeyError, ValueError, TypeError: a section is not in the JSON form.
    """
    lists: list[FindingList] = []
    for kind in all_kinds():
        data = document.get(kind.key)
        if isinstance(data, dict) and isinstance(data.get("items"), list):
            lists.append(StoredFindings(kind.key, list(_read(kind.cls, data["items"]))))
    options = document.get("options")
    return Findings(lists, options if isinstance(options, dict) else {})


def _read(cls: type[Finding], items: list[Any]) -> Iterator[Finding]:
    for number, item in enumerate(items, start=1):
        yield cls.from_json(item, number)


@dataclass(frozen=True)
class ScanFindings:
    """The findings of one scan, with the scan's number and what it looked at."""

    scan_id: int | None
    #: the scanned folders (the paths of the file source)
    roots: list[bytes]
    findings: Findings


def read_scan(document: Mapping[str, Any]) -> ScanFindings:
    """The findings of a scan's JSON document, with its number and roots.

    Raises:
        KeyError, ValueError, TypeError: the document is not in the JSON form.
    """
    scan_id = document.get("scan_id")
    return ScanFindings(
        scan_id=scan_id if isinstance(scan_id, int) else None,
        roots=[path_from_json(root) for root in document["roots"]],
        findings=read_findings(document),
    )
