"""The ``menage impact`` calculator: what to estimate, the lines, and what not to add up.

:func:`estimate` turns a :class:`Request` (plain units: bytes, counts, hours, years)
into one :class:`~menage.impact.values.Impact` per activity, with notes where two
options may count the same thing. Rendering is the CLI's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from menage import __version__
from menage.i18n import N_, _
from menage.impact.equivalences import car_km_text, equivalents
from menage.impact.factors import factors
from menage.impact.labels import describe
from menage.impact.model import Model
from menage.impact.summary import proportion_sentence
from menage.impact.values import Impact, Range, total

#: what each option covers, and what it already includes (README and --help say it too)
NOTE_SENT_INCLUDES_STORAGE = N_(
    "--emails-sent already counts keeping each mail 10 years on both sides: if those mails "
    "are also in the mailbox or the storage you gave, they are counted twice."
)


class RequestError(ValueError):
    """Two options that would count the same thing, or an option missing its partner."""


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
    sent_size: int | None = None
    recipients: int = 1
    transfer: int | None = None
    mobile_transfer: int | None = None
    file_transfer: int | None = None
    streaming_hours: float | None = None
    quality: str = "hd"
    call_hours: float | None = None
    call_participants: int = 2
    call_quality: str = "sd"
    web_searches: int | None = None
    ai_requests: int | None = None
    ai_images: int | None = None
    keep: dict[str, float] = field(default_factory=dict)
    buy: tuple[str, ...] = ()
    #: device code -> devices given a second life, each for ``years``
    reused: dict[str, int] = field(default_factory=dict)

    def check(self) -> list[str]:
        """Refuse what counts one thing twice; return the notes for what may.

        Raises:
            RequestError: --mailbox with --emails-kept (one mailbox, measured twice), or
                --mail-size without --emails-kept.
        """
        if self.mailbox is not None and self.emails_kept is not None:
            raise RequestError(
                _(
                    "--mailbox (a size) and --emails-kept (a count) describe the same mailbox: "
                    "give one of them"
                )
            )
        if self.mail_size is not None and self.emails_kept is None:
            raise RequestError(_("--mail-size is the average size of --emails-kept: give both"))
        sent = self.emails_sent is not None or self.emails_sent_attachment is not None
        if self.sent_size is not None and self.emails_sent is None:
            raise RequestError(_("--sent-size is the average size of --emails-sent: give both"))
        notes = []
        if sent and any(v is not None for v in (self.mailbox, self.emails_kept, self.storage)):
            notes.append(_(NOTE_SENT_INCLUDES_STORAGE))
        return notes


@dataclass(frozen=True)
class Estimate:
    """The lines of an estimate, the notes about them, and their totals."""

    request: Request
    lines: tuple[Impact, ...]
    notes: tuple[str, ...]

    @property
    def footprint(self) -> tuple[Range, Range]:
        """(kWh, kgCO2e) of what costs."""
        return total([i for i in self.lines if not i.avoided])

    @property
    def avoided(self) -> Range:
        return total([i for i in self.lines if i.avoided])[1]

    def has_footprint(self) -> bool:
        return any(not i.avoided for i in self.lines)

    def message(self) -> str | None:
        return proportion_sentence(self.footprint[1].central) if self.has_footprint() else None

    def to_dict(self) -> dict[str, Any]:
        kwh, co2 = self.footprint
        saved = self.avoided
        region, years = self.request.region, self.request.years
        return {
            "menage": __version__,
            "region": region,
            "grid_gco2e_per_kwh": factors()[f"elec_{region}"].central,
            "period_years": round(years, 6),
            "lines": [
                {
                    **i.to_dict(),
                    "label": describe(i, years),
                    "car_km": car_km_text(i.kgco2e.central),
                }
                for i in self.lines
            ],
            "footprint": {
                "kwh": kwh.to_dict(),
                "kgco2e": co2.to_dict(),
                "equivalents": equivalents(co2.central),
            },
            "avoided": {"kgco2e": saved.to_dict(), "equivalents": equivalents(saved.central)},
            "notes": list(self.notes),
            "message": self.message(),
        }


def estimate(request: Request, model: Model | None = None) -> Estimate:
    """One impact per activity asked for, in the order of the options.

    Raises:
        RequestError: options that count the same thing twice (see :meth:`Request.check`).
        ValueError: an unknown region, device or quality.
    """
    notes = request.check()
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
        lines.append(
            m.mail_sent(
                rq.emails_sent,
                region=region,
                size_bytes=rq.sent_size,
                recipients=rq.recipients,
            )
        )
    if rq.emails_sent_attachment is not None:
        lines.append(
            m.mail_sent(
                rq.emails_sent_attachment,
                attachment=True,
                region=region,
                recipients=rq.recipients,
            )
        )
    if rq.transfer is not None:
        lines.append(m.transfer(rq.transfer, "fixed", region))
    if rq.mobile_transfer is not None:
        lines.append(m.transfer(rq.mobile_transfer, "mobile", region))
    if rq.file_transfer is not None:
        lines.append(m.file_transfer(rq.file_transfer, "fixed", region))
    if rq.streaming_hours is not None:
        lines.append(m.streaming(rq.streaming_hours, rq.quality, region))
    if rq.call_hours is not None:
        lines.append(m.video_call(rq.call_hours, rq.call_participants, rq.call_quality, region))
    if rq.web_searches is not None:
        lines.append(m.web_search(rq.web_searches, region))
    if rq.ai_requests is not None:
        lines.append(m.ai_text(rq.ai_requests))
    if rq.ai_images is not None:
        lines.append(m.ai_image(rq.ai_images))
    for device in rq.buy:
        lines.append(m.device_manufacturing(device))
    for device, extra_years in rq.keep.items():
        lines.append(m.device_life_extension(device, extra_years))
    for device, count in rq.reused.items():
        lines.append(m.second_life(device, count, years))
    return Estimate(request=request, lines=tuple(lines), notes=tuple(notes))
