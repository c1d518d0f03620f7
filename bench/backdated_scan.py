"""Record a scan of TREE into INDEX as ``menage scan TREE --json --index INDEX`` makes it,
its clock set DAYS back: the files whose age crossed ``--older-than`` since then make the
next rescan of the unchanged tree a rescan after a crossing (see bench/README.md).

    .venv/bin/python bench/backdated_scan.py TREE INDEX [--days 30]

Only the scan's clock for the findings (``time.time`` in ``menage.files.scan``) is set
back; the command and its options are the CLI's own, so the stored scan is the one a
user's earlier ``menage scan`` would have left.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import time
import types
from typing import Any

DAY_S = 86_400


def backdated_scan(tree: str, index: str, days: float) -> None:
    from menage import cli

    # the module (``menage.files.scan`` as an attribute is the function)
    scan: Any = importlib.import_module("menage.files.scan")
    then = time.time() - days * DAY_S
    clock = types.SimpleNamespace(time=lambda: then, monotonic=time.monotonic)
    real = scan.time
    scan.time = clock
    try:
        with open(os.devnull, "w", encoding="ascii") as out, contextlib.redirect_stdout(out):
            cli.main(["scan", tree, "--json", "--index", index])
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    finally:
        scan.time = real


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="bench/backdated_scan.py", description=__doc__)
    ap.add_argument("tree")
    ap.add_argument("index")
    ap.add_argument("--days", type=float, default=30.0, help="how far back (default 30)")
    args = ap.parse_args(argv)
    backdated_scan(args.tree, args.index, args.days)


if __name__ == "__main__":
    main()
