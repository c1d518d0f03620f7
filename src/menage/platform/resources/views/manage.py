"""Organisers share resources: a file (size and type checked) or a link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from menage.i18n import format_size
from menage.platform.core.space import form_page, managed_or_404
from menage.platform.organisations.permissions import managed_organisations
from menage.platform.resources.forms import ResourceForm
from menage.platform.resources.models import Resource

# room for the other fields and the multipart envelope around the file
_FORM_OVERHEAD = 1_000_000


def _too_big(request: HttpRequest) -> bool:
    """Refuse a huge upload from its Content-Length, before reading the body."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.MENAGE_UPLOAD_MAX_BYTES + _FORM_OVERHEAD


def _form(request: HttpRequest, instance: Resource | None = None) -> ResourceForm:
    organisations = managed_organisations(request.user)
    if request.method == "POST" and _too_big(request):
        # the body was not read: the other fields come back empty, with this one error
        form = ResourceForm({}, instance=instance, organisations=organisations)
        form.is_valid()
        form.errors.clear()
        form.add_error(
            "file",
            _("This file is too big; the limit is {limit}.").format(
                limit=format_size(settings.MENAGE_UPLOAD_MAX_BYTES)
            ),
        )
        form._describe()
        return form
    return ResourceForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        organisations=organisations,
    )


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    if not managed_organisations(request.user).exists():
        raise Http404(_("You manage no organisation."))
    return form_page(
        request,
        _form(request),
        title=_("Share a resource"),
        submit=_("Share"),
        back=reverse("resources:list"),
        multipart=True,
    )


@login_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = managed_or_404(Resource.objects.all(), request.user, "organisation", pk=pk)
    title = _("Edit “{name}”").format(name=resource.title)
    return form_page(
        request,
        _form(request, resource),
        title=title,
        submit=_("Save"),
        back=resource.get_absolute_url(),
        multipart=True,
    )


@login_required
def resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    resource = managed_or_404(Resource.objects.all(), request.user, "organisation", pk=pk)
    if request.method == "POST":
        if resource.file:
            resource.file.delete(save=False)
        resource.delete()
        messages.success(request, _("The resource was deleted."))
        return redirect("resources:list")
    return render(
        request,
        "space/confirm_delete.html",
        {"object": resource, "back": resource.get_absolute_url(), "section": "space"},
    )
