"""The mail panel of the review: add a mailbox, see its newsletters (leave them first),
its biggest senders and big attachments, tick and clean, undo from "Past cleanups".

The page names what it ticks by position in the mailbox's analysis
(``newsletter/2``, ``sender/5``), never by address: the addresses come from the
analysis. Cleaning goes through :class:`~menage.review.mailbox.Mailbox`, the library
of ``menage mail clean`` and ``menage mail unsubscribe``.
"""

from __future__ import annotations

import re
from typing import Any

from menage.errors import MenageError
from menage.i18n import _, format_number, format_percent, format_size, ngettext
from menage.review.mailbox import Mailbox, MailboxInvalid, from_form
from menage.review.pages import Form, Page, see
from menage.review.session import Review

#: rows listed in each section
SHOWN = 30
PICK = re.compile(r"^(newsletter|sender)/([0-9]{1,6})$")


def _rows(mailbox: Mailbox) -> dict[str, list[dict[str, Any]]]:
    analysis = mailbox.analysis
    assert analysis is not None
    newsletters = []
    for n, letter in enumerate(analysis.newsletters[:SHOWN]):
        unsub = letter.unsubscribe
        method = "none"
        if unsub.one_click and unsub.http:
            method = "one-click"
        elif unsub.mailto or unsub.http:
            method = "mailto" if unsub.mailto else "link"
        newsletters.append(
            {
                "pick": f"newsletter/{n}",
                "index": n,
                "sender": letter.sender,
                "list": letter.list_id or "",
                "messages": format_number(letter.tally.messages),
                "count": letter.tally.messages,
                "size": format_size(letter.tally.bytes),
                "read": format_percent(letter.tally.read_ratio, 0),
                "method": method,
                "target": unsub.mailto if method == "mailto" else unsub.http or "",
            }
        )
    senders = [
        {
            "pick": f"sender/{n}",
            "sender": s.address,
            "messages": format_number(s.tally.messages),
            "count": s.tally.messages,
            "size": format_size(s.tally.bytes),
            "read": format_percent(s.tally.read_ratio, 0),
        }
        for n, s in enumerate(analysis.senders[:SHOWN])
    ]
    attachments = [
        {
            "name": a.filename or _("(no name)"),
            "size": format_size(a.bytes),
            "folder": a.message.folder,
        }
        for a in sorted(analysis.attachments, key=lambda a: -a.bytes)[:SHOWN]
    ]
    return {"newsletters": newsletters, "senders": senders, "attachments": attachments}


def mail_page(review: Review, error: str | None = None, status: int = 200) -> Page:
    mailbox = review.mailbox
    if mailbox is not None and mailbox.stale and error is None:
        try:
            _busy(review, 1)
            mailbox.analyse(review.workspace)
        except MenageError as exc:
            error = exc.message
        finally:
            _busy(review, -1)
    context: dict[str, Any] = {
        "step": 0,
        "error": error,
        "notice": review.take_notice(),
        "mailbox": None,
    }
    if mailbox is not None and mailbox.analysis is not None:
        analysis = mailbox.analysis
        context.update(
            mailbox={"name": mailbox.spec, "imap": mailbox.imap},
            total=format_number(analysis.total.messages),
            total_size=format_size(analysis.total.bytes),
            problems=len(analysis.errors),
            **_rows(mailbox),
        )
    return Page("mail.html", context, status if error is None else 400)


def add_mailbox(review: Review, form: Form) -> Page:
    try:
        mailbox = from_form(form, review.workspace.home)
        _busy(review, 1)
        try:
            mailbox.analyse(review.workspace)
        finally:
            _busy(review, -1)
    except MenageError as exc:
        return mail_page(review, exc.message)
    review.mailbox = mailbox
    return see("mail")


def _busy(review: Review, step: int) -> None:
    with review.lock:
        review.busy += step


def _picked(review: Review, form: Form) -> list[str]:
    """The addresses the ticked rows name.

    Raises:
        MailboxInvalid: a value names no row.
    """
    mailbox = review.mailbox
    assert mailbox is not None and mailbox.analysis is not None
    chosen: list[str] = []
    for value in form.get("pick", [])[:1000]:
        match = PICK.match(value)
        rows: list[Any] = []
        if match is not None:
            analysis = mailbox.analysis
            rows = analysis.newsletters if match.group(1) == "newsletter" else analysis.senders
        if match is None or int(match.group(2)) >= min(len(rows), SHOWN):
            raise MailboxInvalid(detail=_("The form sent something that is not a sender."))
        row = rows[int(match.group(2))]
        address = row.sender if match.group(1) == "newsletter" else row.address
        if address not in chosen:
            chosen.append(address)
    return chosen


def clean_mail(review: Review, form: Form) -> Page:
    mailbox = review.mailbox
    if mailbox is None or mailbox.analysis is None:
        return see("mail")
    try:
        senders = _picked(review, form)
        if not senders:
            raise MailboxInvalid(detail=_("Nothing is ticked: tick the senders to clean."))
        _busy(review, 1)
        try:
            outcome = mailbox.clean(review.workspace, senders)
            mailbox.analyse(review.workspace)
        finally:
            _busy(review, -1)
    except MenageError as exc:
        return mail_page(review, exc.message)
    return see(f"done/{outcome.run_id}")


def unsubscribe(review: Review, form: Form) -> Page:
    mailbox = review.mailbox
    if mailbox is None or mailbox.analysis is None:
        return see("mail")
    given = form.get("newsletter", [])
    if (
        len(given) != 1
        or not given[0].isdigit()
        or int(given[0]) >= min(len(mailbox.analysis.newsletters), SHOWN)
    ):
        return mail_page(review, _("The form sent something that is not a newsletter."))
    sender = mailbox.analysis.newsletters[int(given[0])].sender
    _busy(review, 1)
    try:
        choice, failed = mailbox.unsubscribe(review.workspace, sender, review.ssl_context)
    except MenageError as exc:
        return mail_page(review, exc.message)
    finally:
        _busy(review, -1)
    if failed is not None and choice.refused is not None:
        message = _("{sender}: looks like spam ({reason}): nothing sent.").format(
            sender=sender, reason=failed
        )
    elif failed is not None:
        message = _("{sender}: not unsubscribed: {reason}").format(sender=sender, reason=failed)
    elif choice.method == "one-click":
        message = _("{sender}: unsubscribed with one click.").format(sender=sender)
    elif choice.method == "mailto":
        message = _("{sender}: send an email to {target} to leave the list.").format(
            sender=sender, target=choice.target
        )
    elif choice.method == "link":
        message = _("{sender}: open this link yourself if you trust it: {target}").format(
            sender=sender, target=choice.target
        )
    else:
        message = _("{sender}: its messages say no way to leave the list.").format(sender=sender)
    message += " " + ngettext(
        "Its {n} message stays in the mailbox until you clean it.",
        "Its {n} messages stay in the mailbox until you clean them.",
        choice.messages,
    ).format(n=format_number(choice.messages))
    with review.lock:
        review.notice = message
    return see("mail")


def forget(review: Review) -> Page:
    """Forget the mailbox and its password."""
    review.mailbox = None
    return see("mail")
