"""``menage impact``: energy, carbon and water of data, mail, video, AI and devices."""

from __future__ import annotations

from typing import Any

import click

from menage.cli._types import AGE, SIZE
from menage.i18n import _

REGIONS = ("france", "europe", "world")
QUALITIES = ("sd", "hd", "4k")
#: option name -> model device; "phone" is what people say
KEEP_OPTIONS = (
    ("phone", "smartphone"),
    ("tablet", "tablet"),
    ("laptop", "laptop"),
    ("desktop", "desktop"),
    ("monitor", "monitor"),
    ("printer", "printer"),
    ("tv", "tv"),
    ("server", "server"),
)
YEAR_S = 365.25 * 86400
COUNT = click.IntRange(min=0)
COUNT_OPTS: dict[str, Any] = {"type": COUNT, "metavar": "N"}


def _keep_options(command: Any) -> Any:
    for name, _device in reversed(KEEP_OPTIONS):
        command = click.option(
            f"--keep-{name}",
            f"keep_{name}",
            type=AGE,
            metavar="DURATION",
            help=_("What keeping this device longer avoids (e.g. 1y, 18m)."),
        )(command)
    return command


@click.command(
    help=_(
        "Estimate the energy, carbon and water of storage, mail, data, video, AI and "
        "devices, with the source of every figure and a range where sources disagree.\n\n"
        "Use-phase electricity follows --region (France by default). Water is shown "
        "only where sources allow, and is indicative.\n\n"
        "Examples:\n\n"
        "\b\n"
        "    menage impact --storage 10GB --emails-kept 20000 \\\n"
        "        --ai-requests 300 --keep-phone 1y\n"
        "    menage impact --region europe --streaming 10h --quality sd\n"
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
@click.option("--emails-sent", **COUNT_OPTS, help=_("Mails sent without attachment."))
@click.option(
    "--emails-sent-attachment", **COUNT_OPTS, help=_("Mails sent with a 1 MB attachment.")
)
@click.option("--transfer", type=SIZE, help=_("Data sent or received over a fixed network."))
@click.option("--mobile-transfer", type=SIZE, help=_("Data over a mobile network."))
@click.option("--streaming", type=AGE, metavar="DURATION", help=_("Video watched (e.g. 10h)."))
@click.option(
    "--quality",
    type=click.Choice(QUALITIES, case_sensitive=False),
    default="hd",
    show_default=True,
    help=_("Video quality."),
)
@click.option("--ai-requests", **COUNT_OPTS, help=_("AI chatbot requests."))
@click.option("--ai-images", **COUNT_OPTS, help=_("AI images generated."))
@_keep_options
@click.option(
    "--buy",
    multiple=True,
    type=click.Choice([name for name, _d in KEEP_OPTIONS], case_sensitive=False),
    help=_("The manufacturing of a new device (repeatable)."),
)
@click.option(
    "--for",
    "period",
    type=AGE,
    default="1y",
    show_default=True,
    metavar="DURATION",
    help=_("How long stored data and mail are kept."),
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
@click.option("--myths", "show_myths", is_flag=True, help=_("Explain the contested figures."))
def impact(**options: Any) -> None:
    from menage.cli._common import print_json
    from menage.impact.report import (
        Request,
        estimate,
        estimate_to_dict,
        print_estimate,
        print_myths,
        print_sources,
    )

    if options["show_sources"]:
        print_sources(as_json=options["as_json"])
        return
    if options["show_myths"]:
        print_myths(as_json=options["as_json"])
        return
    if options["mail_size"] is not None and options["emails_kept"] is None:
        raise click.UsageError(_("--mail-size is the average size of --emails-kept: give both"))
    streaming = options["streaming"]
    request = Request(
        region=options["region"].lower(),
        years=options["period"] / YEAR_S,
        storage=options["storage"],
        local_storage=options["local_storage"],
        mailbox=options["mailbox"],
        emails_kept=options["emails_kept"],
        mail_size=options["mail_size"],
        emails_sent=options["emails_sent"],
        emails_sent_attachment=options["emails_sent_attachment"],
        transfer=options["transfer"],
        mobile_transfer=options["mobile_transfer"],
        streaming_hours=streaming / 3600 if streaming is not None else None,
        quality=options["quality"].lower(),
        ai_requests=options["ai_requests"],
        ai_images=options["ai_images"],
        keep={
            device: options[f"keep_{name}"] / YEAR_S
            for name, device in KEEP_OPTIONS
            if options[f"keep_{name}"] is not None
        },
        buy=tuple(dict(KEEP_OPTIONS)[name.lower()] for name in options["buy"]),
    )
    impacts = estimate(request)
    if not impacts:
        raise click.UsageError(
            _(
                "say what to estimate, for example: menage impact --storage 10GB "
                "--keep-phone 1y (or --sources, --myths)"
            )
        )
    if options["as_json"]:
        print_json(estimate_to_dict(impacts, request.region, request.years))
    else:
        print_estimate(impacts, request.region, request.years)
