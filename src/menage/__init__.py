"""Ménage: a digital cleanup toolkit.

The library is the product; the ``menage`` command is a thin layer over it.
"""

from menage.errors import MenageError

__version__ = "0.1.0"

__all__ = [
    "MenageError",
    "__version__",
]
