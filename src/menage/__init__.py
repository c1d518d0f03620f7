"""Ménage: a digital cleanup toolkit.

The library is the product; the ``menage`` command is a thin layer over it. Start
with :class:`Workspace` (README, "Python API")::

    from menage import PlanOptions, ScanOptions, Workspace

The names below are imported when first used, so that ``import menage`` (and every
``menage`` command) stays fast.
"""

from __future__ import annotations

import importlib
import typing

from menage._version import __version__
from menage.errors import MenageError

if typing.TYPE_CHECKING:
    from menage.clean.plan import PlanOptions
    from menage.files.result import ScanOptions
    from menage.workspace import Workspace

__all__ = [
    "MenageError",
    "PlanOptions",
    "ScanOptions",
    "Workspace",
    "__version__",
]

_LAZY = {
    "PlanOptions": "menage.clean.plan",
    "ScanOptions": "menage.files.result",
    "Workspace": "menage.workspace",
}


def __getattr__(name: str) -> typing.Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'menage' has no attribute {name!r}")
