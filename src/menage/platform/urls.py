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
from menage.platform.campaigns.views import operations as campaigns_operations
from menage.platform.campaigns.views import public as campaigns_public
from menage.platform.collection.views import manage as collection_manage
from menage.platform.collection.views import public as collection_public
from menage.platform.core import oidc
from menage.platform.core.views import accounts, pages
from menage.platform.events import ical
from menage.platform.events.views import agenda, attendees, registration
from menage.platform.events.views import manage as events_manage
from menage.platform.measures import api as measures_api
from menage.platform.measures.views import codes as measures_codes
from menage.platform.measures.views import dashboard as measures_dashboard
from menage.platform.measures.views import form as measures_form
from menage.platform.measures.views import public as measures_public
from menage.platform.measures.views import review as measures_review
from menage.platform.organisations.views import invitations, members
from menage.platform.organisations.views import public as organisations_public
from menage.platform.organisations.views import settings as organisations_settings
from menage.platform.organisations.views import space as organisations_space
from menage.platform.outbox.views import manage as outbox_manage
from menage.platform.outbox.views import public as outbox_public
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
        path(_("password/"), accounts.password_change, name="password_change"),
        path(_("password/done/"), accounts.password_change_done, name="password_change_done"),
        path(_("password/forgotten/"), accounts.password_reset, name="password_reset"),
        path(
            _("password/forgotten/sent/"),
            accounts.password_reset_done,
            name="password_reset_done",
        ),
        path(
            _("password/new/<uidb64>/<token>/"),
            accounts.password_reset_confirm,
            name="password_reset_confirm",
        ),
        path(
            _("password/new/done/"),
            accounts.password_reset_complete,
            name="password_reset_complete",
        ),
    ],
    "accounts",
)
campaign_urls = (
    [
        path("", campaigns_public.campaign_list, name="list"),
        path("<slug:slug>/", campaigns_public.campaign_detail, name="detail"),
        path("<slug:slug>/agenda.ics", ical.campaign_feed, name="ical"),
        path(_("<slug:slug>/programme/"), campaigns_public.programme, name="programme"),
        path(_("<slug:slug>/measures/"), measures_public.counter, name="measures"),
        path(_("<slug:slug>/results/"), measures_dashboard.campaign_dashboard, name="dashboard"),
        path(
            _("<slug:slug>/results/export.<str:fmt>"),
            measures_dashboard.campaign_export,
            name="dashboard_export",
        ),
        path(
            _("<slug:slug>/results/print/"),
            measures_dashboard.campaign_print,
            name="dashboard_print",
        ),
    ],
    "campaigns",
)
event_urls = (
    [
        path(_("agenda/"), agenda.agenda, name="agenda"),
        path(_("events/<int:pk>/"), agenda.event_detail, name="detail"),
        path(_("events/<int:pk>/calendar.ics"), ical.event_file, name="ical"),
        path(_("events/<int:pk>/register/"), registration.register, name="register"),
        path(_("registrations/<str:token>/"), registration.registration, name="registration"),
    ],
    "events",
)
# the participants' form, reached with a participation code (no account)
measure_urls = (
    [
        path("", measures_form.enter, name="enter"),
        path("<str:code>/", measures_form.choose, name="choose"),
        path("<str:code>/<slug:kind>/", measures_form.report, name="report"),
    ],
    "measures",
)
outbox_urls = ([path("<str:public_id>/", outbox_public.mail_status, name="status")], "outbox")
collection_urls = (
    [
        path("", collection_public.point_list, name="list"),
        path("<int:pk>/", collection_public.point_detail, name="detail"),
    ],
    "collection",
)
organisation_urls = (
    [
        path("<slug:slug>/", organisations_public.organisation_detail, name="detail"),
        path("<slug:slug>/logo", organisations_settings.organisation_logo, name="logo"),
        path("<slug:slug>/theme.css", organisations_settings.organisation_theme, name="theme"),
        path(
            _("<slug:slug>/results/"), measures_dashboard.organisation_dashboard, name="dashboard"
        ),
        path(
            _("<slug:slug>/results/export.<str:fmt>"),
            measures_dashboard.organisation_export,
            name="dashboard_export",
        ),
        path(
            _("<slug:slug>/results/print/"),
            measures_dashboard.organisation_print,
            name="dashboard_print",
        ),
    ],
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
        path(_("events/<int:pk>/cancel/"), events_manage.event_cancel, name="event_cancel"),
        path(
            _("events/<int:pk>/registrations/"),
            attendees.registrations,
            name="registrations",
        ),
        path(_("events/<int:pk>/walk-in/"), attendees.walk_in, name="walk_in"),
        path(_("events/<int:pk>/attendance/"), attendees.attendance, name="attendance"),
        path(
            _("events/<int:pk>/registrations.csv"),
            attendees.registrations_csv,
            name="registrations_csv",
        ),
        path(
            _("events/<int:pk>/attendance-sheet/"),
            attendees.attendance_sheet,
            name="attendance_sheet",
        ),
        path(_("mails/<int:pk>/retry/"), outbox_manage.mail_retry, name="mail_retry"),
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
        path(
            _("organisations/<slug:slug>/edit/"),
            organisations_settings.organisation_edit,
            name="organisation_edit",
        ),
        path(_("members/"), members.member_list, name="members"),
        path(_("members/<int:pk>/role/"), members.member_role, name="member_role"),
        path(_("members/<int:pk>/remove/"), members.member_remove, name="member_remove"),
        path(
            _("invitations/<int:pk>/withdraw/"),
            members.invitation_revoke,
            name="invitation_revoke",
        ),
        path(
            _("operations/<slug:slug>/approve/"),
            campaigns_operations.operation_approve,
            name="operation_approve",
        ),
        path(
            _("operations/<slug:slug>/detach/"),
            campaigns_operations.operation_detach,
            name="operation_detach",
        ),
        path(_("campaigns/<slug:slug>/measures/"), measures_review.review, name="measures_review"),
        path(_("reports/<int:pk>/decide/"), measures_review.decide, name="submission_decide"),
        path(_("campaigns/<slug:slug>/codes/"), measures_codes.code_list, name="codes"),
        path(_("codes/<int:pk>/poster/"), measures_codes.code_poster, name="code_poster"),
        path(_("codes/<int:pk>/active/"), measures_codes.code_active, name="code_active"),
        path(
            _("organisations/<slug:slug>/ranking/"),
            measures_dashboard.ranking,
            name="dashboard_ranking",
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
    path("api/v1/openapi.json", measures_api.openapi, name="api_v1_openapi"),
    path("api/v1/campaigns/<str:code>", measures_api.campaign, name="api_v1_campaign"),
    path("api/v1/campaigns/<str:code>/submissions", measures_api.submit, name="api_v1_submit"),
    path(
        "api/v1/dashboards/campaigns/<str:slug>",
        measures_api.campaign_dashboard,
        name="api_v1_campaign_dashboard",
    ),
    path(
        "api/v1/dashboards/organisations/<str:slug>",
        measures_api.organisation_dashboard,
        name="api_v1_organisation_dashboard",
    ),
    path("api/", api.urls),
    # OpenID Connect sign-in for agents (404 unless configured); names are the library's
    path("oidc/authenticate/", oidc.authenticate, name="oidc_authentication_init"),
    path("oidc/callback/", oidc.callback, name="oidc_authentication_callback"),
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
    path(_("mails/"), include(outbox_urls)),
    path(_("report/"), include(measure_urls)),
    path(_("invitations/<str:token>/"), invitations.invitation, name="invitation"),
    path(_("resources/"), include(resource_urls)),
    path(_("space/"), include(space_urls)),
    path(_("space/equipment/"), include("menage.platform.equipment.urls")),
    prefix_default_language=False,
)
