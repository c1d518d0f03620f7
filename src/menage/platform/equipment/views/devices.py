"""Organisers record devices and take them through their lifecycle."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from menage.platform.core.space import form_page, managed_or_404
from menage.platform.core.workflow import TransitionRefused
from menage.platform.equipment.forms import DeviceForm, RefurbishForm, StepForm, WipeForm
from menage.platform.equipment.impact import avoided, device_avoided
from menage.platform.equipment.lifecycle import LIFECYCLE
from menage.platform.equipment.models import Device
from menage.platform.equipment.services import MissingFact, move, record_wipe, refurbish
from menage.platform.organisations.permissions import (
    managed_organisation_ids,
    managed_organisations,
    member_organisation_ids,
)

PAGE_SIZE = 200


def _member_or_404(request: HttpRequest, pk: int) -> Device:
    try:
        return Device.objects.select_related("organisation", "campaign", "collection_point").get(
            pk=pk, organisation__in=member_organisation_ids(request.user)
        )
    except Device.DoesNotExist:
        raise Http404(_("Nothing here that you manage.")) from None


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    devices = Device.objects.filter(
        organisation__in=member_organisation_ids(request.user)
    ).select_related("organisation", "campaign")
    state = request.GET.get("state", "")
    if state not in LIFECYCLE.states:
        state = ""
    shown = devices.filter(state=state) if state else devices
    return render(
        request,
        "equipment/list.html",
        {
            "devices": shown[:PAGE_SIZE],
            "total": shown.count(),
            "states": LIFECYCLE.choices(),
            "state": state,
            "totals": avoided(devices),
            "can_add": bool(managed_organisation_ids(request.user)),
            "section": "equipment",
        },
    )


@login_required
def device_create(request: HttpRequest) -> HttpResponse:
    organisations = managed_organisations(request.user)
    if not organisations.exists():
        raise Http404(_("Nothing here that you manage."))
    form = DeviceForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        from menage.platform.equipment.services import IntakeItem, create_from_intake

        data = form.cleaned_data
        item = IntakeItem(
            device_type=data["device_type"],
            brand=data["brand"],
            model_name=data["model_name"],
            serial=data["serial"],
            weight_kg=data["weight_kg"],
            condition=data["condition"],
            notes=data["notes"],
        )
        (device,) = create_from_intake(
            [item],
            organisation=data["organisation"],
            point=data["collection_point"],
            collected_on=data["collected_on"],
            by=request.user,
        )
        if data["campaign"] and not data["collection_point"]:
            device.campaign = data["campaign"]
            device.save(update_fields=["campaign"])
        messages.success(request, _("Device recorded: label {code}.").format(code=device.code))
        return redirect(device.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Record a collected device"),
        submit=_("Record the device"),
        back=reverse("equipment:list"),
    )


@login_required
def device_edit(request: HttpRequest, pk: int) -> HttpResponse:
    device = managed_or_404(Device.objects.all(), request.user, "organisation", pk=pk)
    form = DeviceForm(
        request.POST or None, instance=device, organisations=managed_organisations(request.user)
    )
    return form_page(
        request,
        form,
        title=_("Edit device {code}").format(code=device.code),
        submit=_("Save"),
        back=device.get_absolute_url(),
    )


@login_required
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    device = _member_or_404(request, pk)
    return render(
        request,
        "equipment/detail.html",
        {
            "device": device,
            "state_label": LIFECYCLE.states[device.state],
            "log": device.log.select_related("by"),
            "steps": LIFECYCLE.allowed(device.state),
            "can_manage": device.organisation_id in managed_organisation_ids(request.user),
            "certificate": getattr(device, "certificate", None),
            "parts_received": device.parts_received.select_related("donor"),
            "parts_given": device.parts_given.select_related("device"),
            "avoided": device_avoided(device),
            "section": "equipment",
        },
    )


@login_required
def device_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    device = managed_or_404(Device.objects.all(), request.user, "organisation", pk=pk)
    try:
        step = LIFECYCLE.transition(name)
        LIFECYCLE.apply(device.state, name)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
        return redirect(device.get_absolute_url())
    form: StepForm | WipeForm | RefurbishForm
    if name == "wipe":
        form = WipeForm(request.POST or None)
    elif name == "refurbish":
        form = RefurbishForm(request.POST or None, device=device)
    else:
        form = StepForm(request.POST or None, step=step)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if isinstance(form, WipeForm):
                    record_wipe(device, form.save(commit=False), by=request.user)
                elif isinstance(form, RefurbishForm):
                    refurbish(
                        device, form.donors(), by=request.user, note=form.cleaned_data["note"]
                    )
                else:
                    data = form.cleaned_data
                    move(
                        device,
                        name,
                        by=request.user,
                        note=data.get("note", ""),
                        recipient=data.get("recipient", ""),
                        channel=data.get("channel", ""),
                    )
            except (TransitionRefused, MissingFact) as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    _("{code} is now “{state}”.").format(
                        code=device.code, state=LIFECYCLE.states[device.state]
                    ),
                )
                return redirect(device.get_absolute_url())
    return render(
        request,
        "equipment/step.html",
        {"device": device, "step": step, "form": form, "section": "equipment"},
        status=status,
    )
