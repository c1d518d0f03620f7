"""``menage apply``: carry out a plan, reversibly, through the journal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from menage.cli._clean import (
    action_progress,
    confirm,
    offer_empty_folders,
    print_outcome,
    print_plan_summary,
    remind_retention,
    report_recovered,
)
from menage.cli._options import (
    dry_run_option,
    empty_folders_option,
    index_option,
    json_option,
    list_option,
    yes_option,
)
from menage.errors import EXIT_INCOMPLETE
from menage.i18n import _, ngettext

if TYPE_CHECKING:
    from menage.clean import Plan


@click.command(
    help=_(
        "Carry out a plan made by `menage plan` (and maybe edited).\n\n"
        "Every line is checked first: a mistake stops everything before any file is "
        "touched. Then each file is checked again (unchanged since the scan; for a "
        "duplicate, same bytes as the kept copy; for a similar photo, the kept photo "
        "unchanged since the plan), recorded in the journal, and moved. Similar photos "
        'are removed only on the lines you confirmed ("confirmed": true). '
        "Nothing is deleted: `menage undo` puts it all back.\n\n"
        "On a terminal Ménage shows what will happen and asks; elsewhere it needs "
        "--yes.\n\n"
        "Example:\n\n"
        "    menage apply plan.json --dry-run"
    ),
    short_help=_("Carry out a cleanup plan (reversibly)."),
)
@click.argument("plan_file", type=click.Path(dir_okay=False, path_type=Path))
@dry_run_option(_("Check every action, change nothing."))
@yes_option()
@list_option(_("List every action, not a sample."))
@json_option(_("Print the run's measures as JSON."))
@index_option(_("Index file the plan's scan is in (default: the Ménage data folder's)."))
@empty_folders_option()
def apply(
    plan_file: Path,
    dry_run: bool,
    yes: bool,
    show_list: bool,
    as_json: bool,
    index_path: Path | None,
    empty_folders: bool | None,
) -> None:
    from menage import config
    from menage.clean import (
        AlreadyApplied,
        applied_by,
        apply_plan,
        check_against_index,
        check_archives,
        check_paths,
        cleanup_session,
        excluded_folders,
        home_quarantine,
        plan_digest,
        read_plan,
    )
    from menage.home import default_index_path

    shown = str(plan_file)
    plan = read_plan(plan_file, excluded_folders())
    check_against_index(plan, index_path or default_index_path(), shown)
    check_paths(plan, shown)
    check_archives(plan, config.load().archive_folders(), shown)
    _leave_unconfirmed(plan)
    if show_list:
        _list_actions(plan)
    if dry_run:
        _dry_run(plan)
        return
    if not plan.actions:
        click.echo(_("The plan has no action: nothing to do."))
        return
    digest = plan_digest(plan_file.read_bytes())
    earlier = applied_by(digest)
    if earlier is not None:
        raise AlreadyApplied(run=earlier)
    print_plan_summary(plan)
    confirm(_("Apply these actions?"), yes)
    with cleanup_session() as (journal, recovered):
        report_recovered(recovered)
        with action_progress(_("Cleaning")) as progress:
            outcome = apply_plan(
                plan,
                journal,
                home_quarantine(),
                digest,
                plan_path=str(plan_file.resolve()),
                progress=progress,
            )
        if not as_json:
            print_outcome(outcome)
        offer_empty_folders(journal, outcome.run_id, empty_folders, yes=yes, err=as_json)
        if as_json:
            from menage.clean import measures
            from menage.cli._common import print_json

            print_json(measures(outcome.run_id, journal).as_dict())
    remind_retention()
    if not outcome.complete:
        click.get_current_context().exit(EXIT_INCOMPLETE)


def _leave_unconfirmed(plan: Plan) -> None:
    """Near-duplicate photos the person did not confirm stay: said once, not acted on."""
    from menage.i18n import format_number, ngettext

    waiting = [a for a in plan.actions if a.confirmed is False]
    if not waiting:
        return
    plan.actions = [a for a in plan.actions if a.confirmed is not False]
    click.echo(
        ngettext(
            "{n} similar photo is proposed but not confirmed: it stays. To remove it, "
            'change "confirmed": false to true on its line in the plan file.',
            "{n} similar photos are proposed but not confirmed: they stay. To remove them, "
            'change "confirmed": false to true on their lines in the plan file.',
            len(waiting),
        ).format(n=format_number(len(waiting))),
        err=True,
    )


def _list_actions(plan: Plan) -> None:
    from menage.files.names import escape

    for action in plan.actions:
        click.echo(f"{action.kind:<10} {escape(action.path)}")


def _dry_run(plan: Plan) -> None:
    from menage.clean import dry_run
    from menage.files.names import escape
    from menage.i18n import format_number, format_size

    results = dry_run(plan)
    ok = [a for a, reason in results if reason is None]
    click.echo(
        ngettext(
            "Dry run: {n} action would be carried out ({size}), {skipped} skipped.",
            "Dry run: {n} actions would be carried out ({size}), {skipped} skipped.",
            len(ok),
        ).format(
            n=format_number(len(ok)),
            size=format_size(sum(a.size for a in ok)),
            skipped=format_number(len(results) - len(ok)),
        )
    )
    for action, reason in results:
        if reason is not None:
            click.echo(f"  {escape(action.path)}: {reason}", err=True)
    click.echo(_("Nothing was changed."))
