"""The organisers' side of the measures: review the reports that wait (or were judged),
and accept or reject them. Only the managers of the campaign's organisation (or of an
organisation above it) see and judge a campaign's reports; anyone else gets a 404.
Each decision is appended to the review log (who, when, and why on a rejection), which
the page shows under the reports; a rejected report leaves the public counter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from menage.platform.campaigns.models import Campaign
from menage.platform.core.space import managed_or_404
from menage.platform.measures.aggregates import campaign_ids
from menage.platform.measures.models import Review, Submission
from menage.platform.organisations.permissions import managed_organisation_ids

#: rows shown per status, newest first (the page says how many more there are): the
#: reports waiting come all, the judged ones are there to change one's mind
SHOWN = {"pending_review": 100, "accepted": 15, "rejected": 15}
#: the review log's newest entries shown on the page
LOG_SHOWN = 50
REASON_MAX = 500
DECISIONS = {"accept": Submission.Status.ACCEPTED, "reject": Submission.Status.REJECTED}


def managed_campaign(request: HttpRequest, slug: str) -> Campaign:
    return managed_or_404(
        Campaign.objects.select_related("organisation"), request.user, "organisation", slug=slug
    )


def reviewable(request: HttpRequest, campaign: Campaign) -> QuerySet[Submission]:
    """The current reports of the campaign and its approved operations that the user manages."""
    return Submission.objects.filter(
        campaign_id__in=campaign_ids(campaign),
        campaign__organisation_id__in=managed_organisation_ids(request.user),
        current=True,
    ).select_related("organisation", "campaign__organisation", "code")


@login_required
def review(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request, slug)
    rows = reviewable(request, campaign)
    sections = []
    for status, title in (
        (Submission.Status.PENDING_REVIEW, _("Waiting for review")),
        (Submission.Status.ACCEPTED, _("Accepted")),
        (Submission.Status.REJECTED, _("Rejected")),
    ):
        of_status = rows.filter(status=status)
        count = of_status.count()
        sections.append(
            {"status": str(status), "title": title, "rows": of_status[: SHOWN[status]],
             "count": count, "more": max(0, count - SHOWN[status])}
        )  # fmt: skip
    log = Review.objects.filter(
        submission__campaign_id__in=campaign_ids(campaign),
        submission__campaign__organisation_id__in=managed_organisation_ids(request.user),
    ).select_related("submission__code", "submission__organisation",
                     "submission__campaign__organisation")[:LOG_SHOWN]  # fmt: skip
    return render(
        request,
        "measures/review.html",
        {"campaign": campaign, "sections": sections, "log": log, "section": "space"},
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or reject one current report (``decision`` = accept or reject)."""
    submission = managed_or_404(
        Submission.objects.filter(current=True).select_related("campaign"),
        request.user,
        "campaign__organisation",
        pk=pk,
    )
    decision = DECISIONS.get(request.POST.get("decision", ""))
    # back to the review page it came from (a district's week lists its schools' reports)
    back = request.POST.get("campaign", "")[:200]
    managed = Campaign.objects.filter(
        slug=back, organisation_id__in=managed_organisation_ids(request.user)
    )
    target = back if back and managed.exists() else submission.campaign.slug
    reason = " ".join(request.POST.get("reason", "").split())
    if decision is None:
        messages.error(request, _("Choose to accept or to reject the report."))
    elif decision == Submission.Status.REJECTED and not reason:
        messages.error(request, _("Say why you reject the report: the review log keeps it."))
    elif len(reason) > REASON_MAX:
        messages.error(
            request, _("The reason is too long (at most {n} characters).").format(n=REASON_MAX)
        )
    else:
        user = request.user
        assert isinstance(user, User)  # login_required
        with transaction.atomic():
            Review.objects.create(
                submission=submission, decision=decision, reason=reason, by=user,
                by_name=user.get_full_name() or user.get_username(),
            )  # fmt: skip
            Submission.objects.filter(pk=submission.pk).update(status=decision)
        messages.success(
            request,
            _("Report accepted: it counts in the totals.")
            if decision == Submission.Status.ACCEPTED
            else _("Report rejected: it does not count."),
        )
    return redirect("space:measures_review", target)
