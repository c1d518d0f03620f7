"""``menage mail clean``: move the selected messages to the Trash, reversibly."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from menage.cli._options import dry_run_option, yes_option
from menage.cli._types import AGE, SIZE, age_help
from menage.i18n import _, format_number, format_size, ngettext


def password_prompt(who: str) -> str:
    if not sys.stdin.isatty():
        return ""
    return str(click.prompt(_("Password for {who}").format(who=who), hide_input=True, err=True))


@click.command(
    help=_(
        "Move messages out of a mailbox, reversibly: over IMAP into the server's Trash "
        "(or the folder given with --archive), locally into Ménage's quarantine (an mbox "
        "file is rewritten whole, never edited in place). Each message is a cleanup "
        "action of the journal: `menage undo` puts them back.\n\n"
        "Criteria given together must all hold. A duplicate is taken only while its kept "
        "copy is verified present.\n\n"
        "Example:\n\n\b\n"
        "    menage mail clean imaps://alice@imap.example.org/ \\\n"
        "        --newsletters --older-than 1y"
    ),
    short_help=_("Move selected messages to the Trash (undoable)."),
)
@click.argument("source")
@click.option("--newsletters", is_flag=True, help=_("Newsletters and bulk mail."))
@click.option(
    "--sender",
    "senders",
    multiple=True,
    metavar="ADDRESS",
    help=_("From this address (or @domain)."),
)
@click.option("--older-than", type=AGE, help=age_help(_("Older than this (e.g. {syntax}).")))
@click.option("--larger", type=SIZE, help=_("At least this size (e.g. 5MB)."))
@click.option("--duplicates", is_flag=True, help=_("Second copies of the same message."))
@click.option(
    "--folders", multiple=True, metavar="FOLDER", help=_("Only this folder (repeatable).")
)
@click.option("--archive", metavar="FOLDER", help=_("Move to this IMAP folder instead of Trash."))
@click.option("--insecure", is_flag=True, help=_("Allow plain IMAP off this computer."))
@click.option(
    "--ca-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=_("Trust this CA certificate for the server (self-hosted servers)."),
)
@click.option("--oauth2", is_flag=True, help=_("Log in with an OAuth2 token (XOAUTH2)."))
@dry_run_option(_("Show what would be moved, change nothing."))
@yes_option()
def clean(
    source: str,
    newsletters: bool,
    senders: tuple[str, ...],
    older_than: float | None,
    larger: int | None,
    duplicates: bool,
    folders: tuple[str, ...],
    archive: str | None,
    insecure: bool,
    ca_file: Path | None,
    oauth2: bool,
    dry_run: bool,
    yes: bool,
) -> None:
    from menage.clean import cleanup_session, home_quarantine
    from menage.cli._clean import action_progress, confirm, print_outcome, report_recovered
    from menage.cli._common import progress_bar
    from menage.errors import EXIT_INCOMPLETE
    from menage.mail import sessions
    from menage.mail.clean import apply_mail
    from menage.mail.imap import ImapOptions
    from menage.mail.planning import plan_mail
    from menage.mail.select import Criteria

    criteria = Criteria(newsletters, senders, older_than, larger, duplicates)
    options = ImapOptions(insecure=insecure, ca_file=ca_file, oauth2=oauth2)
    with progress_bar(True) as progress:
        plan = plan_mail(
            source,
            criteria,
            options=options,
            prompt=password_prompt,
            folders=folders,
            archive=archive,
            progress=progress,
        )
    where = plan.destination or _("Ménage's quarantine")
    click.echo(
        ngettext(
            "{n} message ({size}) to move to {where}.",
            "{n} messages ({size}) to move to {where}.",
            len(plan.targets),
        ).format(n=format_number(len(plan.targets)), size=format_size(plan.bytes), where=where),
        err=True,
    )
    if dry_run:
        for target in plan.targets:
            meta = target.meta
            click.echo(f"  {meta.ref.folder}\t{meta.sender}\t{meta.subject}\t{target.finding}")
        click.echo(_("Nothing was changed."))
        return
    if not plan.targets:
        return
    confirm(_("Move these messages?"), yes)
    sessions.prompt = password_prompt
    with cleanup_session() as (journal, recovered):
        report_recovered(recovered)
        with action_progress(_("Moving")) as bar:
            outcome = apply_mail(plan, journal, home_quarantine(), progress=bar)
    print_outcome(outcome)
    if not outcome.complete:
        click.get_current_context().exit(EXIT_INCOMPLETE)
