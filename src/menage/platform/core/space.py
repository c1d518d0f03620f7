"""Helpers for the organisers' pages: fetch an object only if the user may manage it.

An object of another organisation answers 404, not 403, so that its existence does
not leak either.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from menage.platform.organisations.permissions import managed_organisation_ids

M = TypeVar("M", bound=Model)


def signed_in_user(request: HttpRequest) -> Any:
    """The person behind a ``login_required`` view (never anonymous there)."""
    if not request.user.is_authenticated:
        raise Http404
    return request.user


def managed_or_404(queryset: QuerySet[M], user: Any, organisation_field: str, **lookup: Any) -> M:
    """The object matching ``lookup`` whose organisation ``user`` manages, else Http404."""
    ids = managed_organisation_ids(user)
    try:
        return queryset.get(**{f"{organisation_field}__in": ids}, **lookup)
    except ObjectDoesNotExist:
        raise Http404(_("Nothing here that you manage.")) from None


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    back: str,
    success: str | None = None,
    multipart: bool = False,
    status_on_error: int = 400,
) -> HttpResponse:
    """Show an organiser's form; on a valid POST save it and go to ``success`` (or its page)."""
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        from django.contrib import messages

        messages.success(request, _("Saved."))
        return redirect(success or saved.get_absolute_url())
    status = status_on_error if request.method == "POST" else 200
    return render(
        request,
        "space/form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "back": back,
            "multipart": multipart,
            "section": "space",
        },
        status=status,
    )
