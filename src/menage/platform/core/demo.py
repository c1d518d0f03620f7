"""Demo data: a city's cleanup week and a school district with its schools.

Modelled on real programmes: five days of workshops in neighbourhood venues ("clean
your computer", "put your mailbox on a diet", "sort your phone", "AI and its
footprint"), named facilitators and partners, an evening wrap-up, three collection
points open all week; and a school district whose schools registered "Nettoyons nos
données" and "Donnons une seconde vie à nos équipements". The week starts next
Monday, so the agenda is alive whenever the demo is loaded. Names are invented.
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
from menage.platform.collection.models import CollectionPoint
from menage.platform.events.models import Event, Venue
from menage.platform.organisations.models import Membership, Organisation
from menage.platform.resources.models import Resource, Theme

CITY_SLUG = "ville-de-montclair"


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
        self.password = password
        self.summary = DemoSummary(created=True, password=password)

    def person(self, username: str, first: str, last: str, org: Organisation, role: str) -> Any:
        user = get_user_model().objects.create_user(
            username, f"{username}@example.org", self.password, first_name=first, last_name=last
        )
        Membership.objects.create(user=user, organisation=org, role=role)
        self.summary.accounts.append((username, f"{org.name}, {Membership.Role(role).label}"))
        return user

    def at(self, day: int, hour: int, minute: int = 0) -> dt.datetime:
        moment = dt.datetime.combine(self.monday + dt.timedelta(days=day), dt.time(hour, minute))
        return timezone.make_aware(moment)

    def build(self) -> DemoSummary:
        org = Organisation.objects.create
        city = org(
            name="Ville de Montclair",
            slug=CITY_SLUG,
            kind=Organisation.Kind.CITY,
            description="La ville organise chaque année sa semaine du nettoyage numérique.",
        )
        repair = org(
            name="Repair Café de Montclair",
            slug="repair-cafe-montclair",
            kind=Organisation.Kind.ASSOCIATION,
            description="Des bénévoles réparent avec vous ordinateurs et téléphones.",
        )
        connexions = org(
            name="Connexions solidaires",
            slug="connexions-solidaires",
            kind=Organisation.Kind.ASSOCIATION,
            description="Médiation numérique pour tous les âges.",
        )
        reboot = org(
            name="ReBoot Informatique",
            slug="reboot-informatique",
            kind=Organisation.Kind.COMPANY,
            description="Entreprise d'insertion qui reconditionne les ordinateurs.",
        )
        recyclerie = org(
            name="Recyclerie du Val", slug="recyclerie-du-val", kind=Organisation.Kind.ASSOCIATION
        )
        district = org(
            name="Direction académique du Val",
            slug="direction-academique-du-val",
            kind=Organisation.Kind.SCHOOL_DISTRICT,
            description="Les écoles, collèges et lycées du département.",
        )
        college = org(
            name="Collège Jean-Moulin",
            slug="college-jean-moulin",
            kind=Organisation.Kind.SCHOOL,
            parent=district,
        )
        lycee = org(
            name="Lycée Marie-Curie",
            slug="lycee-marie-curie",
            kind=Organisation.Kind.SCHOOL,
            parent=district,
        )
        ecole = org(
            name="École élémentaire des Tilleuls",
            slug="ecole-des-tilleuls",
            kind=Organisation.Kind.SCHOOL,
            parent=district,
        )

        manager, facilitator = Membership.Role.MANAGER, Membership.Role.FACILITATOR
        marie = self.person("marie.dupont", "Marie", "Dupont", city, manager)
        camille = self.person("camille.martin", "Camille", "Martin", city, facilitator)
        karim = self.person("karim.benali", "Karim", "Benali", city, facilitator)
        sophie = self.person("sophie.leroy", "Sophie", "Leroy", connexions, facilitator)
        julien = self.person("julien.moreau", "Julien", "Moreau", repair, facilitator)
        Membership.objects.create(user=sophie, organisation=city, role=facilitator)
        Membership.objects.create(user=julien, organisation=city, role=facilitator)
        self.person("nadia.haddad", "Nadia", "Haddad", district, manager)
        self.person("paul.girard", "Paul", "Girard", college, manager)
        self.person("lea.bernard", "Léa", "Bernard", lycee, manager)

        friday = self.monday + dt.timedelta(days=4)
        week = Campaign.objects.create(
            organisation=city,
            name="Semaine du nettoyage numérique de Montclair",
            slug="montclair-nettoyage-numerique",
            kind=Campaign.Kind.DATA,
            starts_on=self.monday,
            ends_on=friday,
            audience="Tous les habitants",
            description=(
                "Cinq jours d'ateliers gratuits dans les maisons de quartier pour faire le "
                "ménage dans son ordinateur, sa boîte mail et son téléphone, comprendre "
                "l'empreinte de l'IA, et donner une seconde vie à ses appareils.\n\n"
                "Trois points de collecte sont ouverts toute la semaine."
            ),
        )
        venue = Venue.objects.create
        tilleuls = venue(
            organisation=city,
            name="Maison de quartier des Tilleuls",
            address="12 rue des Tilleuls, 45000 Montclair",
            neighbourhood="Les Tilleuls",
            accessibility="De plain-pied, toilettes accessibles.",
        )
        mediatheque = venue(
            organisation=city,
            name="Médiathèque Louise-Michel",
            address="3 place de la République, 45000 Montclair",
            neighbourhood="Centre-ville",
            accessibility="Ascenseur, boucle magnétique en salle d'animation.",
        )
        gare = venue(
            organisation=city,
            name="Centre social de la Gare",
            address="28 avenue de la Gare, 45000 Montclair",
            neighbourhood="La Gare",
            accessibility="Rampe d'accès à l'entrée latérale.",
        )
        saint_michel = venue(
            organisation=city,
            name="Espace Saint-Michel",
            address="5 allée Saint-Michel, 45000 Montclair",
            neighbourhood="Saint-Michel",
            accessibility="Salle à l'étage sans ascenseur : prévenez-nous, "
            "l'atelier se tient alors au rez-de-chaussée.",
        )
        mairie = venue(
            organisation=city,
            name="Hôtel de ville, salle des fêtes",
            address="1 place de l'Hôtel-de-Ville, 45000 Montclair",
            neighbourhood="Centre-ville",
            accessibility="De plain-pied, ascenseur.",
        )

        computer = (
            "Nettoyer son ordinateur",
            "Doublons, gros fichiers oubliés, corbeille, "
            "téléchargements : on trie ensemble, sans rien perdre. Apportez votre "
            "ordinateur portable.",
        )
        mail = (
            "Mettre sa boîte mail au régime",
            "Se désabonner des lettres d'information, "
            "retrouver les pièces jointes lourdes, vider les vieux messages.",
        )
        phone = (
            "Trier son téléphone",
            "Photos en double, rafales, vidéos oubliées, "
            "applications inutiles : libérer de la place et prolonger la vie du téléphone.",
        )
        ai = (
            "IA et son empreinte",
            "Que consomment les intelligences artificielles "
            "génératives ? Une conférence-débat avec des chiffres sourcés.",
        )
        workshop, talk = Event.Kind.WORKSHOP, Event.Kind.TALK
        plan = [
            (0, 14, 0, 16, 0, computer, workshop, tilleuls, [camille], [repair], 12),
            (0, 18, 0, 19, 30, mail, workshop, mediatheque, [karim], [connexions], 15),
            (1, 10, 0, 11, 30, phone, workshop, gare, [sophie], [connexions], 10),
            (1, 17, 30, 19, 30, computer, workshop, saint_michel, [julien], [repair, reboot], 12),
            (2, 14, 0, 15, 30, phone, workshop, tilleuls, [camille], [], 10),
            (2, 18, 30, 20, 0, ai, talk, mediatheque, [karim, sophie], [connexions], None),
            (3, 14, 0, 15, 30, mail, workshop, gare, [sophie], [connexions], 15),
            (
                3,
                9,
                0,
                18,
                0,
                (
                    "Exposition : ce que pèsent nos données",
                    "Une exposition pour voir l'invisible : centres de données, câbles, appareils.",
                ),
                Event.Kind.EXHIBITION,
                mairie,
                [],
                [recyclerie],
                None,
            ),
            (4, 10, 0, 12, 0, computer, workshop, saint_michel, [julien], [repair], 12),
            (
                4,
                18,
                30,
                21,
                0,
                (
                    "Soirée de clôture : ce que nous avons nettoyé ensemble",
                    "Les chiffres de la semaine, les appareils collectés, un verre de l'amitié.",
                ),
                Event.Kind.EVENING,
                mairie,
                [camille, karim],
                [repair, reboot, recyclerie, connexions],
                80,
            ),
        ]
        for day, h1, m1, h2, m2, (title, text), kind, place, people, partners, places in plan:
            event = Event.objects.create(
                campaign=week,
                title=title,
                description=text,
                kind=kind,
                venue=place,
                starts_at=self.at(day, h1, m1),
                ends_at=self.at(day, h2, m2),
                audience="Tout public" if kind != workshop else "Adultes, débutants bienvenus",
                capacity=places,
                registration_open=places is not None and kind != talk,
                accessibility="Interprétation en LSF sur demande."
                if kind == Event.Kind.EVENING
                else "",
            )
            event.facilitators.set(people)
            event.partners.set(partners)
        items = ["computers", "phones", "tablets", "screens", "cables", "printers"]
        point = CollectionPoint.objects.create
        point(
            campaign=week,
            name="Hall de l'hôtel de ville",
            address=mairie.address,
            neighbourhood="Centre-ville",
            opening_hours="Du lundi au vendredi, de 8 h 30 à 18 h.",
            accepted_items=items,
            starts_on=self.monday,
            ends_on=friday,
            latitude="47.902964",
            longitude="1.909251",
            notes="Pensez à effacer vos données avant le dépôt, ou demandez-nous de l'aide.",
        )
        point(
            campaign=week,
            name="Recyclerie du Val",
            address="40 rue du Port, 45000 Montclair",
            neighbourhood="La Gare",
            opening_hours="Du lundi au vendredi, de 10 h à 19 h.",
            accepted_items=[*items, "peripherals", "storage"],
            starts_on=self.monday,
            ends_on=friday,
            notes="Les appareils réparables sont reconditionnés par ReBoot.",
        )
        point(
            campaign=week,
            name="Médiathèque Louise-Michel",
            address=mediatheque.address,
            neighbourhood="Centre-ville",
            opening_hours=(
                "Lundi, mercredi et vendredi de 10 h à 19 h ; mardi et jeudi de 14 h à 19 h."
            ),
            accepted_items=["phones", "tablets", "cables"],
            starts_on=self.monday,
            ends_on=friday,
        )

        schools = Campaign.objects.create(
            organisation=district,
            name="Cyber-ménage des écoles du Val",
            slug="cyber-menage-ecoles-du-val",
            kind=Campaign.Kind.DATA,
            starts_on=self.monday,
            ends_on=friday,
            audience="Élèves, enseignants, agents",
            description="Chaque école référence son opération, la mène pendant la semaine et "
            "fait remonter ses mesures.",
        )
        operations = [
            (
                college,
                "Nettoyons nos données — Collège Jean-Moulin",
                "college-jean-moulin-donnees",
                Campaign.Kind.DATA,
                "public",
            ),
            (
                lycee,
                "Donnons une seconde vie à nos équipements — Lycée Marie-Curie",
                "lycee-marie-curie-seconde-vie",
                Campaign.Kind.REUSE,
                "public",
            ),
            (
                ecole,
                "Nettoyons nos données — École des Tilleuls",
                "ecole-des-tilleuls-donnees",
                Campaign.Kind.DATA,
                "private",
            ),
        ]
        for school, name, slug, operation_kind, visibility in operations:
            Campaign.objects.create(
                organisation=school,
                name=name,
                slug=slug,
                kind=operation_kind,
                visibility=visibility,
                starts_on=self.monday,
                ends_on=friday,
                part_of=schools,
                audience="Élèves et équipes de l'établissement",
            )
        kit = _tiny_pdf("Nettoyons nos donnees")
        Resource.objects.create(
            organisation=district,
            title="Kit « Nettoyons nos données » pour les classes",
            theme=Theme.ORGANISING,
            visibility=Resource.Visibility.PUBLIC,
            description="Déroulé d'une séance d'une heure, fiche élève et affiche.",
            file=ContentFile(kit, name="kit-classes.pdf"),
            file_size=len(kit),
        )
        Resource.objects.create(
            organisation=city,
            title="Guide : la face cachée du numérique (ADEME)",
            theme=Theme.DATA,
            url="https://librairie.ademe.fr/",
            visibility=Resource.Visibility.PUBLIC,
            description="Le guide de l'ADEME pour réduire l'impact de ses usages numériques.",
        )
        Resource.objects.create(
            organisation=city,
            title="Fiches d'animation des ateliers de quartier",
            theme=Theme.ORGANISING,
            url="https://institutnr.org/",
            visibility=Resource.Visibility.SHARED,
            description="Pour les animateurs : déroulé, matériel, questions fréquentes.",
        )
        from menage.platform.equipment.demo import load_equipment_demo

        load_equipment_demo(self.monday, marie)
        self.summary.campaigns = Campaign.objects.count()
        self.summary.events = Event.objects.count()
        self.summary.points = CollectionPoint.objects.count()
        return self.summary


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
