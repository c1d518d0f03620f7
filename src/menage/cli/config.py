"""``menage config``: the effective configuration and where it comes from."""

from __future__ import annotations

import click

from menage.cli._options import json_option
from menage.i18n import _, ngettext


@click.command(
    name="config",
    help=_(
        "Show the effective configuration (default exclusions, keep rules, archives "
        "folders, language, quarantine retention) and the file it comes from: "
        "--config FILE, else MENAGE_CONFIG, else config.toml in your user configuration "
        "folder (--path shows it). --init writes a commented example there.\n\n"
        "Example:\n\n"
        "    menage config --init"
    ),
    short_help=_("Show or create the configuration file."),
)
@click.option("--path", "show_path", is_flag=True, help=_("Only print where the file is."))
@click.option(
    "--init",
    is_flag=True,
    help=_("Write a commented example file there (never over an existing one)."),
)
@json_option()
def config_command(show_path: bool, init: bool, as_json: bool) -> None:
    from menage import config
    from menage.cli._common import print_json

    path, origin = config.config_path()
    if show_path:
        click.echo(str(path))
        return
    if init:
        config.write_example(path)
        click.echo(
            _(
                "Example configuration written to {path}; edit it, then check it with "
                "`menage config`."
            ).format(path=path)
        )
        return
    current = config.load()
    if as_json:
        print_json({**current.as_dict(), "file": str(path), "exists": current.path is not None})
        return
    origins = {
        "--config": _("given with --config"),
        "MENAGE_CONFIG": _("given by MENAGE_CONFIG"),
        "default": _("the usual place"),
    }
    if current.path is None:
        click.echo(
            _(
                "No configuration file at {path} ({origin}): every default holds. "
                "`menage config --init` writes an example."
            ).format(path=path, origin=origins[origin])
        )
    else:
        click.echo(
            _("Configuration file: {path} ({origin}).").format(path=path, origin=origins[origin])
        )
    none = _("(none)")

    def row(key: str, label: str, value: str) -> None:
        where = _("from the file") if key in current.set_keys else _("default")
        click.echo(f"  {label:<28} {value}  [{where}]")

    from menage.i18n import format_number, language

    row(
        "language",
        _("Language"),
        current.language or _("from the environment ({code})").format(code=language()),
    )
    row("scan.exclude", _("Default exclusions"), ", ".join(current.exclude) or none)
    # "oldest" is the rule's keyword, typed as is in both languages
    row("plan.keep", _("Keep rules"), ", ".join(current.keep) or "oldest")
    row("plan.archives", _("Archives folders"), ", ".join(current.archives) or none)
    row(
        "quarantine.retention",
        _("Quarantine retention"),
        ngettext("{n} day", "{n} days", round(current.retention_days)).format(
            n=format_number(current.retention_days, digits=0)
        ),
    )
    click.echo(
        _("A file named {marker} in a folder also marks it as archives.").format(
            marker=config.ARCHIVES_MARKER
        )
    )
