"""The organisers' campaign form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from menage.platform.campaigns.models import Campaign, CampaignAlias
from menage.platform.core.forms import ModelForm, date_field
from menage.platform.core.visibility import Visibility
from menage.platform.organisations.models import Organisation


class CampaignForm(ModelForm):
    starts_on = date_field(_("First day"))
    ends_on = date_field(_("Last day"))

    class Meta:
        model = Campaign
        fields = [
            "organisation",
            "name",
            "slug",
            "kind",
            "starts_on",
            "ends_on",
            "visibility",
            "description",
            "audience",
            "part_of",
        ]
        widgets = {"kind": forms.RadioSelect, "visibility": forms.RadioSelect}
        help_texts = {
            "slug": _(
                "Letters, digits and hyphens, as in ville-2026. "
                "Left empty, it is made from the name."
            ),
        }

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.managed_ids = set(organisations.values_list("pk", flat=True))
        fields: Any = self.fields
        fields["organisation"].queryset = organisations
        fields["kind"].choices = Campaign.Kind.choices  # radio buttons: no empty "---------"
        fields["slug"].required = False
        # a school's operation can ask to join its district's campaign, or any public one;
        # the wider campaign's organisers approve it (unless they are the ones asking)
        wider = Campaign.objects.filter(visibility=Visibility.PUBLIC) | Campaign.objects.filter(
            organisation__in=organisations
        )
        if self.instance.pk:
            wider = wider.exclude(pk__in=self.instance.operation_ids())
        fields["part_of"].queryset = wider.distinct().order_by("name")

    def _check_contents_fit(self, starts: dt.date, ends: dt.date) -> None:
        """Shrinking the dates must not strand events or collection points outside them:
        say which, so that the organiser moves or cancels them first (nothing is lost)."""
        outside = [
            event.title
            for event in self.instance.events.filter(cancelled_at__isnull=True)
            if not (starts <= localdate(event.starts_at) and localdate(event.ends_at) <= ends)
        ]
        outside += [
            point.name
            for point in self.instance.collection_points.all()
            if point.starts_on < starts or point.ends_on > ends
        ]
        if outside:
            self.add_error(
                "ends_on" if ends < self.instance.ends_on else "starts_on",
                _("These would fall outside the new dates; move them first: {names}.").format(
                    names=", ".join(sorted(outside)[:10])
                ),
            )

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("name", ""))[:80]
        if not slug:
            raise forms.ValidationError(_("Enter a short name made of letters and digits."))
        clash = Campaign.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        taken = CampaignAlias.objects.filter(slug=slug).exclude(campaign=self.instance.pk or 0)
        if clash.exists() or taken.exists():
            raise forms.ValidationError(_("Another campaign already uses this short name."))
        return str(slug)

    def save(self, commit: bool = True) -> Campaign:
        campaign: Campaign = super().save(commit=False)
        old_slug = self.initial.get("slug") if self.instance.pk else None
        if "part_of" in self.changed_data or campaign.part_of is None:
            parent = campaign.part_of
            campaign.part_of_approved = parent is not None and (
                parent.organisation_id in self.managed_ids
            )
        if commit:
            campaign.save()
            if old_slug and old_slug != campaign.slug:
                # old addresses and subscribed calendars keep working
                CampaignAlias.objects.filter(slug=campaign.slug).delete()
                CampaignAlias.objects.update_or_create(
                    slug=old_slug, defaults={"campaign": campaign}
                )
        return campaign

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day must be on or after the first day."))
        elif starts and ends and self.instance.pk:
            self._check_contents_fit(starts, ends)
        return data
