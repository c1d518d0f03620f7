"""What the cleanup commands share: selection options, summaries, confirmation, progress."""

from __future__ import annotations

import contextlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import click

from menage.cli._labels import entry_label
from menage.cli._types import AGE, SIZE, age_help
from menage.i18n import N_, _, ngettext
from menage.units import format_age_short

if TYPE_CHECKING:
    from menage.clean import Journal, Outcome, Plan, Recovered

ACTION_LABELS = {
    "quarantine": N_("to the quarantine"),
    "trash": N_("to the trash"),
    "hardlink": N_("replaced by a hardlink"),
    "reflink": N_("replaced by a reflink"),
}
SAMPLE = 5


def selection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options shared by ``plan`` and ``clean``: what to clean and which copy stays."""
    options = [
        click.option(
            "--duplicates", is_flag=True, help=_("Remove redundant copies of duplicates.")
        ),
        click.option("--empty", is_flag=True, help=_("Remove empty files and empty folders.")),
        click.option("--temp", is_flag=True, help=_("Remove temporary and cache files.")),
        click.option(
            "--older-than",
            type=AGE,
            default=None,
            help=age_help(
                _("Remove files not modified for this long (e.g. {syntax}); see --larger.")
            ),
        ),
        click.option(
            "--larger",
            type=SIZE,
            default=None,
            help=_("Remove files at least this big (e.g. 100MB); with --older-than, both."),
        ),
        click.option(
            "--keep",
            "keep",
            multiple=True,
            metavar="RULE",
            help=_(
                "Which copy of duplicates stays: oldest (default), newest, shortest-path, "
                "'in DIR' (a reference folder never touched), 'not-in DIR'. Repeat to "
                "combine, in order."
            ),
        ),
        click.option(
            "--action",
            type=click.Choice(["quarantine", "trash", "hardlink", "reflink"]),
            default="quarantine",
            show_default=True,
            help=_(
                "What happens to the files: quarantine (Ménage's, undo-able), trash (the "
                "system trash), hardlink or reflink (duplicates only: replaced by a link "
                "to the kept copy)."
            ),
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def plan_options(
    duplicates: bool,
    empty: bool,
    temp: bool,
    older_than: float | None,
    larger: int | None,
    keep: Sequence[str],
    action: str,
) -> Any:
    from menage import config
    from menage.clean import PlanOptions, excluded_folders
    from menage.clean.rules import DEFAULT_RULES

    configured = config.load()
    return PlanOptions(
        duplicates=duplicates,
        empty=empty,
        temp=temp,
        older_than_s=older_than,
        larger=larger,
        keep=tuple(keep) or configured.keep or DEFAULT_RULES,
        action=action,
        excluded=excluded_folders(),
        archives=configured.archive_folders(),
    )


def caution_archives() -> None:
    """Before planning old files: they may be public archives."""
    from menage import config

    click.echo(
        _(
            "Caution: old files on a shared drive may be public archives, which may only "
            "be destroyed with the archives service's approval. Folders marked as archives "
            "are never planned: list them under archives in the configuration file "
            "(`menage config --path`), or put a file named {marker} in them."
        ).format(marker=config.ARCHIVES_MARKER),
        err=True,
    )


def remind_retention() -> None:
    """Say (never do) that quarantined files are past the retention, with the purge
    command that would free them."""
    from menage import config
    from menage.home import JOURNAL_NAME, menage_home

    if not (menage_home() / JOURNAL_NAME).exists():
        return  # nothing was ever cleaned: no need to load the cleanup package (0.3 s)
    from menage.clean.retention import read_state
    from menage.i18n import format_number, format_size

    days = config.load().retention_days
    state = read_state(days)
    if state is None or not state.expired_items:
        return
    # Translators: a duration for --older-than, in days (30d / 30j)
    age = _("{days}d").format(days=int(round(days)))
    runs = ngettext("run {runs}", "runs {runs}", len(state.expired_runs)).format(
        runs=", ".join(str(r) for r in state.expired_runs)
    )
    click.echo(
        ngettext(
            "{n} item ({size}) has been in the quarantine for more than {days} days ({runs}). "
            "`menage purge --older-than {age}` frees its space for good; nothing is purged "
            "without you.",
            "{n} items ({size}) have been in the quarantine for more than {days} days "
            "({runs}). `menage purge --older-than {age}` frees their space for good; nothing "
            "is purged without you.",
            state.expired_items,
        ).format(
            n=format_number(state.expired_items),
            size=format_size(state.expired_bytes),
            days=format_number(days),
            runs=runs,
            age=age,
        ),
        err=True,
    )


def finding_label(key: str) -> str:
    """The kind of finding ``key``, in words (the key itself if no kind has it)."""
    from menage.findings import UnknownKind, kind_of

    try:
        return _(kind_of(key).label)
    except UnknownKind:
        return key


def print_plan_summary(plan: Plan, err: bool = True) -> None:
    """Counts, bytes and a sample of the actions."""
    from menage.i18n import format_number, format_size

    echo = _echo(err)
    if not plan.actions:
        echo(_("Nothing to do: the selection found nothing to clean."))
        return
    by_finding: Counter[str] = Counter()
    bytes_by_finding: Counter[str] = Counter()
    for action in plan.actions:
        by_finding[action.finding] += 1
        bytes_by_finding[action.finding] += action.size
    echo(
        ngettext("{n} action, {size}:", "{n} actions, {size}:", len(plan.actions)).format(
            n=format_number(len(plan.actions)), size=format_size(plan.bytes)
        )
    )
    for finding, count in by_finding.items():
        echo(
            "  "
            + _("{label}: {n} ({size})").format(
                label=finding_label(finding),
                n=format_number(count),
                size=format_size(bytes_by_finding[finding]),
            )
        )
    kinds = Counter(a.kind for a in plan.actions)
    echo(
        "  "
        + ", ".join(
            _("{n} {what}").format(n=format_number(n), what=_(ACTION_LABELS[k]))
            for k, n in kinds.items()
        )
    )
    echo(_("For example:"))
    for action in plan.actions[:SAMPLE]:
        from menage.files.names import escape

        kept = ""
        if action.keep is not None:
            kept = "  " + _("(kept: {path})").format(path=escape(action.keep))
        echo(f"  {action.kind:<10} {escape(action.path)}{kept}")
    if len(plan.actions) > SAMPLE:
        echo("  " + _("… and {n} more").format(n=format_number(len(plan.actions) - SAMPLE)))


def _echo(err: bool) -> Callable[[str], None]:
    def echo(text: str) -> None:
        click.echo(text, err=err)

    return echo


def confirm(question: str, yes: bool) -> None:
    """Ask on a terminal; refuse without ``--yes`` when there is nobody to ask.

    Raises:
        NotConfirmed: the answer was no, or standard input is not a terminal.
    """
    from menage.clean.errors import NotConfirmed

    if yes:
        return
    if not sys.stdin.isatty():
        raise NotConfirmed(
            detail=_(
                "standard input is not a terminal, so Ménage cannot ask for confirmation: "
                "add --yes to go ahead, or --dry-run to only see what would happen. "
                "Nothing was changed."
            )
        )
    if not ask_yes_no(question):
        raise NotConfirmed(detail=_("cancelled: nothing was changed."))


def ask_yes_no(question: str) -> bool:
    """Ask a yes/no question whose answers follow the language: « [o/N] », o/oui/n/non.

    English answers (y/yes/n/no) are taken in every language; an empty answer is no.
    """
    # Translators: the yes answers, lower case, comma-separated; the first one is shown.
    yes_words = _("y,yes").split(",") + ["y", "yes"]
    # Translators: the no answers, lower case, comma-separated; the first one is shown.
    no_words = _("n,no").split(",") + ["n", "no"]

    def answer(text: str) -> bool:
        word = text.strip().lower()
        if word in yes_words:
            return True
        if word in no_words or not word:
            return False
        raise click.UsageError(
            _("please answer {yes} or {no}.").format(yes=yes_words[0], no=no_words[0])
        )

    choices = f"[{yes_words[0]}/{no_words[0].upper()}]"
    result: bool = click.prompt(
        f"{question} {choices}",
        default="",
        show_default=False,
        value_proc=answer,
        err=True,
        prompt_suffix=" ",
    )
    return result


def report_recovered(recovered: Recovered) -> None:
    if not recovered:
        return

    runs = ", ".join(str(r) for r in recovered.runs) or "-"
    click.echo(
        _(
            "An interrupted cleanup was settled (run {runs}): {finished}, {rolled_back}. "
            "Nothing was lost."
        ).format(
            runs=runs,
            finished=ngettext(
                "{n} action finished", "{n} actions finished", recovered.finished
            ).format(n=recovered.finished),
            rolled_back=ngettext(
                "{n} rolled back", "{n} rolled back", recovered.rolled_back
            ).format(n=recovered.rolled_back),
        ),
        err=True,
    )
    for entry, reason in recovered.unsettled:
        click.echo(f"  {entry_label(entry)}: {reason}", err=True)


@contextlib.contextmanager
def action_progress(label: str) -> Iterator[Callable[[int, int, int], None] | None]:
    """A progress bar on stderr (actions done / all), or nothing when not a terminal."""
    from menage.cli._common import stderr_console

    console = stderr_console()
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from menage.cli._progress import CountColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        CountColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)

        def update(done: int, total: int, _bytes: int = 0) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def print_outcome(outcome: Outcome) -> None:
    """What a run did, and the reasons of what it skipped (stderr)."""
    from menage.i18n import format_number, format_size

    done_bytes = sum(e.size for e in outcome.done)
    click.echo(
        _("Run {run}: {done}, {skipped}, {failed}.").format(
            run=outcome.run_id,
            done=ngettext("{n} done ({size})", "{n} done ({size})", len(outcome.done)).format(
                n=format_number(len(outcome.done)), size=format_size(done_bytes)
            ),
            skipped=ngettext("{n} skipped", "{n} skipped", len(outcome.skipped)).format(
                n=format_number(len(outcome.skipped))
            ),
            failed=ngettext("{n} failed", "{n} failed", len(outcome.failed)).format(
                n=format_number(len(outcome.failed))
            ),
        )
    )
    for entry in outcome.skipped + outcome.failed:
        click.echo(f"  {entry_label(entry)}: {entry.reason}", err=True)
    for entry in outcome.done:
        if entry.reason:  # done, with a note (the trash was elsewhere, ...)
            click.echo(f"  {entry_label(entry)}: {entry.reason}", err=True)
    if outcome.done:
        click.echo(
            _(
                "`menage undo {run}` puts everything back; `menage purge --older-than {age}` "
                "frees the space for good later."
            ).format(run=outcome.run_id, age=format_age_short(30 * 86400))
        )


def state_path(name: str) -> str:
    from menage.home import menage_home

    folder = menage_home() / "plans"
    folder.mkdir(exist_ok=True)
    return os.fspath(folder / name)


def offer_empty_folders(
    journal: Journal, run_id: int, choice: bool | None, yes: bool = False, err: bool = False
) -> None:
    """Folders the run left empty: removed when asked (``choice`` True, or yes on a
    terminal), else kept with a line saying how to remove them. Never removed without
    a terminal unless ``--remove-empty-folders`` was given; ``--yes`` asks nothing, so
    it keeps them too. ``err``: the result line on stderr (standard output holds JSON)."""
    from menage.clean.apply import home_quarantine
    from menage.clean.emptied import emptied_folders, remove_emptied
    from menage.files.names import escape
    from menage.i18n import format_number

    if choice is False:
        return
    folders = emptied_folders(journal, run_id)
    if not folders:
        return
    count = format_number(len(folders))
    if choice is None:
        click.echo(
            ngettext(
                "The cleanup left {n} folder empty:",
                "The cleanup left {n} folders empty:",
                len(folders),
            ).format(n=count),
            err=True,
        )
        for folder in folders[:SAMPLE]:
            click.echo(f"  {escape(folder.path)}", err=True)
        if len(folders) > SAMPLE:
            click.echo(
                "  " + _("… and {n} more").format(n=format_number(len(folders) - SAMPLE)),
                err=True,
            )
        if yes or not sys.stdin.isatty():
            click.echo(
                ngettext(
                    "It is kept: add --remove-empty-folders to remove it "
                    "(`menage undo` makes it again).",
                    "They are kept: add --remove-empty-folders to remove them "
                    "(`menage undo` makes them again).",
                    len(folders),
                ),
                err=True,
            )
            return
        if not ask_yes_no(
            ngettext(
                "Remove it too? (`menage undo` makes it again)",
                "Remove them too? (`menage undo` makes them again)",
                len(folders),
            )
        ):
            return
    result = remove_emptied(journal, home_quarantine(), run_id, folders)
    click.echo(
        ngettext(
            "{n} empty folder removed.", "{n} empty folders removed.", len(result.removed)
        ).format(n=format_number(len(result.removed))),
        err=err,
    )
    for entry in result.kept:
        click.echo(f"  {entry_label(entry)}: {entry.reason}", err=True)
