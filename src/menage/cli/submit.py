"""``menage submit``: send what this workspace cleaned to a campaign's platform."""

from __future__ import annotations

import datetime as dt

import click

from menage.cli._options import yes_option
from menage.i18n import _, ngettext

CHANNEL_NAMES = {
    "computer": _("computer"),
    "file_server": _("file server"),
    "mail": _("mail"),
    "phone": _("phone"),
    "cloud": _("cloud"),
}


def echo(text: str) -> None:
    click.echo(text, err=True)


@click.command(
    help=_(
        "Send to a campaign what you cleaned since a date: numbers only (files and bytes "
        "freed, by kind of finding), never a file name, a path, a mail address or a "
        "subject. Shows exactly what will be sent and asks first. Sending again replaces "
        "what you sent before (after an undo, it sends the correction).\n\n"
        "Example:\n\n"
        "    menage submit --campaign https://menage.example.org/api/v1/campaigns/VAL7K3QM"
    ),
    short_help=_("Send your cleanup measures to a campaign."),
)
@click.option(
    "--campaign",
    "campaign",
    required=True,
    help=_("The campaign's code (from its poster) or its full address."),
)
@click.option("--server", help=_("The platform's address, for a bare code ($MENAGE_SERVER)."))
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help=_("Count cleanups from this day (YYYY-MM-DD; default: the campaign's first day)."),
)
@click.option(
    "--channel",
    type=click.Choice(sorted(CHANNEL_NAMES)),
    default="computer",
    show_default=True,
    help=_("Where you cleaned."),
)
@yes_option()
def submit(
    campaign: str, server: str | None, since: dt.datetime | None, channel: str, yes: bool
) -> None:
    from menage.clean.journal import Journal, default_journal_path
    from menage.cli._clean import confirm
    from menage.home import menage_home
    from menage.i18n import format_number, format_size
    from menage.measures import submit as lib

    base, code = lib.resolve(campaign, server)
    info = lib.campaign_info(base, code)
    if not info.open:
        raise lib.CampaignClosed(campaign=info.campaign)
    start = since.date() if since else dt.date.fromisoformat(info.starts_on)
    with Journal(default_journal_path(), lock=False) as journal:
        totals = lib.aggregate(journal, start)
    key = lib.submission_key(lib.workspace_id(menage_home()), code, channel)
    payload = lib.body(totals, key=key, since=start, channel=channel)
    echo(
        _("Campaign: {campaign} ({organisation}), on {server}").format(
            campaign=info.campaign, organisation=info.organisation, server=base
        )
    )
    echo(
        ngettext(
            "What will be sent ({runs} cleanup since {since}, {channel}):",
            "What will be sent ({runs} cleanups since {since}, {channel}):",
            totals["runs"],
        ).format(
            runs=format_number(totals["runs"]), since=start.isoformat(),
            channel=CHANNEL_NAMES[channel],
        )
    )  # fmt: skip
    echo(
        _("  left your folders: {files}, {size}").format(
            files=ngettext("{n} file", "{n} files", payload["moved_files"]).format(
                n=format_number(payload["moved_files"])
            ),
            size=format_size(payload["moved_bytes"]),
        )
    )
    echo(_("  freed on disk (purged): {size}").format(size=format_size(payload["freed_bytes"])))
    echo(_("  restored by an undo: {size}").format(size=format_size(payload["restored_bytes"])))
    for name, counts in payload["by_finding"].items():
        echo(
            _("  {finding}: {files}, {size}").format(
                finding=name,
                files=ngettext("{n} file", "{n} files", counts["files"]).format(
                    n=format_number(counts["files"])
                ),
                size=format_size(counts["bytes"]),
            )
        )
    if payload["mails_deleted"]:
        echo(_("  mails deleted: {n}").format(n=format_number(payload["mails_deleted"])))
    echo(_("No file name, path, mail address or subject is sent."))
    confirm(_("Send these numbers?"), yes)
    replaced, status = lib.send(base, code, payload, campaign=info.campaign)
    if replaced:
        message = _("Sent: it replaces what you sent before (no double count).")
    else:
        message = _("Sent: thank you for taking part!")
    echo(message)
    if status == "pending_review":
        echo(_("The organisers will check these numbers before they count."))
