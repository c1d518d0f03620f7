"""Pages made to be printed: wipe certificates (per device, per batch) and label sheets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from menage.platform.equipment.lifecycle import COLLECTED, DIAGNOSED
from menage.platform.equipment.models import Device, WipeCertificate
from menage.platform.organisations.permissions import member_organisation_ids

LABELS_PER_SHEET = 200


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = WipeCertificate.objects.select_related("device__organisation").get(
            device_id=pk, device__organisation__in=member_organisation_ids(request.user)
        )
    except WipeCertificate.DoesNotExist:
        raise Http404(_("No wipe certificate for this device.")) from None
    return render(
        request,
        "equipment/certificate.html",
        {
            "certificates": [found],
            "organisation": found.device.organisation,
            "title": _("Data wipe certificate {number}").format(number=found.number),
            "section": "equipment",
        },
    )


@login_required
def batch_certificate(request: HttpRequest, batch: str) -> HttpResponse:
    found = list(
        WipeCertificate.objects.filter(
            batch=batch, device__organisation__in=member_organisation_ids(request.user)
        )
        .select_related("device__organisation")
        .order_by("number")
    )
    if not found:
        raise Http404(_("No wipe certificate in this batch."))
    return render(
        request,
        "equipment/certificate.html",
        {
            "certificates": found,
            "organisation": found[0].device.organisation,
            "batch": batch,
            "title": _("Data wipe certificate, batch {batch}").format(batch=batch),
            "section": "equipment",
        },
    )


@login_required
def labels(request: HttpRequest) -> HttpResponse:
    """Labels of the devices still to be processed (collected or diagnosed), newest first."""
    devices = Device.objects.filter(
        organisation__in=member_organisation_ids(request.user), state__in=(COLLECTED, DIAGNOSED)
    ).order_by("-pk")[:LABELS_PER_SHEET]
    return render(request, "equipment/labels.html", {"devices": devices, "section": "equipment"})
