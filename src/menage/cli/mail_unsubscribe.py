"""``menage mail unsubscribe``: leave a newsletter (RFC 8058 one click, or say how)."""

from __future__ import annotations

from pathlib import Path

import click

from menage.cli._options import dry_run_option, yes_option
from menage.i18n import _, format_number, format_size, ngettext


@click.command(
    help=_(
        "Leave a sender's newsletter. With RFC 8058 one-click (the message carries "
        "List-Unsubscribe-Post and an HTTPS link), Ménage sends the one POST the "
        "standard defines, after asking. Otherwise it shows the mailto address or the "
        "link for you to use: links in mail are never followed. Nothing is ever sent "
        "for mail that looks like spam (in Junk, without list headers). Each "
        "unsubscription is recorded and counted in `menage history`.\n\n"
        "Example:\n\n"
        "    menage mail unsubscribe imaps://alice@imap.example.org/ --sender news@shop.example"
    ),
    short_help=_("Leave a newsletter (one click when the sender allows it)."),
)
@click.argument("source")
@click.option(
    "--sender", "senders", multiple=True, required=True, metavar="ADDRESS",
    help=_("The newsletter's sender address (repeatable)."),
)  # fmt: skip
@click.option("--insecure", is_flag=True, help=_("Allow plain IMAP off this computer."))
@click.option(
    "--ca-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=_("Trust this CA certificate for the server (self-hosted servers)."),
)
@click.option("--oauth2", is_flag=True, help=_("Log in with an OAuth2 token (XOAUTH2)."))
@dry_run_option(_("Show how each sender would be left, send nothing."))
@yes_option()
def unsubscribe(
    source: str,
    senders: tuple[str, ...],
    insecure: bool,
    ca_file: Path | None,
    oauth2: bool,
    dry_run: bool,
    yes: bool,
) -> None:
    from menage.clean import Journal, default_journal_path
    from menage.cli._clean import confirm
    from menage.cli._common import progress_bar
    from menage.cli.mail_clean import password_prompt
    from menage.errors import EXIT_INCOMPLETE
    from menage.mail.imap import ImapOptions
    from menage.mail.planning import read_folders
    from menage.mail.unsubscribe import choose, one_click

    options = ImapOptions(insecure=insecure, ca_file=ca_file, oauth2=oauth2)
    with progress_bar(True) as progress:
        folders = read_folders(source, options=options, prompt=password_prompt, progress=progress)
    incomplete = False
    for sender in senders:
        wanted = sender.strip().lower()
        found = [(m, role) for _name, role, ms in folders for m in ms if m.sender == wanted]
        choice = choose(wanted, found)
        click.echo(
            ngettext(
                "{sender}: {n} message ({size}).",
                "{sender}: {n} messages ({size}).",
                choice.messages,
            ).format(
                sender=wanted, n=format_number(choice.messages), size=format_size(choice.bytes)
            )
        )
        status, detail = "shown", choice.refused
        if choice.method == "none":
            click.echo(_("  No List-Unsubscribe header: nothing to use."))
            incomplete = True
            continue
        if choice.refused is not None:
            click.echo(
                _("  Looks like spam ({reason}): nothing sent, no link followed.").format(
                    reason=choice.refused
                )
            )
            status = "refused"
        elif choice.method == "one-click":
            click.echo(_("  One-click unsubscribe (RFC 8058): {url}").format(url=choice.target))
            if dry_run:
                continue
            confirm(_("Unsubscribe from {sender}?").format(sender=wanted), yes)
            detail = one_click(choice.target or "")
            status = "done" if detail is None else "failed"
            if detail is None:
                click.echo(_("  Unsubscribed."))
            else:
                click.echo(_("  Not unsubscribed: {reason}").format(reason=detail), err=True)
                incomplete = True
        elif choice.method == "mailto":
            click.echo(_("  Send an email to: {target}").format(target=choice.target))
        else:
            click.echo(
                _("  Open this link yourself if you trust it: {target}").format(
                    target=choice.target
                )
            )
        if dry_run:
            continue
        with Journal(default_journal_path()) as journal:
            journal.record_unsubscription(
                source=source, sender=wanted, list_id=choice.list_id, method=choice.method,
                target=choice.target, status=status, detail=detail,
                messages=choice.messages, bytes=choice.bytes,
            )  # fmt: skip
    if incomplete:
        click.get_current_context().exit(EXIT_INCOMPLETE)
