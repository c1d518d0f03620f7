"""The ``menage`` command. Each command group lives in its own module.

The language is chosen before any command module is imported, because help texts
are translated when their module loads.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _requested_language(argv: Sequence[str]) -> str | None:
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line."""
    from menage import i18n

    args = list(sys.argv[1:] if argv is None else argv)
    i18n.setup(_requested_language(args))
    from menage.cli._app import cli

    cli.main(args=args, prog_name="menage")
