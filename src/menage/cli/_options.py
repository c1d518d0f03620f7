"""Options several commands share, each declared once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from menage.i18n import _

F = TypeVar("F", bound=Callable[..., Any])


def index_option(help: str | None = None) -> Callable[[F], F]:
    """``--index FILE`` → ``index_path``: the index to use instead of the default one."""
    return click.option(
        "--index",
        "index_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help=help or _("Index file (default: index.sqlite in the Ménage data folder)."),
    )


def exclude_option() -> Callable[[F], F]:
    """``--exclude GLOB`` (repeatable) → ``exclude``: what a scan skips."""
    return click.option(
        "--exclude",
        multiple=True,
        metavar="GLOB",
        help=_("Skip names (or paths relative to the root, with a /) matching GLOB. Repeatable."),
    )


def snapshots_option() -> Callable[[F], F]:
    """``--snapshots`` → ``snapshots``: walk snapshot and recycle folders too."""
    return click.option(
        "--snapshots",
        is_flag=True,
        help=_(
            "Also scan snapshot and recycle folders (.snapshot, .zfs, $RECYCLE.BIN, "
            "System Volume Information, .Trash-*), left out by default."
        ),
    )


def json_option(help: str | None = None) -> Callable[[F], F]:
    """``--json`` → ``as_json``: machine output."""
    return click.option("--json", "as_json", is_flag=True, help=help or _("Print as JSON."))


def yes_option() -> Callable[[F], F]:
    """``--yes``/``-y``: go ahead without asking."""
    return click.option("--yes", "-y", is_flag=True, help=_("Do not ask for confirmation."))


def dry_run_option(help: str) -> Callable[[F], F]:
    """``--dry-run``: show what would happen, change nothing."""
    return click.option("--dry-run", is_flag=True, help=help)


def list_option(help: str) -> Callable[[F], F]:
    """``--list`` → ``show_list``: every item, not a sample."""
    return click.option("--list", "show_list", is_flag=True, help=help)


def empty_folders_option() -> Callable[[F], F]:
    """``--remove-empty-folders/--keep-empty-folders`` → ``empty_folders`` (None: ask)."""
    return click.option(
        "--remove-empty-folders/--keep-empty-folders",
        "empty_folders",
        default=None,
        help=_(
            "After the cleanup, remove (or keep) the folders it left empty, without asking. "
            "By default Ménage asks on a terminal and keeps them otherwise (and with --yes). "
            "Removed folders are made again by `menage undo`."
        ),
    )
