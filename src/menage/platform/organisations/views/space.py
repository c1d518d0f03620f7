"""The organisers' home: their organisations and everything they run."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from menage.platform.campaigns.models import Campaign
from menage.platform.core.space import signed_in_user
from menage.platform.events.models import Event, Venue
from menage.platform.organisations.models import Membership, Organisation
from menage.platform.organisations.permissions import (
    managed_organisation_ids,
    member_organisation_ids,
)
from menage.platform.outbox.models import OutgoingMail
from menage.platform.resources.models import Resource


@login_required
def space_home(request: HttpRequest) -> HttpResponse:
    managed = managed_organisation_ids(request.user)
    member = member_organisation_ids(request.user)
    facilitated = Event.objects.filter(
        facilitators=signed_in_user(request), ends_at__gte=timezone.now()
    ).select_related("venue", "campaign")
    return render(
        request,
        "space/home.html",
        {
            "organisations": Organisation.objects.filter(pk__in=member).select_related("parent"),
            "managed": managed,
            "memberships": Membership.objects.filter(user=signed_in_user(request)).select_related(
                "organisation"
            ),
            "campaigns": Campaign.objects.filter(organisation__in=member)
            .select_related("organisation")
            .order_by("-starts_on"),
            "venues": Venue.objects.filter(organisation__in=managed),
            # managers see who belongs to the organisations they manage, and in which role
            "members": Membership.objects.filter(organisation__in=managed)
            .select_related("user", "organisation")
            .order_by("organisation__name", "user__last_name"),
            "resources": Resource.objects.filter(organisation__in=member),
            "facilitated": facilitated,
            # operations asking to be part of a campaign this person manages
            "requests": Campaign.objects.filter(
                part_of__organisation__in=managed, part_of_approved=False
            ).select_related("organisation", "part_of"),
            "failed_mails": OutgoingMail.objects.filter(
                organisation__in=managed, status=OutgoingMail.Status.FAILED
            ).select_related("event")[:20],
            "section": "space",
        },
    )
