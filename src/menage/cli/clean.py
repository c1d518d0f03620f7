"""``menage clean``: scan, plan and apply in one step, for the common case."""

from __future__ import annotations

from pathlib import Path

import click

from menage.cli._clean import (
    action_progress,
    caution_archives,
    confirm,
    offer_empty_folders,
    plan_options,
    print_outcome,
    print_plan_summary,
    report_recovered,
    selection_options,
    state_path,
)
from menage.cli._options import (
    dry_run_option,
    empty_folders_option,
    exclude_option,
    index_option,
    snapshots_option,
    yes_option,
)
from menage.errors import EXIT_INCOMPLETE
from menage.i18n import _, ngettext


@click.command(
    help=_(
        "Scan folders, plan and apply the cleanup in one step (same choices as "
        "`menage plan`), then scan again to show the duplicate rate before and after. "
        "The plan is kept in the Ménage data folder; `menage undo` puts everything "
        "back.\n\n"
        "Example:\n\n"
        "    menage clean ~/Documents --duplicates --keep oldest --yes"
    ),
    short_help=_("Scan, plan and apply a cleanup in one step."),
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@selection_options
@dry_run_option(_("Scan and check, change nothing."))
@yes_option()
@exclude_option()
@snapshots_option()
@click.option("--no-rescan", is_flag=True, help=_("Do not scan again after the cleanup."))
@index_option()
@empty_folders_option()
def clean(
    paths: tuple[str, ...],
    duplicates: bool,
    empty: bool,
    temp: bool,
    older_than: float | None,
    larger: int | None,
    keep: tuple[str, ...],
    action: str,
    dry_run: bool,
    yes: bool,
    exclude: tuple[str, ...],
    snapshots: bool,
    no_rescan: bool,
    index_path: Path | None,
    empty_folders: bool | None,
) -> None:
    from menage.clean import (
        apply_plan,
        build_plan,
        cleanup_session,
        format_plan,
        home_quarantine,
        plan_digest,
    )
    from menage.clean import (
        dry_run as check_plan,
    )
    from menage.cli._common import progress_bar
    from menage.cli.scans import points
    from menage.files.index import Index
    from menage.files.scan import YEAR_S, ScanOptions
    from menage.files.scan import scan as run_scan
    from menage.home import default_index_path
    from menage.i18n import format_number, format_percent, format_size
    from menage.output import write_output

    options = plan_options(duplicates, empty, temp, older_than, larger, keep, action)
    options.rules()
    if options.older_than_s is not None:
        caution_archives()
    from menage import config

    scan_options = ScanOptions(
        excludes=(*config.load().exclude, *exclude),
        snapshots=snapshots,
        older_than_s=min(3 * YEAR_S, older_than) if older_than is not None else 3 * YEAR_S,
        top=1000,
    )
    with Index(index_path or default_index_path()) as index:
        with progress_bar() as progress:
            before = run_scan(paths, scan_options, index=index, progress=progress)
        assert before.scan_id is not None
        listing = None
        if options.older_than_s is not None or options.larger is not None:
            listing = list(index.listing(before.tree.roots))
        plan = build_plan(index.scan_findings(before.scan_id), options, listing)
        print_plan_summary(plan)
        if not plan.actions:
            return
        if dry_run:
            results = check_plan(plan)
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
            click.echo(_("Nothing was changed."))
            return
        confirm(_("Apply these actions?"), yes)
        plan_file = state_path(f"scan-{before.scan_id}.plan.json")
        text = format_plan(plan).encode("utf-8")  # made once: it formats every size
        write_output(plan_file, text)
        digest = plan_digest(text)
        with cleanup_session() as (journal, recovered):
            report_recovered(recovered)
            with action_progress(_("Cleaning")) as apply_progress:
                outcome = apply_plan(
                    plan,
                    journal,
                    home_quarantine(),
                    digest,
                    plan_path=plan_file,
                    command="clean",
                    progress=apply_progress,
                )
            print_outcome(outcome)
            offer_empty_folders(journal, outcome.run_id, empty_folders, yes=yes)
            if not no_rescan:
                with progress_bar() as progress:
                    after = run_scan(paths, scan_options, index=index, progress=progress)
                journal.set_run(outcome.run_id, scan_after=after.scan_id)
                click.echo(
                    _("Duplicate rate: {before} → {after}, {change} (scans {a} and {b}).").format(
                        before=format_percent(before.duplicate_rate),
                        after=format_percent(after.duplicate_rate),
                        change=points(after.duplicate_rate - before.duplicate_rate),
                        a=before.scan_id,
                        b=after.scan_id,
                    )
                )
    if not outcome.complete:
        click.get_current_context().exit(EXIT_INCOMPLETE)
