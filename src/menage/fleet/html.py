"""The fleet footprint as a standalone HTML page: tables, an inline SVG chart, the method."""

from __future__ import annotations

import textwrap
from html import escape

from menage.fleet.footprint import FleetFootprint, Group, Scenario
from menage.i18n import _, decimal_count, format_number, format_percent, language, ngettext
from menage.impact.devices import device_type

BAR_WIDTH = 420


def _kg(value: float) -> str:
    return format_number(value, 0)


# charts are drawn 520 units wide with 16-unit text: about 11 px on a 390 px phone, and
# no larger than 18 px on a wide screen (the figure is kept under 36rem by the page)
WIDTH = 520
FONT = 16


def service_chart(groups: list[Group], chart_id: str = "chart") -> str:
    """Stacked bars (manufacturing, use) per service, each under its name; the numbers are
    also in the table."""
    shown = groups[:12]
    top = max((g.total.central for g in shown), default=0) or 1
    row = 50
    height = row * len(shown) + 30
    title = escape(_("Yearly footprint per service, kgCO2e"))
    no_service = _("(no service)")
    made_word, use_word = escape(_("manufacturing")), escape(_("use"))
    room = WIDTH - 70
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-title" width="100%" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{FONT}">',
        f'<title id="{chart_id}-title">{title}</title>',
        '<rect x="0" y="4" width="14" height="14" fill="#1f5f3a"/>',
        f'<text x="20" y="17">{made_word}</text>',
        '<rect x="190" y="4" width="14" height="14" fill="#8fb99c"/>',
        f'<text x="210" y="17">{use_word}</text>',
    ]
    for index, group in enumerate(shown):
        y = 30 + index * row
        made = room * group.manufacturing.central / top
        used = room * group.use.central / top
        name = escape((group.name or no_service)[:48])
        parts.append(f'<text x="0" y="{y + 16}">{name}</text>')
        parts.append(f'<rect x="0" y="{y + 22}" width="{made:.1f}" height="20" fill="#1f5f3a"/>')
        parts.append(
            f'<rect x="{made:.1f}" y="{y + 22}" width="{used:.1f}" height="20" fill="#8fb99c"/>'
        )
        parts.append(
            f'<text x="{made + used + 6:.1f}" y="{y + 38}">{_kg(group.total.central)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def scenario_title(scenario: Scenario) -> str:
    """``Keep laptops 6 years…`` / ``Buy refurbished for 30 % of replacements``."""
    if scenario.key == "extend_life":
        years = scenario.parameters.get("years", 0)
        return ngettext(
            "Keep laptops {years} year instead of their current life",
            "Keep laptops {years} years instead of their current life",
            decimal_count(years, 0),
        ).format(years=format_number(years, 0))
    return _("Buy refurbished for {percent} of replacements").format(
        percent=format_percent(scenario.parameters.get("share", 0), 0)
    )


def scenario_line(scenario: Scenario) -> str:
    """What the scenario avoids a year, in words."""
    devices = scenario.devices_per_year
    return ngettext(
        "{kg} kgCO2e avoided a year, {devices} device not bought a year",
        "{kg} kgCO2e avoided a year, {devices} devices not bought a year",
        decimal_count(devices),
    ).format(kg=_kg(scenario.kgco2e_per_year.central), devices=format_number(devices, 1))


def scenario_chart(result: FleetFootprint, chart_id: str = "scenarios") -> str:
    """The fleet's yearly footprint, then what each scenario avoids a year (bars with the
    low – high range drawn as a line): scenarios count replacements a year at a steady pace,
    so they are set beside the footprint, not subtracted from it."""
    total = result.total.total
    rows = [(_("The fleet today, a year"), total)] + [
        (_("Avoided a year: {title}").format(title=scenario_title(s)), s.kgco2e_per_year)
        for s in result.scenarios
    ]
    top = max([r.high for _label, r in rows] + [1.0])
    scale = (WIDTH - 70) / top
    body: list[str] = []
    y = 0
    for index, (label, value) in enumerate(rows):
        # long titles go on two lines rather than off the chart
        for line in textwrap.wrap(label, 52)[:2]:
            y += 20
            body.append(f'<text x="0" y="{y - 4}">{escape(line)}</text>')
        width = scale * value.central
        colour = "#1f5f3a" if index == 0 else "#0a4f8c"
        body.append(f'<rect x="0" y="{y + 2}" width="{width:.1f}" height="20" fill="{colour}"/>')
        body.append(
            f'<line x1="{scale * value.low:.1f}" x2="{scale * value.high:.1f}" y1="{y + 12}" '
            f'y2="{y + 12}" stroke="#161616" stroke-width="2"/>'
        )
        body.append(
            f'<text x="{max(width, scale * value.high) + 6:.1f}" y="{y + 18}">'
            f"{_kg(value.central)}</text>"
        )
        y += 32
    title = escape(_("Yearly footprint of the fleet and what each scenario avoids, kgCO2e"))
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-title" width="100%" '
        f'viewBox="0 0 {WIDTH} {y}" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{FONT}">',
        f'<title id="{chart_id}-title">{title}</title>',
        *body,
    ]
    parts.append("</svg>")
    return "".join(parts)


def _rows(groups: list[Group], label: str, types: bool = False) -> str:
    words = [
        escape(w)
        for w in (
            label,
            _("devices"),
            _("manufacturing, kgCO2e a year"),
            _("use, kgCO2e a year"),
            _("total, kgCO2e a year"),
        )
    ]
    no_service = _("(no service)")
    head = "<tr>" + "".join(f"<th scope='col'>{w}</th>" for w in words) + "</tr>"
    body = []
    for g in groups:
        name = device_type(g.name).label(plural=True) if types else (g.name or no_service)
        body.append(
            f"<tr><th scope='row'>{escape(name)}</th><td>{format_number(g.devices)}</td>"
            f"<td>{_kg(g.manufacturing.central)}</td><td>{_kg(g.use.central)}</td>"
            f"<td>{_kg(g.total.central)} ({_kg(g.total.low)}–{_kg(g.total.high)})</td></tr>"
        )
    return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def render_html(result: FleetFootprint, source: str = "") -> str:
    """A self-contained page (no script, no external file)."""
    from menage.fleet.footprint import METHOD

    total = result.total
    scenarios = []
    for s in result.scenarios:
        # the colon is in the message: French puts a no-break space before it
        line = _("{title}: {text}").format(
            title=f"<strong>{escape(scenario_title(s))}</strong>", text=escape(scenario_line(s))
        )
        scenarios.append(f"<li>{line}</li>")
    summary = ngettext(
        "{devices} device: manufacturing {made} kgCO2e a year (amortised), use {used} kgCO2e "
        "a year; between {low} and {high}.",
        "{devices} devices: manufacturing {made} kgCO2e a year (amortised), use {used} kgCO2e "
        "a year; between {low} and {high}.",
        total.devices,
    ).format(
        devices=format_number(total.devices),
        made=_kg(total.manufacturing.central),
        used=_kg(total.use.central),
        low=_kg(total.total.low),
        high=_kg(total.total.high),
    )
    words = {
        key: escape(text)
        for key, text in (
            ("title", _("Fleet footprint")),
            ("big", _("{kg} kgCO2e a year").format(kg=_kg(total.total.central))),
            ("services", _("Per service")),
            ("types", _("Per type")),
            ("scenarios", _("Scenarios")),
            ("method", _("Method")),
            ("method_text", _(METHOD)),
            ("warnings", _("Warnings")),
            ("summary", summary),
        )
    }
    service_table = _rows(result.services, _("service"))
    type_table = _rows(result.by_type, _("type"), types=True)
    warnings = "".join(f"<li>{escape(w)}</li>" for w in result.warnings)
    warning_block = f"<h2>{words['warnings']}</h2><ul>{warnings}</ul>" if warnings else ""
    return f"""<!DOCTYPE html>
<html lang="{language()}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{words["title"]}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;
line-height:1.5;color:#1e1e1e}}svg{{max-width:36rem;display:block}}table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;
border-bottom:1px solid #c9ccc4;padding:.3rem .5rem}}
.big{{font-size:1.6rem;font-weight:700}}</style>
</head><body><main>
<h1>{words["title"]}</h1>
<p>{escape(source)}</p>
<p class="big">{words["big"]}</p>
<p>{words["summary"]}</p>
<h2>{words["services"]}</h2>
{service_chart(result.services)}
{service_table}
<h2>{words["types"]}</h2>
{type_table}
<h2>{words["scenarios"]}</h2>
{scenario_chart(result)}
<ul>{"".join(scenarios)}</ul>
<h2>{words["method"]}</h2>
<p>{words["method_text"]}</p>
{warning_block}
</main></body></html>
"""
