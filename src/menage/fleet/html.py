"""The fleet footprint as a standalone HTML page: tables, an inline SVG chart, the method."""

from __future__ import annotations

from html import escape

from menage.fleet.footprint import FleetFootprint, Group
from menage.i18n import _, format_number, language
from menage.impact.devices import device_type

BAR_WIDTH = 420


def _kg(value: float) -> str:
    return format_number(value, 0)


def _chart(groups: list[Group]) -> str:
    """Horizontal stacked bars (manufacturing, use) per service; numbers also in the table."""
    shown = groups[:12]
    top = max((g.total.central for g in shown), default=0) or 1
    row = 28
    height = row * len(shown) + 30
    title = escape(_("Yearly footprint per service, kgCO2e"))
    no_service = _("(no service)")
    made_word, use_word = escape(_("manufacturing")), escape(_("use"))
    parts = [
        f'<svg role="img" aria-labelledby="chart-title" width="100%" viewBox="0 0 700 {height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{title}</title>',
    ]
    for index, group in enumerate(shown):
        y = index * row
        made = BAR_WIDTH * group.manufacturing.central / top
        used = BAR_WIDTH * group.use.central / top
        name = escape(group.name or no_service)
        parts.append(f'<text x="0" y="{y + 18}" font-size="13">{name[:28]}</text>')
        parts.append(f'<rect x="200" y="{y + 5}" width="{made:.1f}" height="18" fill="#1f5f3a"/>')
        parts.append(
            f'<rect x="{200 + made:.1f}" y="{y + 5}" width="{used:.1f}" height="18" '
            'fill="#8fb99c"/>'
        )
        parts.append(
            f'<text x="{205 + made + used:.1f}" y="{y + 18}" font-size="13">'
            f"{_kg(group.total.central)}</text>"
        )
    legend_y = height - 8
    parts.append(f'<rect x="200" y="{legend_y - 11}" width="12" height="12" fill="#1f5f3a"/>')
    parts.append(f'<text x="216" y="{legend_y}" font-size="13">{made_word}</text>')
    parts.append(f'<rect x="340" y="{legend_y - 11}" width="12" height="12" fill="#8fb99c"/>')
    parts.append(f'<text x="356" y="{legend_y}" font-size="13">{use_word}</text>')
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
    titles = {
        "extend_life": _("Keep laptops {years} years instead of their current life"),
        "buy_refurbished": _("Buy refurbished for {percent} % of replacements"),
    }
    scenarios = []
    for s in result.scenarios:
        title = titles[s.key].format(
            years=format_number(s.parameters.get("years", 0), 0),
            percent=format_number(100 * s.parameters.get("share", 0), 0),
        )
        line = _("{kg} kgCO2e avoided a year, {devices} devices not bought a year").format(
            kg=_kg(s.kgco2e_per_year.central), devices=format_number(s.devices_per_year, 1)
        )
        scenarios.append(f"<li><strong>{escape(title)}</strong>: {escape(line)}</li>")
    summary = _(
        "{devices} devices: manufacturing {made} kgCO2e a year (amortised), use {used} kgCO2e "
        "a year; between {low} and {high}."
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
line-height:1.5;color:#1e1e1e}}table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;
border-bottom:1px solid #c9ccc4;padding:.3rem .5rem}}
.big{{font-size:1.6rem;font-weight:700}}</style>
</head><body><main>
<h1>{words["title"]}</h1>
<p>{escape(source)}</p>
<p class="big">{words["big"]}</p>
<p>{words["summary"]}</p>
<h2>{words["services"]}</h2>
{_chart(result.services)}
{service_table}
<h2>{words["types"]}</h2>
{type_table}
<h2>{words["scenarios"]}</h2>
<ul>{"".join(scenarios)}</ul>
<h2>{words["method"]}</h2>
<p>{words["method_text"]}</p>
{warning_block}
</main></body></html>
"""
