"""``menage purge``: empty the quarantine for real."""

from __future__ import annotations

import click

from menage.cli._clean import action_progress, confirm, report_recovered
from menage.cli._labels import entry_label
from menage.cli._options import dry_run_option, list_option, yes_option
from menage.cli._types import AGE, age_help
from menage.errors import EXIT_INCOMPLETE
from menage.i18n import _, ngettext


@click.command(
    help=_(
        "Delete quarantined files for good and give their space back. This is the only "
        "step that cannot be undone (except for hardlinks and reflinks, rebuilt from "
        "the kept copy). Say what to purge: files quarantined more than --older-than "
        "ago, one --run, or --all.\n\n"
        "Example:\n\n"
        "    menage purge --older-than 30d"
    ),
    short_help=_("Empty the quarantine for real."),
)
@click.option(
    "--older-than",
    type=AGE,
    help=age_help(_("Only files quarantined this long ago (e.g. {syntax}).")),
)
@click.option("--run", "run_id", type=int, help=_("Only the files of this run."))
@click.option("--all", "purge_all", is_flag=True, help=_("Everything in the quarantine."))
@yes_option()
@dry_run_option(_("Show what would be purged, change nothing."))
@list_option(_("List every file to purge."))
def purge(
    older_than: float | None,
    run_id: int | None,
    purge_all: bool,
    yes: bool,
    dry_run: bool,
    show_list: bool,
) -> None:
    from menage.clean import cleanup_session, purgeable
    from menage.clean import purge as purge_entries
    from menage.i18n import format_number, format_size

    if older_than is None and run_id is None and not purge_all:
        # like `borg delete`: emptying everything needs to be asked for by name
        raise click.UsageError(
            age_help(_("say what to purge: --older-than AGE (e.g. {syntax}), --run N, or --all."))
        )
    # a full disk is when people purge: the journal's reserve is given back first
    with cleanup_session(purging=True) as (journal, recovered):
        report_recovered(recovered)
        if run_id is not None:
            journal.run(run_id)
        entries = purgeable(journal, older_than_s=older_than, run_id=run_id)
        size = sum(e.size for e in entries)
        click.echo(
            ngettext(
                "{n} quarantined item ({size}) to delete for good.",
                "{n} quarantined items ({size}) to delete for good.",
                len(entries),
            ).format(n=format_number(len(entries)), size=format_size(size)),
            err=True,
        )
        if show_list or dry_run:
            for entry in entries:
                click.echo(f"  {entry_label(entry)}")
        if dry_run or not entries:
            click.echo(_("Nothing was changed."))
            return
        confirm(_("Delete these files for good?"), yes)
        with action_progress(_("Purging")) as progress:
            outcome = purge_entries(
                journal, entries, progress=(lambda d, t: progress(d, t, 0)) if progress else None
            )
    click.echo(
        ngettext(
            "Purged {n} item: {size} freed on disk.",
            "Purged {n} items: {size} freed on disk.",
            outcome.files,
        ).format(n=format_number(outcome.files), size=format_size(outcome.freed))
    )
    for entry, reason in outcome.refused:
        click.echo(
            _("  {path}: not purged: {reason}").format(path=entry_label(entry), reason=reason),
            err=True,
        )
    if not outcome.complete:
        click.get_current_context().exit(EXIT_INCOMPLETE)
