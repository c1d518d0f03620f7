"""``menage serve`` and ``menage platform``: the campaign platform (optional extra ``platform``)."""

from __future__ import annotations

import click

from menage.i18n import _, format_number, ngettext

INSTALL_HINT = _(
    "The campaign platform is an optional part of Ménage. Install it with:\n\n"
    "    pip install 'menage[platform]'"
)


def _platform_installed() -> bool:
    # find_spec looks for the packages without importing them (ninja needs settings)
    from importlib.util import find_spec

    try:
        return all(find_spec(name) is not None for name in ("django", "ninja", "whitenoise"))
    except (ImportError, ValueError):
        return False


def _require_platform() -> None:
    if not _platform_installed():
        from menage.errors import PlatformMissing

        raise PlatformMissing(hint=INSTALL_HINT)


@click.command(
    "serve",
    help=_(
        "Run the campaign platform: organisations publish their cleanup week, its "
        "events and collection points; residents find them.\n\n"
        "Migrations are applied to the embedded SQLite database under the Ménage home "
        "(or DATABASE_URL). For production, see the README (gunicorn, PostgreSQL).\n\n"
        "Example:\n\n"
        "    menage serve --demo"
    ),
    short_help=_("Run the campaign platform (web site)."),
)
@click.option("--demo", is_flag=True, help=_("Load the demo: a city's week and a school district."))
@click.option("--host", default="127.0.0.1", show_default=True, help=_("Address to listen on."))
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help=_("Port.")
)
@click.option(
    "--create-admin",
    is_flag=True,
    help=_("Create a platform admin account (asks for a name and password), then stop."),
)
@click.option(
    "--setup-only",
    is_flag=True,
    help=_("Prepare the database (and the demo), then stop without serving."),
)
def serve(demo: bool, host: str, port: int, create_admin: bool, setup_only: bool) -> None:
    _require_platform()
    from menage.platform import runner

    runner.allow_host(host)
    runner.site_url(host, port)
    prepared = runner.prepare(demo=demo)
    click.echo(_("Database: {where}").format(where=prepared.database), err=True)
    if prepared.demo is not None:
        if prepared.demo.created:
            click.echo(
                _("Demo loaded: {campaigns}, {events}, {points}.").format(
                    campaigns=ngettext(
                        "{n} campaign", "{n} campaigns", prepared.demo.campaigns
                    ).format(n=format_number(prepared.demo.campaigns)),
                    events=ngettext("{n} event", "{n} events", prepared.demo.events).format(
                        n=format_number(prepared.demo.events)
                    ),
                    points=ngettext(
                        "{n} collection point", "{n} collection points", prepared.demo.points
                    ).format(n=format_number(prepared.demo.points)),
                ),
                err=True,
            )
            click.echo(
                _("Demo accounts (password: {password}):").format(password=prepared.demo.password),
                err=True,
            )
            for username, role in prepared.demo.accounts:
                click.echo(f"  {username}  {role}", err=True)
        else:
            click.echo(
                _(
                    "The demo is already loaded. To sign in as one of its accounts, set a "
                    "password: menage platform changepassword marie.dupont"
                ),
                err=True,
            )
    if create_admin:
        runner.create_admin()
        return
    if setup_only:
        shown = f"[{host}]" if ":" in host else host
        click.echo(
            _("Ready. Start the platform with: {command}, then open http://{host}:{port}/").format(
                command="menage serve --demo" if demo else "menage serve", host=shown, port=port
            ),
            err=True,
        )
        return
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        _(
            "The platform runs at http://{host}:{port}/ (Ctrl-C to stop), with its "
            "background worker (mails, reminders)."
        ).format(host=shown, port=port),
        err=True,
    )
    runner.run_server(host, port)


@click.command(
    "platform",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
    help=_(
        "Run a management command of the campaign platform (Django's manage.py), with the "
        "same settings as `menage serve`.\n\n"
        "Examples:\n\n"
        "    menage platform createsuperuser\n\n"
        "    menage platform purge_registrations --dry-run\n\n"
        "    menage platform help"
    ),
    short_help=_("Platform management commands (createsuperuser, purge_registrations…)."),
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def platform(args: tuple[str, ...]) -> None:
    _require_platform()
    from menage.platform import runner

    runner.manage(list(args) or ["help"])
