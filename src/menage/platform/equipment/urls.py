"""Addresses of the equipment pages, under the organiser space (``/espace/equipements/``)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _

from menage.platform.equipment.views import devices, fleet, impact, intake, printed

app_name = "equipment"
urlpatterns = [
    path("", devices.device_list, name="list"),
    path(_("new/"), devices.device_create, name="create"),
    path(_("labels/"), printed.labels, name="labels"),
    path(_("batches/<str:batch>/certificate/"), printed.batch_certificate, name="batch"),
    path("<int:pk>/", devices.device_detail, name="detail"),
    path(_("<int:pk>/edit/"), devices.device_edit, name="edit"),
    path(_("<int:pk>/steps/<slug:name>/"), devices.device_step, name="step"),
    path(_("<int:pk>/certificate/"), printed.certificate, name="certificate"),
    path(_("intake/"), intake.point_list, name="intake_points"),
    path(_("intake/<int:pk>/"), intake.device_intake, name="intake"),
    path(_("intake/<int:pk>/count/"), intake.count_intake, name="intake_count"),
    path(_("fleet/"), fleet.fleet_list, name="fleet"),
    path(_("fleet/<int:pk>/"), fleet.fleet_detail, name="fleet_detail"),
    path(_("impact/"), impact.organisation_impact, name="impact"),
    path(_("impact/<slug:slug>/"), impact.campaign_impact, name="campaign_impact"),
]
