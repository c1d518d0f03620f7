"""``menage impact``: energy, carbon and water of data, mail, video, AI and devices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from menage.cli._types import AGE, SIZE, age_default, age_help
from menage.i18n import _
from menage.impact.devices import ALIASES, IMPACT_DEVICES, device_type
from menage.impact.required import CALL_QUALITIES, QUALITIES, REGIONS

YEAR_S = 365.25 * 86400
COUNT = click.IntRange(min=0)
COUNT_OPTS: dict[str, Any] = {"type": COUNT, "metavar": "N"}
DEVICE_CHOICE = click.Choice([*IMPACT_DEVICES, *ALIASES], case_sensitive=False)

__all__ = ["REGIONS", "impact"]


def _keep_options(command: Any) -> Any:
    for code in reversed(IMPACT_DEVICES):
        command = click.option(
            f"--keep-{code}",
            f"keep_{code}",
            type=AGE,
            metavar="DURATION",
            help=age_help(
                _("Keep the {device} this much longer: what it avoids (e.g. {syntax}).").replace(
                    "{device}", device_type(code).label()
                )
            ),
        )(command)
    return command


def _reused(values: tuple[str, ...]) -> dict[str, int]:
    from menage.impact.devices import impact_device

    found: dict[str, int] = {}
    for value in values:
        code, _sep, number = value.partition("=")
        try:
            count = int(number) if number else 1
            device = impact_device(code.strip().lower())
        except ValueError:
            raise click.BadParameter(
                _("expected DEVICE=N with DEVICE one of {devices}").format(
                    devices=", ".join(IMPACT_DEVICES)
                ),
                param_hint="--reused",
            ) from None
        if count < 0:
            raise click.BadParameter(_("must be zero or more"), param_hint="--reused")
        found[device] = found.get(device, 0) + count
    return found


@click.command(
    help=_(
        "Estimate the energy, carbon and water of storage, mail, data, video, calls, "
        "searches, AI and devices, with the source of every figure and a range where "
        "sources disagree.\n\n"
        "Use-phase electricity follows --region (France by default). Water is shown "
        "only where sources allow, and is indicative. --emails-sent already counts 10 "
        "years of storage of each mail on both sides; --mailbox and --emails-kept "
        "describe one mailbox, so give one of them.\n\n"
        "Examples:\n\n"
        "\b\n"
        "    menage impact --storage 10GB --emails-kept 20000 \\\n"
        "        --ai-requests 300 --keep-phone 1y\n"
        "    menage impact --emails-sent 10 --recipients 5 --sent-size 2MB\n"
        "    menage impact --video-call 1h --participants 4 --web-searches 50\n"
        "    menage impact --device laptop --html laptop.html\n"
        "    menage impact --reused phone=3 --reused laptop=1\n"
        "    menage impact --sources\n"
        "    menage impact --myths"
    ),
    short_help=_("Energy, CO2 and water of data, mail, AI and devices, with sources."),
)
@click.option("--storage", type=SIZE, help=_("Data kept in a data centre (e.g. 10GB)."))
@click.option("--local-storage", type=SIZE, help=_("Data kept on a local disk."))
@click.option("--mailbox", type=SIZE, help=_("Size of a mailbox kept on a server."))
@click.option("--emails-kept", **COUNT_OPTS, help=_("Number of mails kept in a mailbox."))
@click.option(
    "--mail-size", type=SIZE, help=_("Average size of the mails kept (default: sourced).")
)
@click.option(
    "--emails-sent",
    **COUNT_OPTS,
    help=_("Mails sent (writing, reading, network, 10 years of storage on both sides)."),
)
@click.option(
    "--emails-sent-attachment", **COUNT_OPTS, help=_("Mails sent with a 1 MB attachment.")
)
@click.option("--sent-size", type=SIZE, help=_("Average size of the mails sent (default 75 kB)."))
@click.option(
    "--recipients",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="N",
    help=_("Recipients of each mail sent."),
)
@click.option("--transfer", type=SIZE, help=_("Data sent or received over a fixed network."))
@click.option("--mobile-transfer", type=SIZE, help=_("Data over a mobile network."))
@click.option(
    "--file-transfer",
    type=SIZE,
    help=_("A file sent through an online service (network and servers)."),
)
@click.option("--streaming", type=AGE, metavar="DURATION", help=_("Video watched (e.g. 10h)."))
@click.option(
    "--quality",
    type=click.Choice(QUALITIES, case_sensitive=False),
    default="hd",
    show_default=True,
    help=_("Video quality."),
)
@click.option("--video-call", type=AGE, metavar="DURATION", help=_("Video call (e.g. 1h)."))
@click.option(
    "--participants",
    type=click.IntRange(min=2),
    default=2,
    show_default=True,
    metavar="N",
    help=_("Places in the video call, each on a laptop."),
)
@click.option(
    "--call-quality",
    type=click.Choice(CALL_QUALITIES, case_sensitive=False),
    default="sd",
    show_default=True,
    help=_("Video call quality."),
)
@click.option("--web-searches", **COUNT_OPTS, help=_("Web searches."))
@click.option("--ai-requests", **COUNT_OPTS, help=_("AI chatbot requests."))
@click.option(
    "--ai-images",
    **COUNT_OPTS,
    help=_("AI images generated (the range across models is wide)."),
)
@_keep_options
@click.option(
    "--buy",
    multiple=True,
    type=DEVICE_CHOICE,
    metavar="DEVICE",
    help=_("The manufacturing of a new device (repeatable): phone, laptop, tv..."),
)
@click.option(
    "--reused",
    multiple=True,
    metavar="DEVICE=N",
    help=_("Devices given a second life instead of new ones, for --for (repeatable)."),
)
@click.option(
    "--device",
    "sheet_device",
    type=DEVICE_CHOICE,
    metavar="DEVICE",
    help=_(
        "The device sheet (phone, tablet, laptop, desktop, monitor, tv, printer, box, "
        "projector, server): manufacturing against use over lifetimes of 3 to 6 years."
    ),
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help=_("Write the device sheet as an HTML page with a chart (with --device)."),
)
@click.option(
    "--for",
    "period",
    type=AGE,
    default=age_default("1y"),
    show_default=True,
    metavar="DURATION",
    help=_("How long stored data and mail are kept, and reused devices used."),
)
@click.option(
    "--region",
    type=click.Choice(REGIONS, case_sensitive=False),
    default="france",
    show_default=True,
    help=_("Electricity mix of the use phase."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print the result as JSON."))
@click.option(
    "--sources", "show_sources", is_flag=True, help=_("List every factor with its source.")
)
@click.option(
    "--myths", "show_myths", is_flag=True, help=_("The verdict on figures that circulate.")
)
def impact(**options: Any) -> None:
    from menage.cli import impact_view
    from menage.cli._common import print_json
    from menage.impact.devices import impact_device
    from menage.impact.estimate import Request, RequestError, estimate

    if options["show_sources"]:
        impact_view.print_sources(as_json=options["as_json"])
        return
    if options["show_myths"]:
        impact_view.print_myths(as_json=options["as_json"])
        return
    region = options["region"].lower()
    if options["html_path"] is not None and options["sheet_device"] is None:
        raise click.UsageError(_("--html writes the device sheet: give --device too"))
    if options["sheet_device"] is not None:
        _sheet(impact_device(options["sheet_device"].lower()), region, options)
        return
    years = options["period"] / YEAR_S
    streaming, call = options["streaming"], options["video_call"]
    request = Request(
        region=region,
        years=years,
        storage=options["storage"],
        local_storage=options["local_storage"],
        mailbox=options["mailbox"],
        emails_kept=options["emails_kept"],
        mail_size=options["mail_size"],
        emails_sent=options["emails_sent"],
        emails_sent_attachment=options["emails_sent_attachment"],
        sent_size=options["sent_size"],
        recipients=options["recipients"],
        transfer=options["transfer"],
        mobile_transfer=options["mobile_transfer"],
        file_transfer=options["file_transfer"],
        streaming_hours=streaming / 3600 if streaming is not None else None,
        quality=options["quality"].lower(),
        call_hours=call / 3600 if call is not None else None,
        call_participants=options["participants"],
        call_quality=options["call_quality"].lower(),
        web_searches=options["web_searches"],
        ai_requests=options["ai_requests"],
        ai_images=options["ai_images"],
        keep={
            code: options[f"keep_{code}"] / YEAR_S
            for code in IMPACT_DEVICES
            if options[f"keep_{code}"] is not None
        },
        buy=tuple(impact_device(name.lower()) for name in options["buy"]),
        reused=_reused(options["reused"]),
    )
    try:
        result = estimate(request)
    except RequestError as exc:
        raise click.UsageError(str(exc)) from None
    if not result.lines:
        raise click.UsageError(
            _(
                "say what to estimate, for example: menage impact --storage 10GB "
                "--keep-phone 1y (or --device laptop, --sources, --myths)"
            )
        )
    if options["as_json"]:
        print_json(result.to_dict())
    else:
        impact_view.print_estimate(result)


def _sheet(device: str, region: str, options: dict[str, Any]) -> None:
    from menage._version import __version__
    from menage.cli import impact_view
    from menage.cli._common import print_json
    from menage.impact.sheet import device_sheet

    sheet = device_sheet(device, region)
    if options["html_path"] is not None:
        from menage.errors import OutputNotWritten, ReportNotWritten
        from menage.impact.sheet_html import device_sheet_html
        from menage.output import write_output

        try:
            write_output(options["html_path"], device_sheet_html(sheet).encode("utf-8"))
        except OutputNotWritten as exc:
            raise ReportNotWritten(**exc.fields) from None
    if options["as_json"]:
        print_json({"menage": __version__, "sheet": sheet.to_dict()})
    else:
        impact_view.print_sheet(sheet)
        if options["html_path"] is not None:
            click.echo(_("HTML sheet: {path}").format(path=options["html_path"]))
