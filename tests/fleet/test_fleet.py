"""Fleet: reading inventories (formats, encodings, dates, bad lines) and the footprint
arithmetic against figures worked out by hand from factors.csv (golden values)."""

from __future__ import annotations

import datetime as dt

import pytest

from menage.fleet import InventoryError, fleet_footprint, parse_date, read_inventory

AS_OF = dt.date(2026, 1, 1)
MENAGE = b"""type,model,purchase_date,lifespan_years,service,serial,quantity
laptop,ThinkPad T480,2025-01-01,4,Accueil,PF1,1
monitor,Iiyama E24,2015,,Ecoles,,20
"""
# GLPI 10's default computer list, exported as CSV (French interface, ';', UTF-8 with BOM)
GLPI = (
    "\ufeffNom;Statut;Fabricant;Numéro de série;Type;Modèle;Système d'exploitation - Nom;"
    "Lieu;Dernière modification;Composants - Processeur\n"
    "PC-ACC-01;En service;Dell;7QZ3KH2;Ordinateur de bureau;OptiPlex 7050;Windows 10;"
    "Mairie > Accueil;2025-11-02 10:15;Intel Core i5\n"
    "PC-ECO-07;En service;Lenovo;PF0XK2A1;Portable;ThinkPad T470;Windows 11;"
    "Écoles > Jules-Ferry;2025-10-21 08:00;Intel Core i5\n"
).encode("utf-8")


def test_golden_footprint_and_scenarios():
    result = fleet_footprint(read_inventory(MENAGE, today=AS_OF), as_of=AS_OF)
    total = result.total
    # laptop: 185.09 kg / 4 years; the 2015 monitors are past their 6 years: use only
    assert total.manufacturing.central == pytest.approx(185.09 / 4)
    assert total.manufacturing.high == pytest.approx(251.09 / 4)
    assert total.use.central == pytest.approx(1.33770675 + 20 * 3.3653)
    assert (total.devices, total.amortised) == (21, 20)
    services = {g.name: g.total.central for g in result.services}
    assert services == pytest.approx({"Accueil": 185.09 / 4 + 1.33770675, "Ecoles": 67.306})
    longer, refurbished = result.scenarios
    assert longer.kgco2e_per_year.central == pytest.approx(185.09 * (1 / 4 - 1 / 6))
    assert longer.devices_per_year == pytest.approx(1 / 12)
    # 30 %: 0.075 laptops a year × 27 kg × 4 years (ADEME), 1 monitor a year × 69.84 kg
    assert refurbished.kgco2e_per_year.central == pytest.approx(0.075 * 108 + 1.0 * 69.84)
    assert refurbished.devices_per_year == pytest.approx(1.075)
    data = result.to_dict()
    assert data["total"]["devices"] == 21 and data["method"]


def test_glpi_default_export_is_read_as_is():
    inventory = read_inventory(GLPI)
    assert inventory.layout == "glpi" and inventory.encoding == "utf-8-sig"
    assert [(i.device, i.service, i.serial) for i in inventory.items] == [
        ("desktop", "Mairie > Accueil", "7QZ3KH2"),
        ("laptop", "Écoles > Jules-Ferry", "PF0XK2A1"),
    ]
    assert "purchase date" in str(inventory.warnings[0])


def test_windows_1252_with_french_dates_and_a_column_mapping():
    data = "Catégorie;Achat;Direction\nPortable;15/03/2022;Élus\nécran;01.09.19;Santé\n".encode(
        "cp1252"
    )
    inventory = read_inventory(data, mapping={"type": "Catégorie", "purchase_date": "Achat"})
    assert inventory.encoding == "cp1252"
    assert [(i.device, i.purchase_date, i.service) for i in inventory.items] == [
        ("laptop", dt.date(2022, 3, 15), "Élus"),
        ("monitor", dt.date(2019, 9, 1), "Santé"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2021-03-15", dt.date(2021, 3, 15), id="iso"),
        pytest.param("15/03/2021", dt.date(2021, 3, 15), id="french"),
        pytest.param("15-03-2021", dt.date(2021, 3, 15), id="glpi-dmy"),
        pytest.param("15.03.21", dt.date(2021, 3, 15), id="dotted-short"),
        pytest.param("2021-03-15 10:00", dt.date(2021, 3, 15), id="with-time"),
        pytest.param("2021", dt.date(2021, 7, 1), id="year"),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


def _problems(data: bytes, **options) -> list[str]:
    with pytest.raises(InventoryError) as caught:
        read_inventory(data, today=AS_OF, **options)
    return [str(p) for p in caught.value.problems]


def test_every_bad_line_is_reported_and_nothing_is_returned():
    data = (
        b"type,purchase_date,serial,quantity,lifespan_years\n"
        b"laptop,2020-01-01,A1,1,\n"
        b"toaster,2020-01-01,A2,1,\n"
        b"laptop,31/02/2020,A3,1,\n"
        b"laptop,2020-01-01,a1,1,\n"
        b"laptop,2030-01-01,A4,1,\n"
        b"laptop,2020-01-01,A5,-3,\n"
        b"laptop,2020-01-01,A6,1,99\n"
    )
    problems = _problems(data)
    assert len(problems) == 6
    assert problems[0].startswith("line 3") and "toaster" in problems[0]
    assert "31/02/2020" in problems[1]
    assert "already on line 2" in problems[2]
    assert "future" in problems[3] and "quantity" in problems[4] and "lifespan" in problems[5]


@pytest.mark.parametrize(
    ("data", "options", "message"),
    [
        pytest.param(b"model,service\nT480,x\n", {}, "missing column", id="missing-column"),
        pytest.param(b"", {}, "empty", id="empty"),
        pytest.param(b"type\n\n\n", {}, "no device", id="header-only"),
        pytest.param(b"type\nlaptop\n", {"mapping": {"colour": "x"}}, "colour", id="bad-map"),
        pytest.param(b"\xff\xfe\x00\x01", {}, "missing column", id="binary"),
    ],
)
def test_unreadable_files(data, options, message):
    assert any(message in p for p in _problems(data, **options))


def test_unknown_types_can_be_mapped():
    data = b"type\nTour\nChromebook\n"
    assert any("Chromebook" in p for p in _problems(data))
    inventory = read_inventory(data, types={"Chromebook": "laptop"})
    assert [i.device for i in inventory.items] == ["desktop", "laptop"]


def test_types_without_figures_are_counted_and_reported():
    inventory = read_inventory(b"type,quantity\naccessory,40\nlaptop,2\n")
    result = fleet_footprint(inventory, as_of=AS_OF)
    assert (result.total.devices, result.total.converted) == (42, 2)
    assert any("not converted" in w for w in result.warnings)
