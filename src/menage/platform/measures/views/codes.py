"""Participation codes, from the organisers' space: create one (for the whole campaign or
one of its schools) and print its poster. The poster carries the short code only; the
secret token, which lifts the poster's rate limit, stays on the organisers' page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from menage.platform.campaigns.models import Campaign
from menage.platform.core.forms import Form
from menage.platform.core.space import managed_or_404
from menage.platform.measures.models import ParticipationCode
from menage.platform.measures.views.review import managed_campaign
from menage.platform.organisations.models import Organisation
from menage.platform.organisations.permissions import managed_organisation_ids


class CodeForm(Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("For"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole campaign"),
        help_text=gettext_lazy("A school or a service: its reports are counted apart."),
    )
    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For you only, e.g. “Staff room poster”."),
    )

    def __init__(self, *args: Any, campaign: Campaign, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        below = campaign.organisation.descendant_ids() & managed_organisation_ids(user)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=below).order_by("name")
        # the form's mixin names every empty choice "None": here it means the whole campaign
        field.empty_label = str(_("The whole campaign"))


@login_required
def code_list(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request, slug)
    form = CodeForm(request.POST or None, campaign=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        code = ParticipationCode.objects.create(
            campaign=campaign,
            organisation=form.cleaned_data["organisation"],
            label=form.cleaned_data["label"].strip(),
        )
        messages.success(request, _("Code {code} created: print its poster.").format(code=code))
        return redirect("space:code_poster", code.pk)
    codes = (
        campaign.codes.select_related("organisation")
        .annotate(reports=Count("submissions", filter=Q(submissions__current=True)))
        .order_by("-active", "code")
    )
    return render(
        request,
        "measures/codes.html",
        {"campaign": campaign, "codes": codes, "form": form, "section": "space"},
        status=400 if request.method == "POST" else 200,
    )


def _managed_code(request: HttpRequest, pk: int) -> ParticipationCode:
    return managed_or_404(
        ParticipationCode.objects.select_related("campaign__organisation", "organisation"),
        request.user,
        "campaign__organisation",
        pk=pk,
    )


@login_required
@require_POST
def code_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a code (a poster seen where it should not be) or open it again."""
    code = _managed_code(request, pk)
    code.active = request.POST.get("active") == "1"
    code.save(update_fields=["active"])
    messages.success(
        request,
        (_("Code {code} accepts reports again.") if code.active
         else _("Code {code} is closed: it accepts no more reports.")).format(code=code.code),
    )  # fmt: skip
    return redirect("space:codes", code.campaign.slug)


@login_required
def code_poster(request: HttpRequest, pk: int) -> HttpResponse:
    code = _managed_code(request, pk)
    server = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "measures/poster.html",
        {
            "code": code,
            "campaign": code.campaign,
            "server": server,
            "address": server + reverse("api_v1_campaign", args=[code.code]),
            "counter": request.build_absolute_uri(
                reverse("campaigns:measures", args=[code.campaign.slug])
            ),
            "section": "space",
        },
    )
