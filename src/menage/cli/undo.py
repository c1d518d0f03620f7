"""``menage undo``: put back every file a cleanup run moved."""

from __future__ import annotations

import click

from menage.cli._clean import action_progress, confirm, report_recovered
from menage.cli._labels import entry_label
from menage.cli._options import dry_run_option, list_option, yes_option
from menage.errors import EXIT_INCOMPLETE
from menage.i18n import _, ngettext


@click.command(
    help=_(
        "Put back every file of a cleanup run (the latest by default) at its original "
        "path, with its mode and times. A file that now stands at that path is never "
        "overwritten: the old one comes back beside it, as NAME (restored).EXT.\n\n"
        "Example:\n\n"
        "    menage undo 3 --yes"
    ),
    short_help=_("Put back the files of a cleanup run."),
)
@click.argument("run_id", metavar="[RUN]", required=False, type=int)
@yes_option()
@dry_run_option(_("Show what would be restored, change nothing."))
@list_option(_("List every file to restore."))
def undo(run_id: int | None, yes: bool, dry_run: bool, show_list: bool) -> None:
    from menage.clean import cleanup_session, run_to_undo, undo_run
    from menage.clean.undo import entries_to_undo
    from menage.cli.mail_clean import password_prompt
    from menage.files.names import escape
    from menage.i18n import format_number, format_size
    from menage.mail import sessions

    sessions.prompt = password_prompt  # messages on a server go back over IMAP
    with cleanup_session() as (journal, recovered):
        report_recovered(recovered)
        run = run_to_undo(journal, run_id)
        entries = entries_to_undo(journal, run.id)
        click.echo(
            ngettext(
                "Run {run}: {n} item to put back ({size}).",
                "Run {run}: {n} items to put back ({size}).",
                len(entries),
            ).format(
                run=run.id,
                n=format_number(len(entries)),
                size=format_size(sum(e.size for e in entries)),
            ),
            err=True,
        )
        if show_list or dry_run:
            for entry in entries:
                click.echo(f"  {entry_label(entry)}")
        if dry_run:
            click.echo(_("Nothing was changed."))
            return
        confirm(_("Put these files back?"), yes)
        with action_progress(_("Restoring")) as progress:
            outcome = undo_run(
                journal, run.id, progress=(lambda d, t: progress(d, t, 0)) if progress else None
            )
    sessions.close_all()
    click.echo(
        ngettext(
            "Run {run}: {n} item put back.", "Run {run}: {n} items put back.", len(outcome.restored)
        ).format(run=run.id, n=format_number(len(outcome.restored)))
    )
    for entry in outcome.beside:
        assert entry.restored_to is not None
        click.echo(
            _("  {path} was put back as {new}: another file stands at its path.").format(
                path=entry_label(entry), new=escape(entry.restored_to)
            )
        )
    for entry, reason in outcome.failed:
        click.echo(
            _("  {path}: not put back: {reason}").format(path=entry_label(entry), reason=reason),
            err=True,
        )
    if not outcome.complete:
        click.get_current_context().exit(EXIT_INCOMPLETE)
