"""The ``menage impact`` calculator's output: estimate lines, sources and myths."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from menage import __version__
from menage.i18n import _, format_number
from menage.impact.factors import factors
from menage.impact.labels import describe
from menage.impact.model import Model
from menage.impact.myths import MYTHS
from menage.impact.summary import format_co2, format_kwh, format_water, proportion_sentence
from menage.impact.values import Impact, total


@dataclass
class Request:
    """What to estimate, in plain units (bytes, counts, hours, years)."""

    region: str = "france"
    years: float = 1.0
    storage: int | None = None
    local_storage: int | None = None
    mailbox: int | None = None
    emails_kept: int | None = None
    mail_size: int | None = None
    emails_sent: int | None = None
    emails_sent_attachment: int | None = None
    transfer: int | None = None
    mobile_transfer: int | None = None
    streaming_hours: float | None = None
    quality: str = "hd"
    ai_requests: int | None = None
    ai_images: int | None = None
    keep: dict[str, float] = field(default_factory=dict)
    buy: tuple[str, ...] = ()


def estimate(request: Request, model: Model | None = None) -> list[Impact]:
    """One impact per activity asked for, in the order of the options."""
    m = model or Model()
    rq, region, years = request, request.region, request.years
    lines: list[Impact] = []
    if rq.storage is not None:
        lines.append(m.storage_cloud(rq.storage, years, region))
    if rq.local_storage is not None:
        lines.append(m.storage_local(rq.local_storage, years, region))
    if rq.mailbox is not None:
        lines.append(m.mailbox(rq.mailbox, years, region))
    if rq.emails_kept is not None:
        lines.append(m.mail_kept(rq.emails_kept, rq.mail_size, years, region))
    if rq.emails_sent is not None:
        lines.append(m.mail_sent(rq.emails_sent, attachment=False, region=region))
    if rq.emails_sent_attachment is not None:
        lines.append(m.mail_sent(rq.emails_sent_attachment, attachment=True, region=region))
    if rq.transfer is not None:
        lines.append(m.transfer(rq.transfer, "fixed", region))
    if rq.mobile_transfer is not None:
        lines.append(m.transfer(rq.mobile_transfer, "mobile", region))
    if rq.streaming_hours is not None:
        lines.append(m.streaming(rq.streaming_hours, rq.quality, region))
    if rq.ai_requests is not None:
        lines.append(m.ai_text(rq.ai_requests))
    if rq.ai_images is not None:
        lines.append(m.ai_image(rq.ai_images))
    for device in rq.buy:
        lines.append(m.device_manufacturing(device))
    for device, extra_years in rq.keep.items():
        lines.append(m.device_life_extension(device, extra_years))
    return lines


def _grid_text(region: str) -> str:
    grid = factors()[f"elec_{region}"]
    names = {"france": _("France"), "europe": _("Europe"), "world": _("world")}
    return _("{region}, {value} gCO2e/kWh").format(
        region=names[region], value=format_number(grid.central, 1)
    )


def print_estimate(impacts: list[Impact], region: str, years: float) -> None:
    """Each line with its range and source keys, then totals and proportion."""
    click.echo(_("Impact estimate (use-phase electricity: {grid})").format(grid=_grid_text(region)))
    for impact in impacts:
        click.echo("")
        click.echo(describe(impact, years))
        parts = [format_co2(impact.kgco2e)]
        if impact.kwh is not None:
            parts.append(format_kwh(impact.kwh))
        if impact.water_l is not None:
            parts.append(_("water (indicative) {water}").format(water=format_water(impact.water_l)))
        click.echo("  " + " · ".join(parts))
        click.echo("  " + _("sources: {keys}").format(keys=", ".join(impact.sources)))
    footprint = [i for i in impacts if not i.avoided]
    avoided = [i for i in impacts if i.avoided]
    click.echo("")
    if footprint:
        kwh, co2 = total(footprint)
        click.echo(_("Footprint: {co2}, {kwh}").format(co2=format_co2(co2), kwh=format_kwh(kwh)))
    if avoided:
        _kwh, saved = total(avoided)
        click.echo(_("Avoided by keeping devices longer: {co2}").format(co2=format_co2(saved)))
    if footprint:
        click.echo(proportion_sentence(total(footprint)[1].central))
    click.echo("")
    click.echo(
        _(
            "Ranges are low–high across sources and scenarios. `menage impact --sources` "
            "lists every factor; `menage impact --myths` explains the figures not to repeat."
        )
    )


def estimate_to_dict(impacts: list[Impact], region: str, years: float) -> dict[str, Any]:
    footprint = [i for i in impacts if not i.avoided]
    avoided = [i for i in impacts if i.avoided]
    kwh, co2 = total(footprint)
    _kwh, saved = total(avoided)
    return {
        "menage": __version__,
        "region": region,
        "grid_gco2e_per_kwh": factors()[f"elec_{region}"].central,
        "period_years": round(years, 6),
        "lines": [{**i.to_dict(), "label": describe(i, years)} for i in impacts],
        "footprint": {"kwh": kwh.to_dict(), "kgco2e": co2.to_dict()},
        "avoided": {"kgco2e": saved.to_dict()},
        "message": proportion_sentence(co2.central) if footprint else None,
    }


def print_sources(as_json: bool = False) -> None:
    """Every factor with its value, range, unit, source, year and status."""
    table = factors()
    if as_json:
        from menage.cli._common import print_json

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
    click.echo(_("{n} factors, from {path}").format(n=format_number(len(table)), path=table.path))
    for f in table:
        value = format_number(f.central, _decimals(f.central))
        if f.varies:
            value = _("{central} ({low}–{high})").format(
                central=value,
                low=format_number(f.low, _decimals(f.low)),
                high=format_number(f.high, _decimals(f.high)),
            )
        click.echo("")
        click.echo(f"{f.key}: {value} {f.unit} [{status_names[f.status]}]")
        click.echo("  " + f.scope)
        click.echo("  " + _("source: {source} ({year})").format(source=f.source, year=f.year))
        click.echo("  " + _("reference: {reference}").format(reference=f.reference))
        if f.note:
            click.echo("  " + _("note: {note}").format(note=f.note))


def _decimals(value: float) -> int:
    text = f"{value:.6g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def print_myths(as_json: bool = False) -> None:
    """The contested figures, where they come from and why not to repeat them."""
    if as_json:
        from menage.cli._common import print_json

        print_json({"menage": __version__, "myths": [m.to_dict() for m in MYTHS]})
        return
    table = factors()
    for number, myth in enumerate(MYTHS, 1):
        if number > 1:
            click.echo("")
        click.echo(f"{number}. {_(myth.claim)}")
        click.echo("   " + _("Where from: {text}").format(text=_(myth.origin)))
        click.echo("   " + _("Why not: {text}").format(text=_(myth.why)))
        click.echo("   " + _("Instead: {text}").format(text=_(myth.instead)))
        keys = [k for k in (*myth.keys, *myth.instead_keys) if k in table]
        if keys:
            click.echo("   " + _("factors: {keys}").format(keys=", ".join(keys)))
