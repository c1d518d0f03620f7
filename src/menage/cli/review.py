"""``menage review``: the review page, in the browser of this computer."""

from __future__ import annotations

import click

from menage.i18n import _


@click.command(
    help=_(
        "Open a page in your browser to choose folders, see what can be cleaned and "
        "its footprint, tick duplicates, big and old files, put them in Ménage's bin, "
        "and undo. The page is served by this computer only (127.0.0.1, a secret "
        "address) and stops when you click “Finish” or after a while without use.\n\n"
        "Without PATH, it offers your personal folder, Documents, Pictures and a "
        "phone's DCIM folder; with PATH, only those folders.\n\n"
        "Example:\n\n"
        "    menage review ~/Documents ~/Images"
    ),
    short_help=_("Review and clean your files in the browser."),
)
@click.argument("paths", nargs=-1, type=click.Path(file_okay=False, exists=True))
@click.option("--no-browser", is_flag=True, help=_("Do not open the browser; print the address."))
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help=_("Stop after this many minutes without use."),
)
@click.option(
    "--install-shortcut",
    is_flag=True,
    help=_("Add a “Ménage” shortcut to the applications menu (Linux), then stop."),
)
def review(paths: tuple[str, ...], no_browser: bool, timeout: int, install_shortcut: bool) -> None:
    from menage.review import Review, ReviewServer, offered_folders
    from menage.workspace import Workspace

    if install_shortcut:
        from menage.review import install_shortcut as install

        click.echo(_("Shortcut written: {path}").format(path=install()))
        return
    server = ReviewServer(Review(Workspace(), offered_folders(paths), timeout_s=timeout * 60))
    server.start()
    click.echo(_("The review page is open at this address (keep it to yourself):"))
    click.echo(server.url)
    if not no_browser:
        import webbrowser

        if not webbrowser.open(server.url):
            click.echo(_("Open it in your browser."), err=True)
    click.echo(_("Click “Finish” on the page, or press Ctrl+C here, to stop."), err=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        server.stop()
    click.echo(_("The review page has stopped."), err=True)
