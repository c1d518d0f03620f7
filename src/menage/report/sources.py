"""The sources of impact figures as people read them: a name and a link.

A factor's ``source`` column is a citation ("ADEME Impact CO2 model,
publicodes-acv-numerique 2.2.0 (MIT; ...)"); its ``reference`` column holds the
addresses. The page names each publisher once, by the citation's head, and links it
to the first web address of the reference when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from menage.impact.factors import factors

_URL = re.compile(r"https?://[^\s;,()]+")
#: where a citation's name ends: its first comma, parenthesis, dash or colon
_NAME_END = re.compile(r",|\(| - |:|;")


@dataclass(frozen=True)
class Source:
    name: str
    #: the research source's address, or "" when the factor gives none
    url: str


def source_name(citation: str) -> str:
    """``ADEME Impact CO2 model`` from ``ADEME Impact CO2 model, npm … (MIT; …)``."""
    head = _NAME_END.split(citation, maxsplit=1)[0].strip(" '\"")
    return head or citation.strip()


def named_sources(keys: Iterable[str]) -> list[Source]:
    """The sources behind factor ``keys``, one per name, in order of first use."""
    table = factors()
    found: dict[str, Source] = {}
    for key in keys:
        if key not in table:
            continue
        factor = table[key]
        name = source_name(factor.source)
        match = _URL.search(factor.reference)
        url = match.group(0).rstrip(".") if match else ""
        if name not in found or (url and not found[name].url):
            found[name] = Source(name, url)
    return list(found.values())
