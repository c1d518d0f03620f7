"""The participants' form, reached with a campaign's participation code (no account).

``/mesures/`` asks for the code; ``/mesures/<code>/`` offers the three kinds of entry;
``/mesures/<code>/<kind>/`` takes one. Every post counts against the same budgets as
the API's (:mod:`menage.platform.measures.limits`), and an entry is stored by the same
append-only :func:`~menage.platform.measures.intake.store`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from menage.platform.measures.forms import FORMS, CodeForm
from menage.platform.measures.intake import find_code, is_open, store
from menage.platform.measures.limits import over_budget
from menage.platform.measures.models import ParticipationCode, Submission

TITLES = {
    "data": gettext_lazy("Data deleted by hand"),
    "devices": gettext_lazy("Devices dropped at a collection point"),
    "workshop": gettext_lazy("People reached at a workshop"),
}


def _code_or_none(value: str) -> ParticipationCode | None:
    return find_code(value)


def _code_or_404(value: str) -> ParticipationCode:
    found = _code_or_none(value)
    if found is None:
        raise Http404("unknown participation code")
    return found


def enter(request: HttpRequest) -> HttpResponse:
    """Ask for the code (a GET form: the address can be printed as a link or a QR code)."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        found = _code_or_none(form.cleaned_data["code"])
        if found is not None:
            return redirect("measures:choose", found.code)
        form.add_error("code", _("No campaign has this code: check it on the poster."))
    return render(request, "measures/enter.html", {"form": form})


def choose(request: HttpRequest, code: str) -> HttpResponse:
    found = _code_or_404(code)
    return render(
        request,
        "measures/choose.html",
        {"code": found, "open": is_open(found), "titles": TITLES},
    )


def report(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    found = _code_or_404(code)
    if kind not in FORMS:
        raise Http404("unknown kind of entry")
    context = {"code": found, "kind": kind, "title": TITLES[kind]}
    if not is_open(found):
        return render(request, "measures/choose.html",
                      {"code": found, "open": False, "titles": TITLES}, status=409)  # fmt: skip
    if request.method == "POST":
        if over_budget(request, found):
            answer = render(
                request,
                "core/too_many_requests.html",
                {"minutes": max(1, settings.MENAGE_RATE_WINDOW // 60)},
                status=429,
            )
            answer["Retry-After"] = str(settings.MENAGE_RATE_WINDOW)
            return answer
        form = FORMS[kind](request.POST)
        if form.is_valid():
            # "since" is the day of the entry: the form reports what was done, not a run
            fields = {"since": timezone.localdate(), **form.fields_to_store()}
            row, _replaced = store(found, form.cleaned_data["key"], form.status(), fields)
            if row.status == Submission.Status.ACCEPTED:
                messages.success(request, _("Thank you: your entry counts in the totals."))
            else:
                messages.success(
                    request,
                    _("Thank you: your entry is large, it counts once an organiser checked it."),
                )
            return redirect("measures:choose", found.code)
        return render(request, "measures/report.html", {**context, "form": form}, status=400)
    return render(request, "measures/report.html", {**context, "form": FORMS[kind]()})
