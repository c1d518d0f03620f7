"""A manager edits their organisation: description, logo and colour, legal pages' settings.
Its logo and colour are served to its public pages from here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from menage.platform.core.space import form_page, managed_or_404
from menage.platform.organisations.branding import is_colour, logo_type
from menage.platform.organisations.forms import OrganisationForm
from menage.platform.organisations.models import Organisation


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = managed_or_404(Organisation.objects.all(), request.user, "pk", slug=slug)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    return form_page(
        request,
        form,
        title=_("Edit “{name}”").format(name=organisation.name),
        submit=_("Save"),
        back=reverse("space:home"),
        multipart=True,
    )


@cache_control(public=True, max_age=3600)
def organisation_logo(request: HttpRequest, slug: str) -> FileResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not organisation.logo:
        raise Http404
    try:
        handle = organisation.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=logo_type(organisation.logo.name))
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@cache_control(public=True, max_age=3600)
def organisation_theme(request: HttpRequest, slug: str) -> HttpResponse:
    """``:root{--accent:#…}``: the organisation's colour, for its pages' style."""
    organisation = get_object_or_404(Organisation, slug=slug)
    colour = organisation.colour if is_colour(organisation.colour) else ""
    body = f":root{{--accent:{colour}}}\n" if colour else "\n"
    return HttpResponse(body, content_type="text/css; charset=utf-8")
