"""The device sheet as a small, self-contained HTML page (no JavaScript)."""

from __future__ import annotations

import jinja2

from menage import __version__
from menage.i18n import _, format_number, language
from menage.impact.chart import device_chart
from menage.impact.equivalences import car_km_text
from menage.impact.labels import years_text
from menage.impact.sheet import DeviceSheet
from menage.impact.summary import format_co2, format_kwh

_TEMPLATE = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:44rem;margin:1rem auto;padding:0 1rem;
color:#1b1b1b;line-height:1.5}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}
.note{color:#4a4a4a;font-size:.9rem}
</style>
</head>
<body>
<main>
<h1>{{ title }}</h1>
<p>{{ intro }}</p>
<figure>
{{ chart|safe }}
<figcaption class="note">{{ caption }}</figcaption>
</figure>
<table>
<caption class="note">{{ table_caption }}</caption>
<tbody>
{% for name, value in rows %}<tr><th scope="row">{{ name }}</th><td>{{ value }}</td></tr>
{% endfor %}</tbody>
</table>
<p class="note">{{ sources }}</p>
<p class="note">Ménage {{ version }}</p>
</main>
</body>
</html>
"""


def device_sheet_html(sheet: DeviceSheet) -> str:
    """The page: the chart, the figures with their ranges, and the factor keys."""
    device = sheet.device.label()
    use = sheet.use_one_year
    keep = sheet.keep_one_year.kgco2e
    rows = [
        (_("Manufacturing, distribution and end of life"), format_co2(sheet.manufacturing.kgco2e)),
        (_("Usual lifespan"), years_text(sheet.lifespan.central)),
        (
            _("Electricity a year"),
            _("{kwh} ({watts} W, {hours} h a day): {co2}").format(
                kwh=format_kwh(use.kwh) if use.kwh is not None else "",
                watts=format_number(sheet.power_w.central, 1),
                hours=format_number(sheet.hours_per_day, 1),
                co2=format_co2(use.kgco2e),
            ),
        ),
        (
            _("Keeping it one more year avoids"),
            _("{co2}, {car}").format(co2=format_co2(keep), car=car_km_text(keep.central)),
        ),
        (
            _("A second life, per year"),
            format_co2(sheet.second_life_one_year.kgco2e),
        ),
    ]
    if sheet.adpe_kgsbeq is not None:
        rows.append(
            (
                _("Raw materials (abiotic depletion)"),
                _("{value} kg Sb eq").format(value=format_number(sheet.adpe_kgsbeq.central, 5)),
            )
        )
    env = jinja2.Environment(autoescape=True)
    return env.from_string(_TEMPLATE).render(
        lang=language(),
        title=_("Device sheet: {device}").format(device=device),
        intro=_(
            "Making a {device} weighs {make}; using it a year on the {region} mix, {use}. "
            "The longer it lasts, the smaller its yearly share of manufacturing."
        ).format(
            device=device,
            make=format_co2(sheet.manufacturing.kgco2e),
            region={"france": _("France"), "europe": _("Europe"), "world": _("world")}[
                sheet.region
            ],
            use=format_co2(use.kgco2e),
        ),
        chart=device_chart(sheet),
        caption=_("Central values; the table gives the ranges across sources."),
        table_caption=_("Figures with their range (lowest–highest published estimate)"),
        rows=rows,
        sources=_("Sources: {keys} (menage impact --sources lists them).").format(
            keys=", ".join(sheet.sources())
        ),
        version=__version__,
    )
