"""The footprint of a mailbox, said honestly: unsubscribing first, deleting second.

Deleting stored mail frees an allocated share of data-centre storage, which is small
(``menage impact --myths``, "delete-to-save"); newsletters nobody reads keep arriving,
so unsubscribing stops the flow for good. The figures come from the impact model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from menage.i18n import _, format_number, format_size, ngettext
from menage.impact.model import Model
from menage.impact.summary import format_co2, storage_summary
from menage.mail.findings import MailAnalysis, NewsletterFinding

#: a newsletter opened less often than this is "hardly read"
HARDLY_READ = 0.2


def hardly_read(analysis: MailAnalysis) -> list[NewsletterFinding]:
    """Lists opened less than :data:`HARDLY_READ` that still sent mail in the last year."""
    return [n for n in analysis.newsletters if n.tally.read_ratio < HARDLY_READ and n.last_year > 0]


@dataclass(frozen=True)
class MailImpact:
    unsubscribe_lists: int
    unsubscribe_messages: int
    unsubscribe_bytes: int
    unsubscribe_line: str
    keep_line: str
    reclaim_line: str
    data: dict[str, Any]


def mail_impact(analysis: MailAnalysis, region: str = "france") -> MailImpact:
    lists = hardly_read(analysis)
    flow = sum(n.last_year for n in lists)
    flow_bytes = sum(n.last_year_bytes for n in lists)
    model = Model()
    flow_impact = model.mail_kept(flow, flow_bytes / flow if flow else 0.0, 1.0, region)
    kept = storage_summary(analysis.total.bytes, region, where="cloud")
    reclaim = storage_summary(analysis.reclaimable_bytes, region, where="cloud")
    if lists:
        unsubscribe_line = ngettext(
            "Unsubscribing first: {lists} newsletter is hardly ever opened; it sent {count} "
            "messages ({size}) in the last year and will keep sending until you leave it.",
            "Unsubscribing first: {lists} newsletters are hardly ever opened; they sent "
            "{count} messages ({size}) in the last year and will keep sending until you "
            "leave them.",
            len(lists),
        ).format(
            lists=format_number(len(lists)), count=format_number(flow), size=format_size(flow_bytes)
        )
    else:
        unsubscribe_line = _(
            "No newsletter that you hardly read sent anything in the last year: nothing "
            "to unsubscribe from."
        )
    keep_line = _(
        "Keeping this mailbox ({size}) a year weighs {co2} in a data centre, with its "
        "backup copies."
    ).format(size=format_size(analysis.total.bytes), co2=format_co2(kept.cloud.kgco2e))
    reclaim_line = _(
        "Deleting what the findings point at ({size}) would save {co2} a year: little, "
        "and only once less storage gets bought (menage impact --myths). Clean up to find "
        "your way in your mail, and unsubscribe to stop the flow."
    ).format(size=format_size(analysis.reclaimable_bytes), co2=format_co2(reclaim.cloud.kgco2e))
    data = {
        "unsubscribe": {
            "newsletters": len(lists),
            "messages_per_year": flow,
            "bytes_per_year": flow_bytes,
            "kept_one_year": flow_impact.to_dict(),
        },
        "keep_mailbox_one_year": kept.to_dict(),
        "delete_reclaimable": reclaim.to_dict(),
        "myth": "delete-to-save",
    }
    return MailImpact(len(lists), flow, flow_bytes, unsubscribe_line, keep_line, reclaim_line, data)
