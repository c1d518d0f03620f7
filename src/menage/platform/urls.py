"""Every address of the platform. Public pages are in French at ``/`` and in English at ``/en/``.

Paths are translated (``/campagnes/`` and ``/en/campaigns/``); the language switcher is
Django's ``set_language`` view, a POST form that works without JavaScript.
"""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from menage.platform.api.api import api
from menage.platform.campaigns.views import manage as campaigns_manage
from menage.platform.campaigns.views import public as campaigns_public
from menage.platform.collection.views import manage as collection_manage
from menage.platform.collection.views import public as collection_public
from menage.platform.core.views import accounts, pages
from menage.platform.events import ical
from menage.platform.events.views import agenda, registration
from menage.platform.events.views import manage as events_manage
from menage.platform.organisations.views import public as organisations_public
from menage.platform.organisations.views import space as organisations_space
from menage.platform.resources.views import manage as resources_manage
from menage.platform.resources.views import public as resources_public

core_urls = (
    [
        path("", pages.home, name="home"),
        path(_("accessibility/"), pages.accessibility, name="accessibility"),
        path(_("privacy/"), pages.privacy, name="privacy"),
    ],
    "core",
)
account_urls = (
    [
        path(_("login/"), accounts.login, name="login"),
        path(_("logout/"), accounts.logout, name="logout"),
    ],
    "accounts",
)
campaign_urls = (
    [
        path("", campaigns_public.campaign_list, name="list"),
        path("<slug:slug>/", campaigns_public.campaign_detail, name="detail"),
        path("<slug:slug>/agenda.ics", ical.campaign_feed, name="ical"),
    ],
    "campaigns",
)
event_urls = (
    [
        path(_("agenda/"), agenda.agenda, name="agenda"),
        path(_("events/<int:pk>/"), agenda.event_detail, name="detail"),
        path(_("events/<int:pk>/register/"), registration.register, name="register"),
        path(_("registrations/<str:token>/cancel/"), registration.cancel, name="cancel"),
    ],
    "events",
)
collection_urls = (
    [
        path("", collection_public.point_list, name="list"),
        path("<int:pk>/", collection_public.point_detail, name="detail"),
    ],
    "collection",
)
organisation_urls = (
    [path("<slug:slug>/", organisations_public.organisation_detail, name="detail")],
    "organisations",
)
resource_urls = (
    [
        path("", resources_public.resource_list, name="list"),
        path("<int:pk>/", resources_public.resource_detail, name="detail"),
        path(_("<int:pk>/download/"), resources_public.resource_download, name="download"),
    ],
    "resources",
)
# the organisers' pages: each view checks the organisation through permissions.py
space_urls = (
    [
        path("", organisations_space.space_home, name="home"),
        path(_("campaigns/new/"), campaigns_manage.campaign_create, name="campaign_create"),
        path(
            _("campaigns/<slug:slug>/edit/"), campaigns_manage.campaign_edit, name="campaign_edit"
        ),
        path(
            _("campaigns/<slug:slug>/events/new/"), events_manage.event_create, name="event_create"
        ),
        path(_("events/<int:pk>/edit/"), events_manage.event_edit, name="event_edit"),
        path(_("events/<int:pk>/delete/"), events_manage.event_delete, name="event_delete"),
        path(
            _("events/<int:pk>/registrations/"),
            events_manage.registrations,
            name="registrations",
        ),
        path(_("venues/new/"), events_manage.venue_create, name="venue_create"),
        path(_("venues/<int:pk>/edit/"), events_manage.venue_edit, name="venue_edit"),
        path(
            _("campaigns/<slug:slug>/collection-points/new/"),
            collection_manage.point_create,
            name="point_create",
        ),
        path(
            _("collection-points/<int:pk>/edit/"), collection_manage.point_edit, name="point_edit"
        ),
        path(
            _("collection-points/<int:pk>/delete/"),
            collection_manage.point_delete,
            name="point_delete",
        ),
        path(_("resources/new/"), resources_manage.resource_create, name="resource_create"),
        path(_("resources/<int:pk>/edit/"), resources_manage.resource_edit, name="resource_edit"),
        path(
            _("resources/<int:pk>/delete/"),
            resources_manage.resource_delete,
            name="resource_delete",
        ),
    ],
    "space",
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
# set_language lives under the language prefix too: Django can only translate the page
# address ("next") from the language that is active while the switch is handled
urlpatterns += i18n_patterns(
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(core_urls)),
    path(_("account/"), include(account_urls)),
    path(_("campaigns/"), include(campaign_urls)),
    path("", include(event_urls)),
    path(_("collection-points/"), include(collection_urls)),
    path(_("organisations/"), include(organisation_urls)),
    path(_("resources/"), include(resource_urls)),
    path(_("space/"), include(space_urls)),
    path(_("space/equipment/"), include("menage.platform.equipment.urls")),
    prefix_default_language=False,
)
