"""Words for impacts: what each line is, in the user's language."""

from __future__ import annotations

from menage.i18n import N_, _, format_number, format_size, ngettext
from menage.impact.devices import device_type
from menage.impact.values import Impact

QUALITY_LABELS = {"sd": N_("SD"), "hd": N_("HD"), "4k": N_("4K"), "audio": N_("audio only")}


def _amount(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 1)


def years_text(years: float) -> str:
    """``1 year``, ``1.5 years`` (« 1,5 an » in French, singular below two)."""
    from menage.i18n import language

    if float(years).is_integer():
        count = int(years)
    else:
        count = 1 if language() == "fr" and years < 2 else 2
    return ngettext("{n} year", "{n} years", count).format(n=_amount(years))


def device_label(code: str) -> str:
    """The device's name in the current language (from the shared vocabulary)."""
    return device_type(code).label()


def _mail_sent(impact: Impact) -> str:
    recipients = int(impact.detail.get("recipients", 1))
    size = format_size(int(impact.detail.get("size_bytes", 0)))
    n = _amount(impact.quantity)
    if impact.activity == "mail_sent_attachment":
        text = _("Mail sent with an attachment ({size}): {n}").format(size=size, n=n)
    else:
        text = _("Mail sent ({size}): {n}").format(size=size, n=n)
    if recipients > 1:
        text += " " + ngettext("to {n} recipient", "to {n} recipients", recipients).format(
            n=format_number(recipients)
        )
    return text


def describe(impact: Impact, years: float = 1.0) -> str:
    """One line saying what was estimated: ``Data-centre storage: 10 GB for 1 year``."""
    a, q = impact.activity, impact.quantity
    simple = {
        "transfer_fixed": N_("Data over a fixed network: {size}"),
        "transfer_mobile": N_("Data over a mobile network: {size}"),
        "file_fixed": N_("File sent through an online service: {size}"),
        "file_mobile": N_("File sent through an online service: {size}"),
    }
    if a in simple:
        return _(simple[a]).format(size=format_size(q))
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
    if a.startswith("mail_sent"):
        return _mail_sent(impact)
    if a.startswith("streaming_"):
        return _("Video streaming ({quality}): {hours} h").format(
            quality=_(QUALITY_LABELS[a.removeprefix("streaming_")]), hours=_amount(q)
        )
    if a == "video_call":
        places = int(impact.detail.get("participants", 2))
        return ngettext(
            "Video call ({quality}, {n} place): {hours} h",
            "Video call ({quality}, {n} places): {hours} h",
            places,
        ).format(
            quality=_(QUALITY_LABELS[str(impact.detail.get("quality", "sd"))]),
            n=format_number(places),
            hours=_amount(q),
        )
    if a == "web_search":
        return _("Web searches: {n}").format(n=_amount(q))
    if a == "ai_text":
        return _("AI chatbot requests: {n}").format(n=_amount(q))
    if a == "ai_image":
        return _("AI images generated: {n}").format(n=_amount(q))
    if a.startswith("make_"):
        return _("Making new devices ({device}): {n}").format(
            device=device_label(a.removeprefix("make_")), n=_amount(q)
        )
    if a.startswith("keep_"):
        return _("Keeping a {device} {years} longer (avoided)").format(
            device=device_label(a.removeprefix("keep_")), years=years_text(q)
        )
    if a.startswith("use_"):
        return _("Using a {device} for {years}").format(
            device=device_label(a.removeprefix("use_")), years=years_text(q)
        )
    if a.startswith("second_life_"):
        return _("Second life for {n} × {device}, {years} (avoided)").format(
            n=format_number(int(impact.detail.get("devices", 1))),
            device=device_label(a.removeprefix("second_life_")),
            years=years_text(q),
        )
    return a
