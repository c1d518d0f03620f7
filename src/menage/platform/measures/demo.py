"""The demo's week of submissions: the district's staff machines and its schools, apart,
like the district that published 10.97 TB on staff machines and 730.57 GB in schools."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from menage.platform.campaigns.models import Campaign
from menage.platform.measures.models import Entry, ParticipationCode, Submission
from menage.platform.organisations.models import Organisation

STAFF_BYTES = 10_970_000_000_000
SCHOOL_BYTES = 730_570_000_000
# (organisation slug, participations, share of the schools' bytes); the last school has
# too few participations to be shown on its own
SCHOOLS = [("college-jean-moulin", 12, 0.55), ("lycee-marie-curie", 9, 0.40),
           ("ecole-des-tilleuls", 3, 0.05)]  # fmt: skip
STAFF = 40


def _split(total: int, parts: int) -> list[int]:
    """``parts`` uneven integers that add up to ``total`` exactly."""
    weights = [1 + (n * 7) % 5 for n in range(parts)]
    shares = [total * w // sum(weights) for w in weights]
    shares[-1] += total - sum(shares)
    return shares


def load_measures_demo(campaign: Campaign, district: Organisation) -> None:
    codes = [(ParticipationCode.objects.create(campaign=campaign, organisation=district,
              label="Postes des agents"), STAFF, STAFF_BYTES)]  # fmt: skip
    for slug, count, share in SCHOOLS:
        school = Organisation.objects.get(slug=slug)
        code = ParticipationCode.objects.create(campaign=campaign, organisation=school)
        codes.append((code, count, round(SCHOOL_BYTES * share)))
    codes[-1] = (codes[-1][0], codes[-1][1], SCHOOL_BYTES - sum(c[2] for c in codes[1:-1]))
    days = (campaign.ends_on - campaign.starts_on).days + 1
    for code, count, total in codes:
        for n, moved in enumerate(_split(total, count)):
            # consecutive participations share a day, so that each day gets its fair
            # share of the uneven split (n % days lined the smallest weights up on Monday)
            day = campaign.starts_on + dt.timedelta(days=n * days // count)
            row = Submission.objects.create(
                code=code, campaign=campaign, organisation=code.organisation,
                key=f"demo-{code.code}-{n:04d}", status=Submission.Status.ACCEPTED,
                since=campaign.starts_on, channel="computer" if code.organisation == district
                else "file_server" if n % 4 == 0 else "computer",
                moved_files=max(1, moved // 2_500_000), moved_bytes=moved,
                freed_bytes=moved // 2,
                by_finding={"duplicates": {"files": 1, "bytes": moved // 3}},
                client="menage 0.1",
            )  # fmt: skip
            moment = dt.datetime.combine(day, dt.time(10 + n % 8, (n * 13) % 60))
            Submission.objects.filter(pk=row.pk).update(received_at=timezone.make_aware(moment))
    # a report too large to be true waits for the district's review: it does not count
    poster = codes[2][0]
    Submission.objects.create(
        code=poster, campaign=campaign, organisation=poster.organisation, key="demo-review-0001",
        status=Submission.Status.PENDING_REVIEW, since=campaign.starts_on, channel="computer",
        moved_files=12_000_000, moved_bytes=150 * 1000**4, freed_bytes=0, client="menage 0.1",
    )  # fmt: skip


GB = 1000**3
# the form's entries: (organisation slug or None for the campaign's own, day of the week,
# fields); devices and workshops in the district's schools, data deleted by hand, devices
# and a repair café's workshops in the city's week
DISTRICT_FORM = [
    ("college-jean-moulin", 1, {"entry": Entry.WORKSHOP, "people_reached": 28}),
    ("college-jean-moulin", 3, {"entry": Entry.WORKSHOP, "people_reached": 31}),
    ("college-jean-moulin", 2, {"entry": Entry.DEVICES, "device_type": "laptop",
                                "device_state": "working", "devices": 6}),
    ("college-jean-moulin", 2, {"entry": Entry.DEVICES, "device_type": "desktop",
                                "device_state": "repairable", "devices": 4}),
    ("college-jean-moulin", 4, {"entry": Entry.DEVICES, "device_type": "monitor",
                                "device_state": "broken", "devices": 5}),
    ("lycee-marie-curie", 2, {"entry": Entry.WORKSHOP, "people_reached": 45}),
    ("lycee-marie-curie", 4, {"entry": Entry.DEVICES, "device_type": "tablet",
                              "device_state": "working", "devices": 8}),
    (None, 4, {"entry": Entry.DEVICES, "device_type": "laptop", "device_state": "working",
               "devices": 12}),
]  # fmt: skip
CITY_FORM = [
    (None, 0, {"entry": Entry.DATA, "channel": "cloud", "moved_bytes": 4_200_000_000}),
    (None, 1, {"entry": Entry.DATA, "channel": "phone", "moved_bytes": 12 * GB}),
    (None, 1, {"entry": Entry.DATA, "channel": "cloud", "moved_bytes": 27 * GB}),
    (None, 2, {"entry": Entry.DATA, "channel": "phone", "moved_bytes": 8_500_000_000}),
    (None, 3, {"entry": Entry.DATA, "channel": "phone", "moved_bytes": 31 * GB}),
    (None, 2, {"entry": Entry.DEVICES, "device_type": "phone", "device_state": "working",
               "devices": 14}),
    (None, 3, {"entry": Entry.DEVICES, "device_type": "phone", "device_state": "broken",
               "devices": 9}),
    (None, 4, {"entry": Entry.DEVICES, "device_type": "laptop", "device_state": "repairable",
               "devices": 7}),
    ("repair-cafe-montclair", 2, {"entry": Entry.WORKSHOP, "people_reached": 18}),
    ("repair-cafe-montclair", 4, {"entry": Entry.WORKSHOP, "people_reached": 22}),
    ("repair-cafe-montclair", 5, {"entry": Entry.WORKSHOP, "people_reached": 15}),
]  # fmt: skip


def load_form_demo(
    campaign: Campaign, entries: list[tuple[str | None, int, dict[str, object]]]
) -> None:
    """The form's entries of ``campaign``, each on its day (see DISTRICT_FORM, CITY_FORM)."""
    codes: dict[str | None, ParticipationCode] = {}
    for n, (slug, day, fields) in enumerate(entries):
        if slug not in codes:
            organisation = Organisation.objects.get(slug=slug) if slug else None
            codes[slug] = ParticipationCode.objects.create(
                campaign=campaign, organisation=organisation, label="Formulaire"
            )
        code = codes[slug]
        row = Submission.objects.create(
            code=code, campaign=campaign, organisation=code.organisation,
            key=f"demo-form-{code.code}-{n:04d}", status=Submission.Status.ACCEPTED,
            since=campaign.starts_on, channel=str(fields.pop("channel", "")), client="form",
            **fields,
        )  # fmt: skip
        moment = dt.datetime.combine(campaign.starts_on + dt.timedelta(days=day), dt.time(17, n))
        Submission.objects.filter(pk=row.pk).update(received_at=timezone.make_aware(moment))
