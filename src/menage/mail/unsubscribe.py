"""``menage mail unsubscribe``: leave a newsletter, the one cleanup that stops the flow.

For a sender, the most recent message carrying ``List-Unsubscribe`` decides how:

* **one click** (RFC 8058): only when the message also carries
  ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` and the link is HTTPS. Ménage
  then sends one ``POST`` of ``List-Unsubscribe=One-Click`` to that link, without
  cookies or credentials, and follows no redirect (the RFC forbids them);
* otherwise the ``mailto:`` address or the link is **shown**, for the user to use:
  opening a link from a mail can confirm the address to a spammer or land on a page
  asking for more.

Nothing is ever sent for mail that looks like spam: a message in Junk, a message
without a List-Id (a real mailing list has one), or one whose headers are broken.
Each unsubscription, sent, shown or refused, is recorded in the cleanup journal and
counted in ``menage history`` and the measures.
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from menage.i18n import _
from menage.mail.model import MessageMeta

BODY = b"List-Unsubscribe=One-Click"
TIMEOUT = 20.0


@dataclass
class Choice:
    """How to leave one sender's list."""

    sender: str
    list_id: str | None
    method: str  # "one-click", "mailto", "link" or "none"
    target: str | None
    messages: int
    bytes: int
    #: why nothing may be sent for it (spam-looking), or None
    refused: str | None = None


def spam_reason(meta: MessageMeta, role: str | None) -> str | None:
    """Why this message looks like spam (no unsubscribing through it), or None."""
    if role == "junk":
        return _("it is in Junk")
    if not meta.bulk or meta.list_id is None:
        return _("it carries no List-Id, as a real mailing list does")
    if meta.defects:
        return _("its headers are broken")
    return None


def choose(
    sender: str, found: list[tuple[MessageMeta, str | None]], refuse: bool = False
) -> Choice:
    """How to leave ``sender``'s list, from its messages (with their folder's role)."""
    messages = len(found)
    size = sum(meta.size for meta, _role in found)
    listed = [(m, r) for m, r in found if m.unsubscribe is not None]
    if not listed:
        return Choice(sender, None, "none", None, messages, size)
    meta, role = max(listed, key=lambda item: item[0].timestamp or 0)
    unsub = meta.unsubscribe
    assert unsub is not None
    reason = spam_reason(meta, role)
    target: str | None
    if unsub.one_click and unsub.http and reason is None:
        method, target = "one-click", unsub.http
    elif unsub.mailto:
        method, target = "mailto", unsub.mailto
    else:
        method, target = "link", unsub.http
    return Choice(sender, meta.list_id, method, target, messages, size, refused=reason)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def one_click(url: str, context: ssl.SSLContext | None = None) -> str | None:
    """Send the RFC 8058 POST. Returns None when the server accepted it (2xx), else
    why not (never raises for a network or HTTP problem)."""
    if urlsplit(url).scheme.lower() != "https":
        return _("one-click unsubscribing is only done over HTTPS")
    request = urllib.request.Request(
        url,
        data=BODY,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "menage (RFC 8058 one-click unsubscribe)",
        },
    )
    opener = urllib.request.build_opener(
        _NoRedirect(), urllib.request.HTTPSHandler(context=context or ssl.create_default_context())
    )
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return _("the server answered {status}").format(status=exc.code)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return _("could not reach it ({reason})").format(reason=reason)
    if 200 <= status < 300:
        return None
    return _("the server answered {status}").format(status=status)
