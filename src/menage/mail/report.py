"""The HTML report of ``menage mail analyse --html``: the scan report's look, no JavaScript.

Unsubscribing comes first, then what takes space. Every chart (inline SVG) is followed
by a table of the same numbers. Sender names and subjects come from mail: the template
autoescapes them, and links from mail are shown as text, never as links to follow.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from menage._version import __version__
from menage.errors import OutputNotWritten, ReportNotWritten
from menage.i18n import (
    _,
    format_date,
    format_number,
    format_percent,
    format_size,
    language,
    ngettext,
)
from menage.mail.findings import MailAnalysis, Tally
from menage.mail.impact import mail_impact
from menage.output import write_output
from menage.report.html import _environment
from menage.report.svg import Bar, bar_chart
from menage.units import format_age

TOP = 30


def _date(timestamp: float | None) -> str:
    if timestamp is None:
        return "–"
    return format_date(datetime.fromtimestamp(timestamp, UTC))


def _row(label: str, tally: Tally) -> tuple[str, list[str]]:
    return label, [
        format_number(tally.messages),
        format_size(tally.bytes),
        format_percent(tally.read_ratio, 0),
        _date(tally.last),
    ]


def _block(chart_id: str, title: str, items: list[tuple[str, Tally]]) -> dict[str, Any]:
    bars = [Bar(label, t.bytes, format_size(t.bytes)) for label, t in items[:10]]
    return {
        "chart": bar_chart(chart_id, title, bars),
        "caption": title,
        "columns": [_("Sender"), _("Messages"), _("Size"), _("Read"), _("Last")],
        "rows": [_row(label, t) for label, t in items[:TOP]],
        "more": max(0, len(items) - TOP),
    }


def mail_context(analysis: MailAnalysis, region: str = "france") -> dict[str, Any]:
    impact = mail_impact(analysis, region)
    years = list(analysis.by_year.items())
    year_bars = [Bar(year, v[1], format_size(v[1])) for year, v in years]
    domains = _block(
        "by-domain",
        _("Bytes by sender domain"),
        [(d.domain, d.tally) for d in analysis.domains],
    )
    domains["columns"][0] = _("Domain")
    return {
        "lang": language(),
        "version": __version__,
        "source": analysis.source,
        "generated": _date(analysis.generated),
        "total": analysis.total,
        "trash": analysis.trash,
        "junk": analysis.junk,
        "reclaimable": format_size(analysis.reclaimable_bytes),
        "impact": impact,
        "newsletters": [
            {
                "sender": n.sender,
                "list_id": n.list_id or "",
                "messages": format_number(n.tally.messages),
                "size": format_size(n.tally.bytes),
                "read": format_percent(n.tally.read_ratio, 0),
                "last_year": format_number(n.last_year),
                "one_click": n.unsubscribe.one_click,
                "http": n.unsubscribe.http or "",
                "mailto": (n.unsubscribe.mailto or "").removeprefix("mailto:"),
            }
            for n in analysis.newsletters[:TOP]
        ],
        "newsletters_more": max(0, len(analysis.newsletters) - TOP),
        "senders": _block(
            "by-sender", _("Bytes by sender"), [(s.address, s.tally) for s in analysis.senders]
        ),
        "domains": domains,
        "years": {
            "chart": bar_chart("by-year", _("Bytes by year"), year_bars),
            "rows": [(year, format_number(v[0]), format_size(v[1])) for year, v in years],
        },
        "attachments": [
            {
                "size": format_size(a.bytes),
                "name": a.filename or _("(no name)"),
                "type": a.content_type,
                "date": _date(a.timestamp),
                "folder": a.message.folder,
            }
            for a in analysis.attachments[:TOP]
        ],
        "attachments_more": max(0, len(analysis.attachments) - TOP),
        "matrix": {
            band: {age: (format_number(c[0]), format_size(c[1])) for age, c in ages.items()}
            for band, ages in analysis.attachment_matrix.items()
        },
        "old": analysis.old,
        "old_size": format_size(analysis.old.bytes),
        "old_age": format_age(analysis.old.older_than_days * 86400),
        "duplicate_groups": ngettext(
            "{n} group", "{n} groups", len(analysis.duplicates.groups)
        ).format(n=format_number(len(analysis.duplicates.groups))),
        "duplicates": analysis.duplicates,
        "duplicates_size": format_size(analysis.duplicates.redundant_bytes),
        "folders": [
            (f.name, f.role or "", format_number(f.messages), format_size(f.bytes), f.analysed)
            for f in analysis.folders
        ],
        "errors": analysis.errors,
        "notes": analysis.notes,
    }


def render_mail_html(analysis: MailAnalysis, region: str = "france") -> str:
    return _environment().get_template("mail.html").render(mail_context(analysis, region))


def write_mail_html(analysis: MailAnalysis, target: Path, region: str = "france") -> None:
    """Write the report to ``target`` by the rules of :mod:`menage.output` (a regular
    file replaced atomically, a device or FIFO written in place), creating its folder.

    Raises:
        ReportNotWritten: the file or its folder cannot be written.
    """
    page = render_mail_html(analysis, region).encode("utf-8")
    try:
        write_output(target, page)
    except OutputNotWritten as exc:
        raise ReportNotWritten(**exc.fields) from None
