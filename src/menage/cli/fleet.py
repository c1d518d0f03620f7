"""``menage fleet``: the yearly footprint of an equipment inventory, and two scenarios."""

from __future__ import annotations

from pathlib import Path

import click

from menage.cli._common import print_json
from menage.i18n import _, decimal_count, format_number, format_percent, ngettext
from menage.impact.required import REGIONS


def _pairs(values: tuple[str, ...], what: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in values:
        key, sep, target = value.partition("=")
        if not sep or not key.strip() or not target.strip():
            raise click.BadParameter(_("expected NAME=VALUE, got “{value}”").format(value=value))
        found[key.strip()] = target.strip()
    return found


@click.command(
    help=_(
        "Yearly footprint of an equipment inventory (CSV): manufacturing amortised over "
        "each device's life plus use, per service and in total, and what keeping laptops "
        "longer or buying refurbished would avoid. Reads Ménage's format and GLPI's "
        "computer export; works offline.\n\n"
        "Example:\n\n"
        "    menage fleet parc.csv --html parc.html"
    ),
    short_help=_("Footprint of an equipment inventory (CSV), with scenarios."),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("Write an HTML report to this file."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON instead of text."))
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=HEADER",
    help=_("Read a field from another column, e.g. type=Catégorie (repeatable)."),
)
@click.option(
    "--map-type",
    "types",
    multiple=True,
    metavar="WORD=TYPE",
    help=_("Count a type word as one of Ménage's device types, e.g. Tour=desktop."),
)
@click.option(
    "--region",
    type=click.Choice(REGIONS),
    default="france",
    show_default=True,
    help=_("Electricity mix of the use phase."),
)
@click.option(
    "--extend-to",
    type=click.FloatRange(1, 30),
    default=6.0,
    show_default=True,
    help=_("Longer-life scenario: laptops kept this many years."),
)
@click.option(
    "--refurbished",
    type=click.FloatRange(0, 100),
    default=30.0,
    show_default=True,
    help=_("Refurbished scenario: percent of replacements bought refurbished."),
)
def fleet(
    file: Path,
    html_path: Path | None,
    as_json: bool,
    columns: tuple[str, ...],
    types: tuple[str, ...],
    region: str,
    extend_to: float,
    refurbished: float,
) -> None:
    from menage.errors import OutputNotWritten, ReportNotWritten
    from menage.fleet import InventoryError, fleet_footprint, read_inventory
    from menage.fleet.html import render_html

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise click.FileError(str(file), exc.strerror) from None
    try:
        inventory = read_inventory(
            data,
            name=file.name,
            mapping=_pairs(columns, "column"),
            types=_pairs(types, "type"),
        )
    except InventoryError as error:
        for problem in error.problems:
            click.echo(f"{file.name}: {problem}", err=True)
        raise
    result = fleet_footprint(
        inventory, region=region, extend_to_years=extend_to, refurbished_share=refurbished / 100
    )
    if html_path is not None:
        from menage.output import write_output

        try:
            write_output(html_path, render_html(result, file.name).encode())
        except OutputNotWritten as exc:
            raise ReportNotWritten(**exc.fields) from None
    if as_json:
        print_json(result.to_dict())
        return
    for warning in result.warnings:
        click.echo(_("warning: {text}").format(text=warning), err=True)
    total = result.total
    click.echo(
        ngettext(
            "{devices} device: {kg} kgCO2e a year (manufacturing {made}, use {used})",
            "{devices} devices: {kg} kgCO2e a year (manufacturing {made}, use {used})",
            total.devices,
        ).format(
            devices=format_number(total.devices),
            kg=format_number(total.total.central),
            made=format_number(total.manufacturing.central),
            used=format_number(total.use.central),
        )
    )
    for group in result.services:
        click.echo(
            "  "
            + ngettext(
                "{service}: {devices} device, {kg} kgCO2e a year",
                "{service}: {devices} devices, {kg} kgCO2e a year",
                group.devices,
            ).format(
                service=group.name or _("(no service)"),
                devices=format_number(group.devices),
                kg=format_number(group.total.central),
            )
        )
    longer, refurb = result.scenarios
    click.echo(
        ngettext(
            "Keeping laptops {years} years: {kg} kgCO2e and {n} laptop avoided a year",
            "Keeping laptops {years} years: {kg} kgCO2e and {n} laptops avoided a year",
            decimal_count(longer.devices_per_year),
        ).format(
            years=format_number(extend_to, 0),
            kg=format_number(longer.kgco2e_per_year.central),
            n=format_number(longer.devices_per_year, 1),
        )
    )
    click.echo(
        ngettext(
            "Buying {pct} refurbished: {kg} kgCO2e and {n} new device avoided a year",
            "Buying {pct} refurbished: {kg} kgCO2e and {n} new devices avoided a year",
            decimal_count(refurb.devices_per_year),
        ).format(
            pct=format_percent(refurbished / 100, 0),
            kg=format_number(refurb.kgco2e_per_year.central),
            n=format_number(refurb.devices_per_year, 1),
        )
    )
    if html_path is not None:
        click.echo(_("HTML report: {path}").format(path=html_path))
