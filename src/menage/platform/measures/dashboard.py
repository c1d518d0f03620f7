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

The figures come from :mod:`menage.platform.measures.aggregates` (one grouped query,
cached per campaign); this module arranges them into groups, « others » and impact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from menage.impact.campaign import CampaignTotals, campaign_totals
from menage.impact.devices import device_type
from menage.impact.factors import factors
from menage.impact.values import ZERO, Range
from menage.platform.campaigns.models import Campaign
from menage.platform.measures.aggregates import Totals, counted, names, under
from menage.platform.measures.equipment import EquipmentCounts, equipment_counts
from menage.platform.measures.models import DeviceState
from menage.platform.organisations.models import Organisation


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
            together = together.merge(group.totals)
        shown.append(Group(others_name, together, members=len(hidden)))
    return shown


def ranked_for(organisation: Organisation) -> bool:
    options = getattr(organisation, "dashboard_options", None)
    return bool(options and options.rank_children)


def impact_of(totals: Totals, equipment: EquipmentCounts) -> tuple[Impact, CampaignTotals]:
    """The impact model on the group's data and devices (see ``METHOD`` in the views)."""
    local, cloud = totals.local_and_cloud()
    reused: dict[str, int] = {}
    collected: dict[str, int] = {}
    if equipment.collected:
        # the equipment team's records are checked: they win over what people declared
        reused = dict(equipment.reused_by_type)
    else:
        for code, state, count in declared_devices(totals):
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


def declared_devices(totals: Totals) -> list[tuple[str, str, int]]:
    """(device type, state, count) declared on the form, biggest first."""
    found = ((t, s, n) for (t, s), n in totals.declared.items())
    return sorted(found, key=lambda x: (-x[2], x[0], x[1]))


def _build(
    campaign: Campaign, whole: Totals, groups: list[Group], ranked: bool,
    equipment: EquipmentCounts, others_name: str,
) -> Dashboard:  # fmt: skip
    impact, _result = impact_of(whole, equipment)
    return Dashboard(
        campaign=campaign,
        totals=whole,
        groups=protect(groups, others_name, ranked),
        ranked=ranked,
        impact=impact,
        devices=declared_devices(whole),
        equipment=equipment,
    )


def for_campaign(campaign: Campaign, others_name: str) -> Dashboard:
    """The campaign and its approved operations, one group per organisation."""
    figures = counted(campaign)
    found = names(figures.by_owner)
    groups = [Group(found[pk][0], totals) for pk, totals in figures.by_owner.items()]
    return _build(campaign, figures.total, groups, ranked_for(campaign.organisation),
                  equipment_counts(figures.ids), others_name)  # fmt: skip


def for_organisation(
    organisation: Organisation, campaign: Campaign, others_name: str, own_name: str
) -> Dashboard:
    """The organisation's tree in ``campaign``, one group per organisation just below it
    (each with everything below it) and one for the organisation's own entries."""
    figures = counted(campaign)
    tree = organisation.descendant_ids()
    found = names(tree)
    child_of = under(organisation, found)
    whole = Totals(start=campaign.starts_on, end=campaign.ends_on)
    by_child: dict[int, Totals] = {}
    for pk, totals in figures.by_owner.items():
        if pk in tree:
            whole = whole.merge(totals)
            child = child_of(pk)
            by_child[child] = by_child[child].merge(totals) if child in by_child else totals
    groups = [
        Group(own_name.format(name=organisation.name) if pk == organisation.pk else found[pk][0],
              totals)
        for pk, totals in by_child.items()
    ]  # fmt: skip
    return _build(campaign, whole, groups, ranked_for(organisation),
                  equipment_counts(figures.ids, tree), others_name)  # fmt: skip
