"""The ``menage`` command. Each command group lives in its own module.

The language is chosen before any command module is imported, because help texts
are translated when their module loads.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _option(argv: Sequence[str], name: str) -> str | None:
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == name and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def _requested_language(argv: Sequence[str]) -> str | None:
    """--lang, else MENAGE_LANG (resolved by i18n), else the configuration file's."""
    import os

    from menage import config

    requested = _option(argv, "--lang")
    if requested or os.environ.get("MENAGE_LANG"):
        return requested
    config.use_file(_option(argv, "--config"))
    try:
        return config.load().language
    except config.ConfigInvalid:
        return None  # said properly once the command line is parsed


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line."""
    from menage import i18n

    args = list(sys.argv[1:] if argv is None else argv)
    i18n.setup(_requested_language(args))
    from menage.cli._app import cli

    cli.main(args=args, prog_name="menage")
