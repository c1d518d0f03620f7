"""Equipment demo: what a city's internal team does with a week of collected devices.

Twelve devices from the city's first collection point, at every step of the lifecycle:
some waiting for a diagnosis, laptops wiped (one batch certificate), one laptop rebuilt
from two broken ones, donated to a school and an association, screens recycled through
Ecologic. Called once by the platform demo (``core/demo.py``) after the city exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from menage.platform.collection.models import CollectionPoint
from menage.platform.equipment.intake import record_count
from menage.platform.equipment.models import Device, FleetInventory, WipeCertificate
from menage.platform.equipment.services import (
    IntakeItem,
    create_from_intake,
    move,
    record_wipe,
    refurbish,
)

_INTAKE = [
    # type, brand, model, serial, kg, condition
    ("laptop", "Lenovo", "ThinkPad T470", "PF0XK2A1", "1.6", "working"),
    ("laptop", "Lenovo", "ThinkPad T470", "PF0XK2B7", "1.6", "broken"),
    ("laptop", "Lenovo", "ThinkPad T470", "PF0XK3C2", "1.6", "faulty"),
    ("laptop", "Dell", "Latitude 5480", "7QZ3KH2", "1.7", "working"),
    ("laptop", "HP", "EliteBook 840 G3", "5CG7021XYZ", "1.5", "working"),
    ("phone", "Samsung", "Galaxy A52", "R58R30ABCDE", "0.19", "working"),
    ("phone", "Apple", "iPhone 8", "F17VX0AAJC6", "0.15", "faulty"),
    ("desktop", "Dell", "OptiPlex 7050", "9WJ2FK2", "5.2", "unknown"),
    ("monitor", "Iiyama", "ProLite E2483HS", "", "3.9", "working"),
    ("monitor", "Samsung", "S22F350", "", "2.7", "broken"),
    ("printer", "Brother", "HL-L2350DW", "E78945K1", "7.2", "unknown"),
    ("tablet", "Apple", "iPad 6", "DMPW1234GHKD", "0.47", "unknown"),
]


# the city's inventory as its service exports it: « ; », French dates, Windows-1252;
# purchase years counted back from the demo's week, so that ages stay as shown
_FLEET = """type;modele;date d'achat;service;quantite
Portable;ThinkPad T14;15/09/{y2};Accueil;6
Portable;Latitude 5420;03/02/{y4};Écoles;12
Ordinateur de bureau;OptiPlex 7090;{y4};Écoles;8
Écran;ProLite 24;{y6};Écoles;8
Tablette;iPad 9;01/09/{y2};Écoles;10
Téléphone;Galaxy A53;{y2};Services techniques;9
Imprimante;HL-L2350DW;{y8};Accueil;2
"""


def _fleet_csv(year: int) -> bytes:
    years = {f"y{n}": year - n for n in (2, 4, 6, 8)}
    return _FLEET.format(**years).encode("cp1252")


def _wipe(device: Device, day: dt.date, by: Any, method: str, batch: str = "") -> None:
    destroyed = method == WipeCertificate.Method.DESTROY
    certificate = WipeCertificate(
        method=method,
        media="SSD 256 Go" if device.device_type == "laptop" else "mémoire flash intégrée",
        tool="" if destroyed else "nwipe 0.35",
        operator="Julien Moreau",
        wiped_on=day,
        verification=(
            WipeCertificate.Verification.VISUAL if destroyed else WipeCertificate.Verification.FULL
        ),
        verified_by="Karim Benali",
        result="support broyé" if destroyed else "relecture complète\u00a0: zéros uniquement",
        batch=batch,
    )
    record_wipe(device, certificate, by=by)


def load_equipment_demo(monday: dt.date, by: Any) -> int:
    """Create the demo devices at the city's first collection point; returns their number."""
    point = CollectionPoint.objects.order_by("pk").first()
    if point is None:
        return 0
    collected_on = monday - dt.timedelta(days=14)
    items = [
        IntakeItem(kind, brand, model, serial, Decimal(kg), condition)
        for kind, brand, model, serial, kg, condition in _INTAKE
    ]
    devices = create_from_intake(items, point=point, collected_on=collected_on, by=by)
    t470_ok, t470_broken, t470_faulty, latitude, elitebook, galaxy, iphone = devices[:7]
    screen_ok, screen_broken = devices[8], devices[9]
    wiped_on = collected_on + dt.timedelta(days=3)
    for laptop in (t470_ok, t470_broken, t470_faulty, latitude, elitebook):
        move(laptop, "diagnose", by=by, note=laptop.get_condition_display())
        _wipe(laptop, wiped_on, by, WipeCertificate.Method.CLEAR, batch="MONTCLAIR-LOT-1")
    _wipe(galaxy, wiped_on, by, WipeCertificate.Method.PURGE)
    _wipe(iphone, wiped_on, by, WipeCertificate.Method.DESTROY)
    # "one working computer out of two or three broken ones"
    refurbish(
        t470_faulty,
        [(t470_broken, "écran, clavier"), (t470_ok, "barrette mémoire 8 Go")],
        by=by,
        note="carte mère du T470 en panne remplacée",
    )
    move(t470_faulty, "donate", by=by, recipient="Collège Jean-Moulin")
    move(latitude, "repair", by=by, note="batterie neuve")
    move(latitude, "donate", by=by, recipient="Connexions solidaires")
    move(elitebook, "repair", by=by)
    move(elitebook, "sell", by=by, recipient="ReBoot Informatique")
    move(galaxy, "repair", by=by)
    move(galaxy, "donate", by=by, recipient="Connexions solidaires")
    move(iphone, "recycle", by=by, channel="Ecologic")
    move(t470_broken, "recycle", by=by, channel="Ecologic")
    move(screen_ok, "no_data", by=by, note="écran\u00a0: aucune donnée")
    move(screen_ok, "repair", by=by)
    move(screen_ok, "donate", by=by, recipient="Collège Jean-Moulin")
    move(screen_broken, "no_data", by=by, note="écran\u00a0: aucune donnée")
    move(screen_broken, "recycle", by=by, channel="Recyclerie du Val")
    # dropped in bulk and counted at the point
    record_count(
        point,
        device_type="phone",
        condition="unknown",
        count=14,
        weight_kg=Decimal("2.6"),
        collected_on=collected_on,
        by=by,
    )
    record_count(
        point,
        device_type="accessory",
        condition="unknown",
        count=31,
        weight_kg=Decimal("9"),
        collected_on=collected_on,
        by=by,
    )
    FleetInventory.objects.create(
        organisation=point.campaign.organisation,
        name="parc-montclair.csv",
        data=_fleet_csv(monday.year),
        devices=55,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    return len(devices)
