"""Terminal rendering of ``menage impact``: estimate lines, sheet, sources, myths."""

from __future__ import annotations

import click

from menage._version import __version__
from menage.cli._common import print_json
from menage.i18n import _, format_number, ngettext
from menage.impact.equivalences import car_km_text
from menage.impact.estimate import Estimate
from menage.impact.factor_texts import note_text, scope_text, unit_text
from menage.impact.factors import factors
from menage.impact.labels import describe, years_text
from menage.impact.myths import MYTHS, VERDICTS
from menage.impact.sheet import DeviceSheet
from menage.impact.summary import format_co2, format_kwh, format_water


def _grid_text(region: str) -> str:
    grid = factors()[f"elec_{region}"]
    names = {"france": _("France"), "europe": _("Europe"), "world": _("world")}
    return _("{region}, {value} gCO2e/kWh").format(
        region=names[region], value=format_number(grid.central, 1)
    )


def print_estimate(result: Estimate) -> None:
    """Each line with its range, car equivalence and source keys, then totals."""
    region, years = result.request.region, result.request.years
    click.echo(_("Impact estimate (use-phase electricity: {grid})").format(grid=_grid_text(region)))
    for impact in result.lines:
        click.echo("")
        click.echo(describe(impact, years))
        parts = [format_co2(impact.kgco2e)]
        if impact.kwh is not None:
            parts.append(format_kwh(impact.kwh))
        if impact.water_l is not None:
            parts.append(_("water (indicative) {water}").format(water=format_water(impact.water_l)))
        parts.append(car_km_text(impact.kgco2e.central))
        click.echo("  " + " · ".join(parts))
        click.echo("  " + _("sources: {keys}").format(keys=", ".join(impact.sources)))
    click.echo("")
    if result.has_footprint():
        kwh, co2 = result.footprint
        click.echo(
            _("Footprint: {co2}, {kwh} ({car})").format(
                co2=format_co2(co2), kwh=format_kwh(kwh), car=car_km_text(co2.central)
            )
        )
    if any(i.avoided for i in result.lines):
        saved = result.avoided
        click.echo(
            _(
                "Avoided by keeping devices longer or giving them a second life: {co2} ({car})"
            ).format(co2=format_co2(saved), car=car_km_text(saved.central))
        )
    message = result.message()
    if message:
        click.echo(message)
    for note in result.notes:
        click.echo(_("Note: {note}").format(note=note), err=True)
    click.echo("")
    click.echo(
        _(
            "Ranges are low–high across sources and scenarios. `menage impact --sources` "
            "lists every factor; `menage impact --myths` gives the verdict on figures that "
            "circulate."
        )
    )


def print_sheet(sheet: DeviceSheet) -> None:
    """The device sheet: manufacturing, a year of use, lifetimes, second life."""
    use = sheet.use_one_year
    click.echo(_("Device sheet: {device}").format(device=sheet.device.label()))
    click.echo(
        "  "
        + _("Manufacturing, distribution and end of life: {co2}").format(
            co2=format_co2(sheet.manufacturing.kgco2e)
        )
    )
    click.echo("  " + _("Usual lifespan: {years}").format(years=years_text(sheet.lifespan.central)))
    click.echo(
        "  "
        + _("A year of use: {kwh} ({watts} W, {hours} h a day), {co2} on the {grid} mix").format(
            kwh=format_kwh(use.kwh) if use.kwh is not None else "",
            watts=format_number(sheet.power_w.central, 1),
            hours=format_number(sheet.hours_per_day, 1),
            co2=format_co2(use.kgco2e),
            grid=_grid_text(sheet.region),
        )
    )
    click.echo("  " + _("Per year, by lifetime (manufacturing + use):"))
    for s in sheet.scenarios:
        click.echo(
            "    "
            + _("{years}: {make} + {use} = {total} (manufacturing {share})").format(
                years=years_text(s.years),
                make=format_co2(s.manufacturing_per_year),
                use=format_co2(s.use_per_year),
                total=format_co2(s.total_per_year),
                share=f"{format_number(round(s.manufacturing_fraction * 100))} %",
            )
        )
    keep = sheet.keep_one_year.kgco2e
    click.echo(
        "  "
        + _("Keeping it one more year avoids {co2} ({car})").format(
            co2=format_co2(keep), car=car_km_text(keep.central)
        )
    )
    click.echo(
        "  "
        + _("A second life avoids {co2} a year").format(
            co2=format_co2(sheet.second_life_one_year.kgco2e)
        )
    )
    if sheet.adpe_kgsbeq is not None:
        click.echo(
            "  "
            + _("Raw materials (abiotic depletion): {value} kg Sb eq").format(
                value=format_number(sheet.adpe_kgsbeq.central, 5)
            )
        )
    click.echo("  " + _("sources: {keys}").format(keys=", ".join(sheet.sources())))


def print_sources(as_json: bool = False) -> None:
    """Every factor with its value, range, unit, confidence, source, year and status."""
    table = factors()
    if as_json:
        print_json(
            {
                "menage": __version__,
                "factors": [
                    {
                        "key": f.key,
                        "low": f.low,
                        "central": f.central,
                        "high": f.high,
                        "unit": f.unit,
                        "scope": f.scope,
                        "source": f.source,
                        "year": f.year,
                        "reference": f.reference,
                        "status": f.status,
                        "kind": f.kind,
                        "confidence": f.confidence,
                        "verified": f.verified,
                        "note": f.note,
                    }
                    for f in table
                ],
            }
        )
        return
    status_names = {
        "used": _("used"),
        "reference": _("for comparison"),
        "contested": _("contested, not used"),
    }
    confidence_names = {"high": _("high"), "medium": _("medium"), "low": _("low")}
    click.echo(
        ngettext("{n} factor, from {path}", "{n} factors, from {path}", len(table)).format(
            n=format_number(len(table)), path=table.path
        )
    )
    for f in table:
        value = format_number(f.central, _decimals(f.central))
        if f.varies:
            value = _("{central} ({low}–{high})").format(
                central=value,
                low=format_number(f.low, _decimals(f.low)),
                high=format_number(f.high, _decimals(f.high)),
            )
        elif f.kind == "single":
            value = _("{value} (one source: no range known)").format(value=value)
        click.echo("")
        click.echo(
            _("{key}: {value} {unit} [{status}, confidence: {confidence}]").format(
                key=f.key,
                value=value,
                unit=unit_text(f.unit),
                status=status_names[f.status],
                confidence=confidence_names[f.confidence],
            )
        )
        click.echo("  " + scope_text(f.key, f.scope))
        click.echo("  " + _("source: {source} ({year})").format(source=f.source, year=f.year))
        click.echo("  " + _("reference: {reference}").format(reference=f.reference))
        if f.note:
            click.echo("  " + _("note: {note}").format(note=note_text(f.key, f.note)))


def _decimals(value: float) -> int:
    text = f"{value:.6g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def print_myths(as_json: bool = False) -> None:
    """The figures that circulate, each with its verdict, origin and source."""
    if as_json:
        print_json({"menage": __version__, "myths": [m.to_dict() for m in MYTHS]})
        return
    table = factors()
    for number, myth in enumerate(MYTHS, 1):
        if number > 1:
            click.echo("")
        click.echo(
            _("{n}. {claim} Verdict: {verdict}.").format(
                n=number, claim=_(myth.claim), verdict=_(VERDICTS[myth.verdict])
            )
        )
        click.echo("   " + _("Where from: {text}").format(text=_(myth.origin)))
        click.echo("   " + _("Why: {text}").format(text=_(myth.why)))
        click.echo("   " + _("Instead: {text}").format(text=_(myth.instead)))
        keys = [k for k in (*myth.keys, *myth.instead_keys) if k in table]
        if keys:
            click.echo("   " + _("factors: {keys}").format(keys=", ".join(keys)))
