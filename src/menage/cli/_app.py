"""The top-level ``menage`` group and the list of commands."""

from __future__ import annotations

from pathlib import Path

import click

from menage._version import __version__
from menage.cli._common import CommandFailed, MenageGroup
from menage.cli._metavars import localise
from menage.cli.apply import apply
from menage.cli.clean import clean
from menage.cli.config import config_command
from menage.cli.demo import demo_data
from menage.cli.fleet import fleet
from menage.cli.history import history
from menage.cli.impact import impact
from menage.cli.mail import mail
from menage.cli.photos import photos
from menage.cli.plan import plan
from menage.cli.purge import purge
from menage.cli.review import review
from menage.cli.scan import scan
from menage.cli.scans import scans
from menage.cli.serve import platform, serve
from menage.cli.submit import submit
from menage.cli.undo import undo
from menage.i18n import LANGUAGES, _


@click.group(
    cls=MenageGroup,
    help=_(
        "Ménage: clean up files, mail and photos, safely, and measure the impact.\n\n"
        "To start: `menage scan ~/Documents`, then `menage plan --duplicates -o plan.jsonl`, "
        "read the plan, `menage apply plan.jsonl`; `menage undo` puts everything back. "
        "To try on a sample folder first: `menage demo-data sample`.\n\n"
        "Exit codes: 0 success, 1 error, 2 usage error, 3 incomplete result (some "
        "entries could not be read or cleaned; they are listed), 4 index problem, 5 no "
        "space left, 6 invalid plan file, 7 cleanup journal problem, 8 not confirmed, "
        "130 interrupted."
    ),
)
@click.version_option(__version__, prog_name="menage", message="%(prog)s %(version)s")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    help=_(
        "Language of messages and reports (default: MENAGE_LANG, the configuration file, "
        "the environment, else French)."
    ),
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_(
        "Configuration file to read instead of the usual one (also MENAGE_CONFIG); "
        "`menage config --path` shows where that is."
    ),
)
@click.pass_context
def cli(ctx: click.Context, lang: str | None, config_file: Path | None) -> None:
    # --lang was applied before this module was imported (see menage.cli.main)
    from menage import config

    config.use_file(config_file)
    if ctx.invoked_subcommand == "config":
        return  # `menage config` says what is wrong itself, and can write a new file
    try:
        config.load()  # a mistake in the file stops every command, named by its line
    except config.ConfigInvalid as exc:
        raise CommandFailed(exc.message, exc.exit_code) from None


#: the commands in the order of the work, as ``menage --help`` lists them
COMMANDS = (
    scan,
    review,
    plan,
    apply,
    undo,
    purge,
    clean,
    history,
    scans,
    photos,
    mail,
    impact,
    submit,
    serve,
    fleet,
    platform,
    config_command,
    demo_data,
)
for command in COMMANDS:
    cli.add_command(command)
localise(cli)
