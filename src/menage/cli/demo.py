"""``menage demo-data``: make a sample folder to try Ménage on."""

from __future__ import annotations

from pathlib import Path

import click

from menage.i18n import _, format_number, format_size, ngettext


@click.command(
    "demo-data",
    help=_(
        "Create a realistic sample folder (documents, photos, duplicates, an old backup "
        "copy, temporary files, empty files) to try Ménage on.\n\n"
        "Example:\n\n"
        "    menage demo-data ~/menage-demo && menage scan ~/menage-demo"
    ),
    short_help=_("Create a sample folder to try Ménage on."),
)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help=_("Replace the folder if it is not empty."))
@click.option(
    "--seed",
    type=int,
    default=2024,
    show_default=True,
    help=_("Random seed: the same seed gives the same files."),
)
def demo_data(folder: Path, force: bool, seed: int) -> None:
    from menage.demo.sample import make_sample

    summary = make_sample(folder, seed=seed, force=force)
    click.echo(
        _("Sample folder {path}: {files}, {size}, {dups}.").format(
            path=folder,
            files=ngettext("{n} file", "{n} files", summary.files).format(
                n=format_number(summary.files)
            ),
            size=format_size(summary.bytes),
            dups=ngettext(
                "{n} of them a duplicate", "{n} of them duplicates", summary.duplicate_files
            ).format(n=format_number(summary.duplicate_files)),
        )
    )
