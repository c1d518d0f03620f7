"""The fleet page (upload an inventory, see its footprint) and the avoided-impact pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from menage.platform.equipment.intake import record_count
from menage.platform.equipment.models import FleetInventory
from menage.platform.equipment.services import IntakeItem, create_from_intake, move

GLPI_1252 = (
    "Nom;Statut;Fabricant;Numéro de série;Type;Modèle;Lieu;Date d'achat\n"
    "PC-001;En service;Lenovo;PF1;Portable;T14;Écoles;15/09/2021\n"
    "PC-002;En service;Dell;PF2;Portable;Latitude;Accueil;03/02/2020\n"
    "SCR-01;En service;Iiyama;SC1;Écran;ProLite;Écoles;2019\n"
).encode("cp1252")


def _upload(client, data, name="parc.csv", **extra):
    return client.post(
        reverse("equipment:fleet"),
        {
            "organisation": extra.pop("organisation"),
            "file": SimpleUploadedFile(name, data),
            **extra,
        },
    )


def test_a_manager_imports_a_glpi_export_and_sees_its_footprint(world, login, parse):
    client = login("alpha_manager")
    response = _upload(client, GLPI_1252, organisation=world["alpha"].pk)
    assert response.status_code == 302, parse(response).select_one(".problems")
    inventory = FleetInventory.objects.get()
    assert (inventory.organisation, inventory.devices, inventory.name) == (
        world["alpha"],
        3,
        "parc.csv",
    )
    page = parse(client.get(response["Location"]))
    assert page.find("html")["lang"] == "fr"
    services = [th.text for th in page.select("main table")[0].select("tbody th")]
    assert set(services) == {"Écoles", "Accueil"}
    charts = page.select("main figure svg")
    assert len(charts) == 2 and all(svg.find("title") for svg in charts)
    assert page.select("script") == []
    text = page.select_one("main").text
    assert "Garder les portables 6\u00a0ans" in text or "Garder les portables 6 ans" in text
    assert "appareils non achetés" in text or "appareil non acheté" in text
    # and in English, the library's words follow the page
    with translation.override("en"):
        english_url = reverse("equipment:fleet_detail", args=[inventory.pk])
    assert english_url.startswith("/en/")
    english = parse(client.get(english_url))
    assert "Keep laptops 6 years" in english.select_one("main").text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b"type,serial\nlaptop,A\ntoaster,B\nlaptop,A\n", ["ligne 3", "ligne 4"], id="bad-lines"
        ),
        pytest.param(b"", ["vide"], id="empty"),
        pytest.param(b"nom,modele\nx,y\n", ["ligne 1"], id="missing-column"),
        pytest.param(
            b"type;purchase_date\nlaptop;31/02/2021\n", ["31/02/2021"], id="impossible-date"
        ),
        pytest.param(b"\xff\xfe\x00\x00garbage", ["ligne 1"], id="binary"),
    ],
)
def test_a_bad_file_is_refused_whole_with_its_problems_per_line(
    world, login, parse, data, expected
):
    response = _upload(login("alpha_manager"), data, organisation=world["alpha"].pk)
    assert response.status_code == 400
    problems = parse(response).select_one(".problems")
    assert problems is not None and "Traceback" not in response.content.decode()
    for word in expected:
        assert word in problems.text
    assert not FleetInventory.objects.exists()


def test_bad_mappings_and_other_organisations_are_refused(world, login, parse):
    client = login("alpha_manager")
    bad = _upload(client, GLPI_1252, organisation=world["alpha"].pk, columns="nonsense")
    assert bad.status_code == 400
    unknown = _upload(client, GLPI_1252, organisation=world["alpha"].pk, columns="colour=Lieu")
    assert unknown.status_code == 400
    elsewhere = _upload(client, GLPI_1252, organisation=world["beta"].pk)
    assert elsewhere.status_code == 400
    assert not FleetInventory.objects.exists()
    mapped = _upload(
        client,
        b"Categorie;Lieu\nChromebook;Ecole\n",
        organisation=world["alpha"].pk,
        columns="type=Categorie\nservice=Lieu",
        types="Chromebook=laptop",
    )
    assert mapped.status_code == 302
    assert FleetInventory.objects.get().types == {"Chromebook": "laptop"}


def test_facilitators_read_and_strangers_do_not(world, login):
    inventory = FleetInventory.objects.create(
        organisation=world["alpha"], name="parc.csv", data=GLPI_1252, devices=3
    )
    facilitator = login("alpha_facilitator")
    assert facilitator.get(inventory.get_absolute_url()).status_code == 200
    listed = facilitator.get(reverse("equipment:fleet")).content.decode()
    assert "parc.csv" in listed and 'type="file"' not in listed
    assert _upload(facilitator, GLPI_1252, organisation=world["alpha"].pk).status_code == 404
    assert login("beta_manager").get(inventory.get_absolute_url()).status_code == 404


def test_avoided_impact_per_campaign_and_organisation(world, login, parse):
    point = world["alpha_private_point"]
    laptop, screen = create_from_intake(
        [IntakeItem("laptop", weight_kg=None), IntakeItem("monitor")],
        point=point,
        collected_on=dt.date(2026, 3, 2),
    )
    from decimal import Decimal

    screen.weight_kg = Decimal("3.5")
    screen.save()
    move(laptop, "no_data", note="disque retiré")
    move(laptop, "repair")
    move(laptop, "donate", recipient="Collège")
    move(screen, "no_data", note="écran")
    move(screen, "recycle", channel="Ecologic")
    record_count(point, device_type="phone", condition="broken", count=10, weight_kg=Decimal(2))
    client = login("alpha_facilitator")
    page = parse(client.get(reverse("equipment:campaign_impact", args=[point.campaign.slug])))
    totals = [li.text for li in page.select("main .totals li")]
    assert totals[0].startswith("12") and "5,5" in totals[0]
    assert totals[1].startswith("1") and totals[2].startswith("1") and "3,5" in totals[2]
    assert "kgCO2e" in totals[3] and "entre" in totals[3]
    assert page.select_one("main h2 + p") is not None  # the method is stated
    assert "ADEME" in page.select_one("main").text
    org = parse(client.get(reverse("equipment:impact")))
    row = org.select_one("main table tbody tr")
    assert row.select_one("th").text == point.campaign.name
    assert (
        login("beta_manager")
        .get(reverse("equipment:campaign_impact", args=[point.campaign.slug]))
        .status_code
        == 404
    )
