"""Whether a mail left: the page a resident reaches from "check your mailbox"."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from menage.platform.outbox.models import OutgoingMail


def mail_status(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        raise Http404 from None
    mail = OutgoingMail.objects.select_related("event").filter(public_id=key).first()
    if mail is None:
        raise Http404
    return render(request, "outbox/status.html", {"mail": mail, "section": "agenda"})
