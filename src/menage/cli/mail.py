"""``menage mail``: put a mailbox on a diet (analysis; cleaning comes with the journal v2)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from menage.cli._common import print_json, progress_bar, stdout_console
from menage.cli._types import AGE, SIZE, age_default, age_help
from menage.cli.impact import REGIONS
from menage.cli.mail_clean import clean, password_prompt
from menage.cli.mail_unsubscribe import unsubscribe
from menage.errors import EXIT_INCOMPLETE
from menage.i18n import _, format_number, format_percent, format_size, ngettext


@click.group(
    help=_(
        "Put a mailbox on a diet: find the newsletters nobody reads, who fills the "
        "mailbox, big attachments, old mail and duplicates.\n\n"
        "SOURCE is imaps://user@server/ (or imap:// with STARTTLS), an mbox file, a "
        "Maildir or a folder of .eml files. Over IMAP only headers and structure are "
        "read: no message is downloaded or marked as read, and everything stays on this "
        "computer."
    ),
    short_help=_("Analyse a mailbox (IMAP, mbox, Maildir, .eml)."),
)
def mail() -> None:
    pass


mail.add_command(clean)
mail.add_command(unsubscribe)


_prompt = password_prompt


@mail.command(
    help=_(
        "Analyse a mailbox without changing it.\n\n"
        "The password comes from MENAGE_IMAP_PASSWORD, the system keyring (service "
        "menage-imap) or a prompt; never from the command line. With --oauth2, the "
        "token comes from MENAGE_IMAP_OAUTH2_TOKEN or a prompt. A second analysis reads "
        "only what changed.\n\n"
        "Example:\n\n"
        "    menage mail analyse imaps://alice@imap.example.org/ --html courrier.html"
    ),
    short_help=_("Analyse a mailbox without changing it."),
)
@click.argument("source")
@click.option(
    "--folders",
    multiple=True,
    metavar="FOLDER",
    help=_("Analyse only this folder (repeatable; default: all, Gmail's All Mail once)."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print the full result as JSON."))
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("Write a self-contained HTML report to this file."),
)
@click.option(
    "--older-than",
    type=AGE,
    default=age_default("2y"),
    show_default=True,
    help=age_help(_("Mail older than this is reported as old (e.g. {syntax}).")),
)
@click.option(
    "--larger",
    type=SIZE,
    default="1MB",
    show_default=True,
    help=_("Attachments from this size are listed."),
)
@click.option(
    "--insecure",
    is_flag=True,
    help=_("Allow plain IMAP off this computer and certificates that do not verify."),
)
@click.option(
    "--ca-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=_("Trust this CA certificate for the server (self-hosted servers)."),
)
@click.option("--oauth2", is_flag=True, help=_("Log in with an OAuth2 token (XOAUTH2)."))
@click.option(
    "--region",
    type=click.Choice(REGIONS),
    default="france",
    show_default=True,
    help=_("Electricity mix of the impact figures."),
)
@click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True, help=_("Rows per list.")
)
def analyse(
    source: str,
    folders: tuple[str, ...],
    as_json: bool,
    html: Path | None,
    older_than: float,
    larger: int,
    insecure: bool,
    ca_file: Path | None,
    oauth2: bool,
    region: str,
    top: int,
) -> None:
    from menage.mail.analyse import analyse_source
    from menage.mail.imap import ImapOptions
    from menage.mail.impact import mail_impact

    options = ImapOptions(insecure=insecure, ca_file=ca_file, oauth2=oauth2)
    if html is not None:
        from menage.report.html import check_target

        check_target(html)
    with progress_bar(not as_json) as progress:
        analysis = analyse_source(
            source,
            folders=folders or None,
            older_than_days=int(older_than // 86_400),
            larger=larger,
            options=options,
            prompt=_prompt,
            progress=progress,
        )
    impact = mail_impact(analysis, region)
    if html is not None:
        from menage.mail.report import write_mail_html

        write_mail_html(analysis, html, region)
    if as_json:
        data = analysis.to_json()
        data["impact"] = impact.data
        print_json(data)
    else:
        _print(analysis, impact, top)
        if html is not None:
            click.echo(_("HTML report: {path}").format(path=html), err=True)
    if analysis.errors:
        sys.exit(EXIT_INCOMPLETE)


def _print(analysis: object, impact: object, top: int) -> None:
    from rich.table import Table

    from menage.mail.findings import MailAnalysis
    from menage.mail.impact import MailImpact

    assert isinstance(analysis, MailAnalysis) and isinstance(impact, MailImpact)
    console = stdout_console()
    total = analysis.total
    console.print(
        ngettext(
            "{count} message, {size}, {read} read.",
            "{count} messages, {size}, {read} read.",
            total.messages,
        ).format(
            count=format_number(total.messages),
            size=format_size(total.bytes),
            read=format_percent(total.read_ratio, 0),
        )
    )
    console.print(impact.unsubscribe_line, markup=False)
    if analysis.newsletters:
        table = Table(title=_("Newsletters, least read first"), title_justify="left")
        for column in (_("Sender"), _("Messages"), _("Size"), _("Read"), _("Unsubscribe")):
            table.add_column(column)
        for n in analysis.newsletters[:top]:
            how = (
                _("one click")
                if n.unsubscribe.one_click
                else (n.unsubscribe.http or n.unsubscribe.mailto or "–")
            )
            table.add_row(
                n.sender,
                format_number(n.tally.messages),
                format_size(n.tally.bytes),
                format_percent(n.tally.read_ratio, 0),
                how,
            )
        console.print(table)
    table = Table(title=_("Senders by size"), title_justify="left")
    for column in (_("Sender"), _("Messages"), _("Size"), _("Read")):
        table.add_column(column)
    for s in analysis.senders[:top]:
        table.add_row(
            s.address,
            format_number(s.tally.messages),
            format_size(s.tally.bytes),
            format_percent(s.tally.read_ratio, 0),
        )
    console.print(table)
    console.print(
        _(
            "Big attachments: {count} ({size}). Old mail: {old} ({old_size}). "
            "Duplicates: {dups} ({dup_size})."
        ).format(
            count=format_number(len(analysis.attachments)),
            size=format_size(sum(a.bytes for a in analysis.attachments)),
            old=format_number(analysis.old.messages),
            old_size=format_size(analysis.old.bytes),
            dups=format_number(analysis.duplicates.redundant_messages),
            dup_size=format_size(analysis.duplicates.redundant_bytes),
        )
    )
    if analysis.trash.messages or analysis.junk.messages:
        console.print(
            _("Apart: Trash {trash}, Junk {junk}.").format(
                trash=format_size(analysis.trash.bytes), junk=format_size(analysis.junk.bytes)
            )
        )
    console.print(impact.keep_line, markup=False)
    console.print(impact.reclaim_line, markup=False)
    for note in analysis.notes:
        console.print(note, markup=False)
    for problem in analysis.errors:
        click.echo(f"{problem.folder} {problem.item}: {problem.message}", err=True)
