"""The fleet footprint of an organisation: upload its inventory, see the footprint."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from menage.platform.equipment.fleet import FleetUploadForm, footprint
from menage.platform.equipment.models import FleetInventory
from menage.platform.organisations.permissions import (
    managed_organisation_ids,
    managed_organisations,
    member_organisation_ids,
)


@login_required
def fleet_list(request: HttpRequest) -> HttpResponse:
    """The inventories of the person's organisations, and the upload form for managers."""
    organisations = managed_organisations(request.user)
    form = None
    status = 200
    if organisations.exists():
        form = FleetUploadForm(
            request.POST or None, request.FILES or None, organisations=organisations
        )
        if request.method == "POST":
            status = 400
            if form.is_valid():
                inventory = form.save(request.user)
                messages.success(
                    request,
                    ngettext(
                        "Inventory imported: {count} device.",
                        "Inventory imported: {count} devices.",
                        inventory.devices,
                    ).format(count=inventory.devices),
                )
                return redirect(inventory.get_absolute_url())
    elif request.method == "POST":
        raise Http404(_("Nothing here that you manage."))
    inventories = FleetInventory.objects.filter(
        organisation__in=member_organisation_ids(request.user)
    ).select_related("organisation", "uploaded_by")
    return render(
        request,
        "equipment/fleet_list.html",
        {
            "form": form,
            "problems": form.inventory_problems if form is not None else [],
            "inventories": inventories,
            "section": "equipment",
        },
        status=status,
    )


@login_required
def fleet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        inventory = FleetInventory.objects.select_related("organisation").get(
            pk=pk, organisation__in=member_organisation_ids(request.user)
        )
    except FleetInventory.DoesNotExist:
        raise Http404(_("Nothing here that you manage.")) from None
    return render(
        request,
        "equipment/fleet_detail.html",
        {
            "inventory": inventory,
            "shown": footprint(inventory),
            "can_manage": inventory.organisation_id in managed_organisation_ids(request.user),
            "section": "equipment",
        },
    )
