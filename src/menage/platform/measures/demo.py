"""The demo's week of submissions: the district's staff machines and its schools, apart,
like the district that published 10.97 TB on staff machines and 730.57 GB in schools."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from menage.platform.campaigns.models import Campaign
from menage.platform.measures.models import ParticipationCode, Submission
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
