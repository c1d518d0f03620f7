"""The resource library by theme, a page per resource, and downloads (permission checked)."""

from __future__ import annotations

from itertools import groupby

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from menage.platform.organisations.permissions import can_manage
from menage.platform.resources.models import Theme
from menage.platform.resources.queries import visible_resources


def resource_list(request: HttpRequest) -> HttpResponse:
    resources = visible_resources(request.user).order_by("theme", "title")
    theme = request.GET.get("theme", "")
    if theme in Theme.values:
        resources = resources.filter(theme=theme)
    themes = [
        (Theme(key).label, list(group)) for key, group in groupby(resources, key=lambda r: r.theme)
    ]
    return render(
        request,
        "resources/list.html",
        {"themes": themes, "theme": theme, "choices": Theme.choices, "section": "resources"},
    )


def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(visible_resources(request.user), pk=pk)
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "can_manage": can_manage(request.user, resource.organisation_id),
            "section": "resources",
        },
    )


def resource_download(request: HttpRequest, pk: int) -> FileResponse:
    resource = get_object_or_404(visible_resources(request.user), pk=pk)
    if not resource.file:
        raise Http404
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = f"{resource.title[:80]}.{resource.extension.lower()}"
    # always a download, never rendered inline: an uploaded file cannot run in our origin
    return FileResponse(handle, as_attachment=True, filename=filename)
