"""The organisers of a wider campaign approve the operations that ask to be part of it,
and remove those that should not be (a school's operation under its district's week)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from menage.platform.campaigns.models import Campaign
from menage.platform.core.space import managed_or_404


def _operation(request: HttpRequest, slug: str) -> Campaign:
    """An operation attached to a campaign that ``request.user`` manages (else 404)."""
    return managed_or_404(
        Campaign.objects.filter(part_of__isnull=False).select_related("part_of"),
        request.user,
        "part_of__organisation",
        slug=slug,
    )


@login_required
@require_POST
def operation_approve(request: HttpRequest, slug: str) -> HttpResponse:
    operation = _operation(request, slug)
    operation.part_of_approved = True
    operation.save(update_fields=["part_of_approved"])
    messages.success(
        request,
        _("“{name}” is now listed in “{wider}”.").format(
            name=operation.name, wider=operation.part_of.name if operation.part_of else ""
        ),
    )
    return redirect("space:home")


@login_required
@require_POST
def operation_detach(request: HttpRequest, slug: str) -> HttpResponse:
    """Refuse a request, or remove an operation: it goes on alone, outside the wider campaign."""
    operation = _operation(request, slug)
    wider = operation.part_of
    operation.part_of = None
    operation.part_of_approved = False
    operation.save(update_fields=["part_of", "part_of_approved"])
    messages.success(
        request,
        _("“{name}” is no longer part of “{wider}”.").format(
            name=operation.name, wider=wider.name if wider else ""
        ),
    )
    return redirect("space:home")
