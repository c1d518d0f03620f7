"""Demo data: a city's cleanup week and a school district with its schools.

Five days of workshops in neighbourhood venues ("clean your computer", "put your mailbox
on a diet", "sort your phone", "AI and its footprint"), named facilitators and partners,
an evening wrap-up, three collection points open all week; and a school district whose
schools registered "Nettoyons nos données" and "Donnons une seconde vie à nos
équipements". The week starts next Monday, so the agenda is alive whenever the demo is
loaded. The content is in :mod:`menage.platform.core.demo_content`.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from menage.platform.campaigns.models import Campaign
from menage.platform.collection.hours import parse
from menage.platform.collection.models import CollectionPoint
from menage.platform.core import demo_content as content
from menage.platform.events.models import Event, Venue
from menage.platform.organisations.models import Membership, Organisation
from menage.platform.resources.models import Resource

CITY_SLUG = content.CITY_SLUG


@dataclass
class DemoSummary:
    """What :func:`load_demo` did, for the command line to print."""

    created: bool
    password: str = ""
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (username, role)
    campaigns: int = 0
    events: int = 0
    points: int = 0


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7 - today.weekday())


def load_demo(today: dt.date | None = None, password: str | None = None) -> DemoSummary:
    """Load the demo once; a second call changes nothing.

    Args:
        today: the day the week is computed from (next Monday onwards).
        password: the demo accounts' password; default ``$MENAGE_DEMO_PASSWORD`` or a
            random one, returned in the summary.
    """
    if Organisation.objects.filter(slug=CITY_SLUG).exists():
        return DemoSummary(created=False)
    password = password or os.environ.get("MENAGE_DEMO_PASSWORD") or secrets.token_urlsafe(9)
    monday = next_monday(today or timezone.localdate())
    with transaction.atomic():
        return _Builder(monday, password).build()


class _Builder:
    def __init__(self, monday: dt.date, password: str) -> None:
        self.monday = monday
        self.friday = monday + dt.timedelta(days=4)
        self.password = password
        self.summary = DemoSummary(created=True, password=password)
        self.organisations: dict[str, Organisation] = {}
        self.people: dict[str, Any] = {}

    def at(self, day: int, clock: str) -> dt.datetime:
        hours, minutes = (int(part) for part in clock.split(":"))
        moment = dt.datetime.combine(self.monday + dt.timedelta(days=day), dt.time(hours, minutes))
        return timezone.make_aware(moment)

    def build(self) -> DemoSummary:
        for slug, (name, kind, parent, description) in content.ORGANISATIONS.items():
            self.organisations[slug] = Organisation.objects.create(
                name=name,
                slug=slug,
                kind=kind,
                parent=self.organisations.get(parent or ""),
                description=description,
            )
        city = self.organisations[CITY_SLUG]
        for key, value in content.CITY_SETTINGS.items():
            setattr(city, key, value)
        city.save()
        self._people()
        week = self._campaign(city, content.WEEK)
        self._programme(week)
        self._points(week)
        district = self.organisations["direction-academique-du-val"]
        schools = self._campaign(district, content.DISTRICT_WEEK)
        for school, name, slug, kind, visibility in content.OPERATIONS:
            self._campaign(
                self.organisations[school],
                {"name": name, "slug": slug, "audience": "Élèves et équipes de l'établissement"},
                kind=kind,
                visibility=visibility,
                part_of=schools,
                part_of_approved=visibility == "public",
            )
        from menage.platform.measures.demo import (
            CITY_FORM,
            DISTRICT_FORM,
            load_form_demo,
            load_measures_demo,
        )

        load_measures_demo(schools, district)
        load_form_demo(schools, [(s, d, dict(f)) for s, d, f in DISTRICT_FORM])
        load_form_demo(week, [(s, d, dict(f)) for s, d, f in CITY_FORM])
        self._resources()
        from menage.platform.equipment.demo import load_equipment_demo

        load_equipment_demo(self.monday, self.people["marie.dupont"])
        self.summary.campaigns = Campaign.objects.count()
        self.summary.events = Event.objects.count()
        self.summary.points = CollectionPoint.objects.count()
        return self.summary

    def _people(self) -> None:
        for username, (first, last, roles) in content.PEOPLE.items():
            user = get_user_model().objects.create_user(
                username,
                f"{username}@example.org",
                self.password,
                first_name=first,
                last_name=last,
            )
            self.people[username] = user
            for slug, role in roles:
                organisation = self.organisations[slug]
                Membership.objects.create(user=user, organisation=organisation, role=role)
            slug, role = roles[0]
            label = f"{self.organisations[slug].name}, {Membership.Role(role).label}"
            self.summary.accounts.append((username, label))

    def _campaign(self, organisation: Organisation, text: dict[str, str], **extra: Any) -> Any:
        return Campaign.objects.create(
            organisation=organisation,
            name=text["name"],
            slug=text["slug"],
            kind=extra.pop("kind", Campaign.Kind.DATA),
            starts_on=self.monday,
            ends_on=self.friday,
            audience=text.get("audience", ""),
            description=text.get("description", ""),
            **extra,
        )

    def _programme(self, week: Campaign) -> None:
        city = self.organisations[CITY_SLUG]
        venues = {
            key: Venue.objects.create(
                organisation=city,
                name=name,
                address=address,
                town=content.TOWN,
                neighbourhood=neighbourhood,
                accessibility=accessibility,
            )
            for key, (name, address, neighbourhood, accessibility) in content.VENUES.items()
        }
        for day, start, end, topic, kind, venue, people, partners, places in content.PROGRAMME:
            title, text = content.TOPICS[topic]
            event = Event.objects.create(
                campaign=week,
                title=title,
                description=text,
                kind=kind,
                venue=venues[venue],
                starts_at=self.at(day, start),
                ends_at=self.at(day, end),
                audience="Adultes, débutants bienvenus" if kind == "workshop" else "Tout public",
                capacity=places,
                registration_open=places is not None and kind != "talk",
                accessibility="Interprétation en LSF sur demande." if kind == "evening" else "",
            )
            event.facilitators.set([self.people[name] for name in people])
            event.partners.set([self.organisations[slug] for slug in partners])

    def _points(self, week: Campaign) -> None:
        for name, address, neighbourhood, hours, items, position, notes in content.POINTS:
            latitude, longitude = position or (None, None)
            CollectionPoint.objects.create(
                campaign=week,
                name=name,
                address=address,
                town=content.TOWN,
                neighbourhood=neighbourhood,
                hours=[list(rule) for rule in parse(hours)],
                accepted_items=items,
                starts_on=self.monday,
                ends_on=self.friday,
                latitude=latitude,
                longitude=longitude,
                notes=notes,
            )

    def _resources(self) -> None:
        for slug, title, theme, visibility, description, url in content.RESOURCES:
            resource = Resource(
                organisation=self.organisations[slug],
                title=title,
                theme=theme,
                visibility=visibility,
                description=description,
                url=url or "",
            )
            if url is None:
                kit = _tiny_pdf("Nettoyons nos donnees")
                resource.file = ContentFile(kit, name="kit-classes.pdf")
                resource.file_size = len(kit)
            resource.save()


def _tiny_pdf(title: str) -> bytes:
    """A one-page PDF written by hand, so the demo ships no binary file."""
    stream = f"BT /F1 24 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
