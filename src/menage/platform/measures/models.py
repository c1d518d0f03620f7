"""Participation codes and submissions.

A **participation code** belongs to a campaign (and optionally to one organisation of
it, such as a school): a short human code printed on a poster (``VAL-7K3Q``) and a
secret token given privately (to a school's IT team, say) that lifts the poster's rate
limit. Nobody needs an account to take part.

A **submission** is one row per report received, never updated in place but for its
``current`` flag and its review status: totals are sums on read over the current
accepted rows, so concurrent submissions never contend on one counter row. The same
idempotency key from the same code *replaces* the previous submission (the old row
stays, marked not current): a correction after an undo, never a double count. A unique
constraint on (code, key) among current rows holds that under concurrency.

Only aggregates are stored: numbers, a date, a channel, finding types from a fixed list
and the client's name and version. No names, paths, addresses or subjects.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from menage.impact.devices import device_type
from menage.platform.campaigns.models import Campaign
from menage.platform.organisations.models import Organisation

# no 0/O, 1/I/L: read from a poster and typed by hand
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ParticipationCode(models.Model):
    """What a poster carries (``code``) and what stays private (``token``)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="codes"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participation_codes",
        help_text=_("A school or a service of the campaign; empty for the whole campaign."),
    )
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_code)
    token = models.CharField(_("secret token"), max_length=64, unique=True, default=new_token)
    label = models.CharField(_("label"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "code"]
        verbose_name = _("participation code")
        verbose_name_plural = _("participation codes")

    def __str__(self) -> str:
        return self.code


class Channel(models.TextChoices):
    COMPUTER = "computer", _("Computer")
    FILE_SERVER = "file_server", _("File server")
    MAIL = "mail", _("Mail")
    PHONE = "phone", _("Phone")
    CLOUD = "cloud", _("Cloud")


class Entry(models.TextChoices):
    """What a submission reports: the CLI's measured run, or one of the form's three kinds."""

    REPORT = "report", _("Cleanup measured by menage")
    DATA = "data", _("Data deleted by hand")
    DEVICES = "devices", _("Devices dropped at a collection point")
    WORKSHOP = "workshop", _("People reached at a workshop")


class DeviceState(models.TextChoices):
    WORKING = "working", _("Works: for reuse")
    REPAIRABLE = "repairable", _("To repair")
    BROKEN = "broken", _("Broken: for recycling")


class Submission(models.Model):
    """One report of what a participant cleaned (see the module docstring)."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PENDING_REVIEW = "pending_review", _("Waiting for review")
        REJECTED = "rejected", _("Rejected")

    code = models.ForeignKey(
        ParticipationCode, on_delete=models.PROTECT, related_name="submissions"
    )
    # copied from the code when received: totals filter on them without a join
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="submissions",
        db_index=False,  # the (campaign, id) index below serves it
    )
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="submissions"
    )
    key = models.CharField(max_length=128)
    current = models.BooleanField(default=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    since = models.DateField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    moved_files = models.BigIntegerField(default=0)
    moved_bytes = models.BigIntegerField(default=0)
    freed_bytes = models.BigIntegerField(default=0)
    restored_bytes = models.BigIntegerField(default=0)
    by_finding = models.JSONField(default=dict)
    mails_deleted = models.BigIntegerField(default=0)
    newsletters_unsubscribed = models.BigIntegerField(default=0)
    client = models.CharField(max_length=40, blank=True)
    # the form's kinds (menage submit always sends a "report"); the channel of a devices or
    # workshop entry is empty
    entry = models.CharField(max_length=10, choices=Entry.choices, default=Entry.REPORT)
    device_type = models.CharField(max_length=20, blank=True)
    device_state = models.CharField(max_length=10, choices=DeviceState.choices, blank=True)
    devices = models.BigIntegerField(default=0)
    people_reached = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "key"],
                condition=models.Q(current=True),
                name="one_current_submission_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "current", "status"]),
            # a campaign's last submission id, which keys the figures' cache (aggregates)
            models.Index(fields=["campaign", "id"], name="measures_sub_campaign_last"),
        ]

    def __str__(self) -> str:
        return f"{self.code_id}:{self.key[:8]}"

    def summary(self) -> str:
        """What the entry reports, for the review page (the data columns say the rest)."""
        if self.entry == Entry.DEVICES:
            return gettext("{count} × {kind}, {state}").format(
                count=self.devices,
                kind=device_type(self.device_type).label(get_language() or "fr")
                if self.device_type
                else "?",
                state=self.get_device_state_display().lower(),
            )
        if self.entry == Entry.WORKSHOP:
            return ngettext(
                "{count} person reached at a workshop",
                "{count} people reached at a workshop",
                self.people_reached,
            ).format(count=self.people_reached)
        where = self.get_channel_display()
        return where if self.entry == Entry.REPORT else f"{where} ({Entry(self.entry).label})"


class DashboardOptions(models.Model):
    """What an organisation chose for its measures dashboard (absent: the defaults)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="dashboard_options"
    )
    # off by default: a ranking singles schools out, the organisation has to want it
    rank_children = models.BooleanField(_("rank the organisations below ours"), default=False)

    class Meta:
        verbose_name = _("dashboard options")
        verbose_name_plural = _("dashboard options")

    def __str__(self) -> str:
        return str(self.organisation_id)


class Review(models.Model):
    """One organiser's decision on a submission: who, when, and why on a rejection.

    Append-only: a change of mind is a new row; the submission's ``status`` is the last
    decision, and this log says how it got there.
    """

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the name as it was when deciding: the log still says who if the account goes
    by_name = models.CharField(_("by"), max_length=300)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.decision}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("the review log is append-only")
        super().save(*args, **kwargs)


class SubmissionTally(models.Model):
    """How many submissions a campaign has, kept by the database itself: triggers on the
    submissions' table (migration 0005) add one in the same transaction as each insert
    and take one off with each delete, so a snapshot's sum over a campaign's rows is
    exactly the number of its submissions that snapshot sees, whatever the order the
    rows commit in. The figures' cache reads it instead of counting the rows (O(1), not
    O(rows): see ``aggregates._version``).

    Spread over up to 16 rows per campaign (PostgreSQL: the slot of the writing
    connection, ``pg_backend_pid() % 16`` in the trigger), so that concurrent posts do
    not all wait for one counter row; a transaction always writes its connection's slot,
    so two never lock slots in opposite orders. ``campaign_id`` is a plain number, not a
    foreign key: deleting a campaign's rows must not depend on the order Django deletes
    them in.
    """

    campaign_id = models.BigIntegerField()
    slot = models.SmallIntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign_id", "slot"], name="one_tally_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.slot}={self.n}"
