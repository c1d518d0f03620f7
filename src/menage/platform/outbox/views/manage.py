"""Organisers send again a mail that could not be delivered (after fixing what was wrong)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from menage.platform.core.space import managed_or_404
from menage.platform.outbox.models import OutgoingMail
from menage.platform.outbox.queue import send_again


@login_required
@require_POST
def mail_retry(request: HttpRequest, pk: int) -> HttpResponse:
    mail = managed_or_404(
        OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED),
        request.user,
        "organisation",
        pk=pk,
    )
    send_again(mail)
    messages.success(request, _("The mail is queued again."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.startswith("/"):
        return redirect(back)
    return redirect("space:home")
