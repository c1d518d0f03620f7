"""The collection-point intake on a phone: pick the point, then record device after device.

After each record the same form comes back empty (the type kept, since devices come
in runs), with the label code of the device just recorded and the day's count.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from menage.platform.collection.models import CollectionPoint
from menage.platform.equipment.intake import (
    BRANDS,
    CountForm,
    DeviceIntakeForm,
    intake_points,
    record_count,
)
from menage.platform.equipment.models import DEVICE_TYPE_CHOICES, CollectedBatch, Device
from menage.platform.equipment.services import IntakeItem, create_from_intake

RECENT = 5


def _point_or_404(request: HttpRequest, pk: int) -> CollectionPoint:
    try:
        return intake_points(request.user).get(pk=pk)
    except CollectionPoint.DoesNotExist:
        raise Http404(_("Nothing here that you manage.")) from None


def _today(point: CollectionPoint) -> dict[str, object]:
    day = timezone.localdate()
    devices = Device.objects.filter(collection_point=point, collected_on=day)
    counted = (
        CollectedBatch.objects.filter(collection_point=point, collected_on=day).aggregate(
            n=Sum("count")
        )["n"]
        or 0
    )
    return {
        "recent": devices.order_by("-pk")[:RECENT],
        "today_total": devices.count() + counted,
    }


@login_required
def point_list(request: HttpRequest) -> HttpResponse:
    """The points the person may record at; today's open ones first."""
    day = timezone.localdate()
    points = sorted(
        intake_points(request.user),
        key=lambda p: (not p.starts_on <= day <= p.ends_on, -p.starts_on.toordinal(), p.name),
    )
    return render(
        request,
        "equipment/intake_points.html",
        {"points": points, "today": day, "section": "equipment"},
    )


@login_required
def device_intake(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point_or_404(request, pk)
    kept = request.GET.get("type", "")
    initial = {"device_type": kept} if kept in dict(DEVICE_TYPE_CHOICES) else {}
    form = DeviceIntakeForm(request.POST or None, point=point, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            (device,) = create_from_intake(
                [
                    IntakeItem(
                        device_type=data["device_type"],
                        brand=data["brand"],
                        serial=data["serial"],
                        weight_kg=data["weight_kg"],
                        condition=data["condition"],
                    )
                ],
                point=point,
                by=request.user,
            )
            messages.success(
                request,
                _("Recorded: {type}, label {code}. Write the code on the device.").format(
                    type=device.get_device_type_display(), code=device.code
                ),
            )
            url = reverse("equipment:intake", kwargs={"pk": point.pk})
            return redirect(f"{url}?type={device.device_type}")
    return render(
        request,
        "equipment/intake.html",
        {
            "point": point,
            "form": form,
            "brands": BRANDS,
            "section": "equipment",
            **_today(point),
        },
        status=status,
    )


@login_required
def count_intake(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point_or_404(request, pk)
    form = CountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            batch = record_count(
                point,
                device_type=data["device_type"],
                condition=data["condition"],
                count=data["count"],
                weight_kg=data["weight_kg"],
                by=request.user,
            )
            messages.success(
                request,
                ngettext(
                    "Counted: {count} {type}.", "Counted: {count} × {type}.", batch.count
                ).format(count=batch.count, type=batch.get_device_type_display()),
            )
            return redirect(reverse("equipment:intake_count", kwargs={"pk": point.pk}))
    batches = CollectedBatch.objects.filter(collection_point=point).order_by("-pk")[:RECENT]
    return render(
        request,
        "equipment/intake_count.html",
        {
            "point": point,
            "form": form,
            "batches": batches,
            "section": "equipment",
            **_today(point),
        },
        status=status,
    )
