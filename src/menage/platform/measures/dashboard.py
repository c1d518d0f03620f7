"""Dashboards of a campaign and of an organisation, aggregated on read from the
append-only submissions (current and accepted rows only).

**Who counts where.** A submission belongs to the organisation of its code (a school),
else to the organisation of its campaign. A *campaign's* dashboard counts the campaign
and the operations attached to it that its organisers approved, whoever runs them. An
*organisation's* dashboard counts what the organisation and every organisation below it
did (a district and its schools), in one campaign at a time, including when they took
part in another organisation's campaign; an operation that another organisation
attached to one of our campaigns counts on that campaign's dashboard, not on ours.

**Small groups.** No figure is shown for a group of fewer than
``MENAGE_MEASURES_MIN_GROUP`` entries (5 by default): a school with one teacher must not
be singled out. The groups too small to show are put together under « others »; when
that is still too small, the smallest shown group joins them, so that no hidden figure
can be worked out by subtracting the shown ones from the total.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

from menage.impact.campaign import CampaignTotals, campaign_totals
from menage.impact.devices import device_type
from menage.impact.factors import factors
from menage.impact.values import ZERO, Range
from menage.platform.campaigns.models import Campaign
from menage.platform.measures.equipment import EquipmentCounts, equipment_counts
from menage.platform.measures.models import DeviceState, Entry, Submission
from menage.platform.measures.totals import Totals, campaign_ids, totals
from menage.platform.organisations.models import Organisation

#: data deleted there is counted as storage on a local disk; elsewhere, in a data centre
LOCAL_CHANNELS = ("computer", "phone")


def owned_by(organisation_ids: set[int]) -> Q:
    """Submissions made for one of these organisations (see the module docstring)."""
    return Q(organisation_id__in=organisation_ids) | Q(
        organisation__isnull=True, campaign__organisation_id__in=organisation_ids
    )


@dataclass
class Group:
    name: str
    totals: Totals
    rank: int | None = None
    #: how many organisations a group of « others » puts together
    members: int = 1


@dataclass
class Impact:
    """What the dashboard says of the impact: two lines and their sum, with the method."""

    data: Range = ZERO
    devices: Range = ZERO
    reused: int = 0
    collected: int = 0
    not_converted: int = 0
    from_equipment: bool = False
    sources: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> Range:
        return self.data + self.devices


@dataclass
class Dashboard:
    campaign: Campaign
    totals: Totals
    groups: list[Group]
    ranked: bool
    impact: Impact
    devices: list[tuple[str, str, int]]
    equipment: EquipmentCounts
    minimum: int = field(default_factory=lambda: settings.MENAGE_MEASURES_MIN_GROUP)


def _add(a: Totals, b: Totals) -> Totals:
    summed = Totals()
    for f in fields(Totals):
        if f.name != "days":
            setattr(summed, f.name, getattr(a, f.name) + getattr(b, f.name))
    return summed


def protect(groups: list[Group], others_name: str, ranked: bool) -> list[Group]:
    """Shown groups (ranked by data cleaned if ``ranked``, else by name), then « others »."""
    shown = [g for g in groups if g.totals.shown]
    hidden = [g for g in groups if not g.totals.shown]
    if hidden:
        shown.sort(key=lambda g: (g.totals.participants, g.name))
        while (
            shown
            and sum(g.totals.participants for g in hidden) < settings.MENAGE_MEASURES_MIN_GROUP
        ):
            hidden.append(shown.pop(0))
    shown.sort(key=(lambda g: (-g.totals.moved_bytes, g.name)) if ranked else (lambda g: g.name))
    if ranked:
        for n, group in enumerate(shown, start=1):
            group.rank = n
    if hidden:
        together = Totals()
        for group in hidden:
            together = _add(together, group.totals)
        shown.append(Group(others_name, together, members=len(hidden)))
    return shown


def ranked_for(organisation: Organisation) -> bool:
    options = getattr(organisation, "dashboard_options", None)
    return bool(options and options.rank_children)


def impact_of(
    rows: QuerySet[Submission], equipment: EquipmentCounts
) -> tuple[Impact, CampaignTotals]:
    """The impact model on the rows' data and devices (see ``METHOD`` in the views)."""
    by_channel = dict(
        rows.order_by()
        .values_list("channel")
        .annotate(total=Sum("moved_bytes"))
        .values_list("channel", "total")
    )
    local = sum(int(v or 0) for k, v in by_channel.items() if k in LOCAL_CHANNELS)
    cloud = sum(int(v or 0) for k, v in by_channel.items() if k not in LOCAL_CHANNELS)
    reused: dict[str, int] = {}
    collected: dict[str, int] = {}
    if equipment.collected:
        # the equipment team's records are checked: they win over what people declared
        reused = dict(equipment.reused_by_type)
    else:
        for code, state, count in declared_devices(rows):
            target = reused if state == DeviceState.WORKING else collected
            target[code] = target.get(code, 0) + count
    convertible = {k: n for k, n in reused.items() if device_type(k).has_factors}
    result = campaign_totals(
        deleted_cloud_bytes=cloud,
        deleted_local_bytes=local,
        devices_reused=convertible,
        devices_collected=collected,
    )
    impact = Impact(
        reused=sum(reused.values()),
        collected=sum(collected.values()) if not equipment.collected else equipment.collected,
        not_converted=sum(reused.values()) - sum(convertible.values()),
        from_equipment=bool(equipment.collected),
    )
    table = factors()
    for line in result.lines:
        if line.activity.startswith("storage_"):
            impact.data = impact.data + line.kgco2e
        else:
            impact.devices = impact.devices + line.kgco2e
        for key in line.sources:
            if key in table:
                cited = (table[key].source, table[key].year)
                if cited not in impact.sources:
                    impact.sources.append(cited)
    return impact, result


def declared_devices(rows: QuerySet[Submission]) -> list[tuple[str, str, int]]:
    """(device type, state, count) declared on the form, biggest first."""
    found = (
        rows.filter(entry=Entry.DEVICES)
        .order_by()
        .values_list("device_type", "device_state")
        .annotate(total=Sum("devices"))
    )
    return sorted(((t, s, int(n or 0)) for t, s, n in found), key=lambda x: (-x[2], x[0], x[1]))


def _build(
    campaign: Campaign, rows: QuerySet[Submission], groups: list[Group], ranked: bool,
    equipment: EquipmentCounts, others_name: str,
) -> Dashboard:  # fmt: skip
    whole = totals(rows, campaign.starts_on, campaign.ends_on)
    impact, _result = impact_of(rows, equipment)
    return Dashboard(
        campaign=campaign,
        totals=whole,
        groups=protect(groups, others_name, ranked),
        ranked=ranked,
        impact=impact,
        devices=declared_devices(rows),
        equipment=equipment,
    )


def counted_rows(ids: set[int]) -> QuerySet[Submission]:
    return Submission.objects.filter(
        campaign_id__in=ids, current=True, status=Submission.Status.ACCEPTED
    )


def for_campaign(campaign: Campaign, others_name: str) -> Dashboard:
    """The campaign and its approved operations, one group per organisation."""
    ids = campaign_ids(campaign)
    rows = counted_rows(ids)
    owners: set[int] = set()
    for own, of_campaign in (
        rows.order_by().values_list("organisation_id", "campaign__organisation_id").distinct()
    ):
        owners.add(own or of_campaign)
    groups = [
        Group(
            org.name, totals(rows.filter(owned_by({org.pk})), campaign.starts_on, campaign.ends_on)
        )
        for org in Organisation.objects.filter(pk__in=owners)
    ]
    return _build(campaign, rows, groups, ranked_for(campaign.organisation),
                  equipment_counts(ids), others_name)  # fmt: skip


def campaigns_of(organisation: Organisation, visible: QuerySet[Campaign]) -> list[Campaign]:
    """The visible campaigns the organisation's tree reported in, the latest first."""
    tree = organisation.descendant_ids()
    ids = (
        Submission.objects.filter(owned_by(tree), current=True)
        .order_by()
        .values_list("campaign_id", flat=True)
        .distinct()
    )
    return list(visible.filter(pk__in=ids).order_by("-starts_on", "name"))


def for_organisation(
    organisation: Organisation, campaign: Campaign, others_name: str, own_name: str
) -> Dashboard:
    """The organisation's tree in ``campaign``, one group per organisation just below it
    (each with everything below it) and one for the organisation's own entries."""
    ids = campaign_ids(campaign)
    tree = organisation.descendant_ids()
    rows = counted_rows(ids).filter(owned_by(tree))
    start, end = campaign.starts_on, campaign.ends_on
    groups: list[Group] = []
    own = rows.filter(owned_by({organisation.pk}))
    if own.exists():
        groups.append(Group(own_name.format(name=organisation.name), totals(own, start, end)))
    for child in organisation.children.all():
        below = rows.filter(owned_by(child.descendant_ids()))
        if below.exists():
            groups.append(Group(child.name, totals(below, start, end)))
    return _build(campaign, rows, groups, ranked_for(organisation),
                  equipment_counts(ids, tree), others_name)  # fmt: skip
