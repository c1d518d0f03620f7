"""Words for impacts: what each line is, in the user's language."""

from __future__ import annotations

from menage.i18n import N_, _, format_number, format_size, ngettext
from menage.impact.values import Impact

DEVICE_LABELS = {
    "smartphone": N_("smartphone"),
    "tablet": N_("tablet"),
    "laptop": N_("laptop"),
    "desktop": N_("desktop computer"),
    "monitor": N_("monitor"),
    "printer": N_("printer"),
    "tv": N_("television"),
    "server": N_("server"),
}
QUALITY_LABELS = {"sd": N_("SD"), "hd": N_("HD"), "4k": N_("4K")}


def _amount(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 1)


def years_text(years: float) -> str:
    """``1 year``, ``1.5 years``."""
    count = int(years) if float(years).is_integer() else 2
    return ngettext("{n} year", "{n} years", count).format(n=_amount(years))


def describe(impact: Impact, years: float = 1.0) -> str:
    """One line saying what was estimated: ``Data-centre storage: 10 GB for 1 year``."""
    a, q = impact.activity, impact.quantity
    if a == "storage_cloud":
        return _("Data-centre storage: {size} for {years}").format(
            size=format_size(q), years=years_text(years)
        )
    if a == "storage_local":
        return _("Local disk: {size} for {years}").format(
            size=format_size(q), years=years_text(years)
        )
    if a == "mailbox":
        return _("Mailbox: {size} kept for {years}").format(
            size=format_size(q), years=years_text(years)
        )
    if a == "mail_kept":
        return _("Mail kept: {n} for {years}").format(
            n=ngettext("{n} mail", "{n} mails", int(q)).format(n=_amount(q)),
            years=years_text(years),
        )
    if a == "mail_sent":
        return _("Mail sent without attachment: {n}").format(n=_amount(q))
    if a == "mail_sent_attachment":
        return _("Mail sent with a 1 MB attachment: {n}").format(n=_amount(q))
    if a == "transfer_fixed":
        return _("Data over a fixed network: {size}").format(size=format_size(q))
    if a == "transfer_mobile":
        return _("Data over a mobile network: {size}").format(size=format_size(q))
    if a.startswith("streaming_"):
        return _("Video streaming ({quality}): {hours} h").format(
            quality=_(QUALITY_LABELS[a.removeprefix("streaming_")]), hours=_amount(q)
        )
    if a == "ai_text":
        return _("AI chatbot requests: {n}").format(n=_amount(q))
    if a == "ai_image":
        return _("AI images generated: {n}").format(n=_amount(q))
    if a.startswith("make_"):
        return _("Making new devices ({device}): {n}").format(
            device=_(DEVICE_LABELS[a.removeprefix("make_")]), n=_amount(q)
        )
    if a.startswith("keep_"):
        return _("Keeping a {device} {years} longer (avoided)").format(
            device=_(DEVICE_LABELS[a.removeprefix("keep_")]), years=years_text(q)
        )
    return a
