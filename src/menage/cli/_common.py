"""What every command shares: errors to exit codes, consoles, progress, output."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from collections.abc import Iterator
from typing import Any

import click

from menage.errors import EXIT_ERROR, EXIT_INTERRUPTED, MenageError
from menage.i18n import _

ISSUES_URL = "https://github.com/menage-numerique/menage/issues"


def CommandFailed(message: str, exit_code: int) -> click.ClickException:  # noqa: N802
    """A library error on its way to the terminal, with its own exit code."""
    failure: type[click.ClickException] = type(
        "CommandFailed", (click.ClickException,), {"exit_code": exit_code}
    )
    return failure(message)


class MenageGroup(click.Group):
    """Turns expected errors into one line and an exit code, never a traceback; lists
    its commands in the order they were added (the order of the work), not by name."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MenageError as exc:
            raise CommandFailed(exc.message, exc.exit_code) from None
        except KeyboardInterrupt:
            raise CommandFailed(_("interrupted."), EXIT_INTERRUPTED) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # output piped into `head` and closed: not an error of ours
            sys.stderr.close()
            raise SystemExit(EXIT_ERROR) from None
        except Exception:
            traceback.print_exc()
            click.echo(
                _("This is a bug in Ménage; please report it with the lines above at {url}").format(
                    url=ISSUES_URL
                ),
                err=True,
            )
            raise SystemExit(EXIT_ERROR) from None


#: the width given to output that is not a terminal: wide enough that no path is split
#: and no column cut, since a file or a pipe has no width of its own
PIPED_WIDTH = 10_000


def stdout_console() -> Any:
    return _console(stderr=False)


def stderr_console() -> Any:
    return _console(stderr=True)


def _console(stderr: bool) -> Any:
    """A rich console; off a terminal, lines are never wrapped nor columns cut."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    on_terminal = stream.isatty()
    return Console(
        stderr=stderr,
        highlight=False,
        soft_wrap=not on_terminal,
        width=None if on_terminal else PIPED_WIDTH,
    )


def print_json(data: Any) -> None:
    """Machine output: ASCII-only JSON (valid UTF-8 whatever the file names)."""
    click.echo(json.dumps(data, ensure_ascii=True, indent=2))


#: the environment variables that make rich draw on what is not a terminal
_RICH_FORCES_TERMINAL = {"FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS"}


@contextlib.contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Any]:
    """A progress callback ``(stage, done, total)`` drawing on stderr, or doing nothing.

    Nothing is drawn when stderr is not a terminal (piped, redirected, in CI).
    """
    if not enabled or not (sys.stderr.isatty() or _RICH_FORCES_TERMINAL & os.environ.keys()):
        yield None  # and rich is not even loaded: it costs a piped scan 0.06 s
        return
    console = stderr_console()
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from menage.cli._progress import SizeColumn, counted

    labels = {
        "walk": _("Listing files"),
        "hash:whole": _("Comparing small files"),
        "hash:head": _("Comparing beginnings"),
        "hash:tail": _("Comparing ends"),
        "hash:full": _("Comparing contents"),
        "mail:fetch": _("Reading message headers"),
    }
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        SizeColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            task = tasks.get(stage)
            if task is None:
                for other in tasks.values():
                    progress.update(other, visible=False)
                label = labels.get(stage, stage)
                # headers are counted in messages; the other stages read bytes
                task = tasks[stage] = progress.add_task(
                    label, total=total, counting=stage == "mail:fetch"
                )
            if stage == "walk":
                progress.update(
                    task, description=counted(labels["walk"], done), completed=0, total=None
                )
            else:
                progress.update(task, completed=done, total=total)

        yield update
