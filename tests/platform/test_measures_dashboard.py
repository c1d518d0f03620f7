"""Dashboards per campaign and per organisation, their exports and the printable bilan."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any
from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.django_db

DISTRICT_WEEK = "cyber-menage-ecoles-du-val"
DISTRICT = "direction-academique-du-val"
ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
       "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}  # fmt: skip


@pytest.fixture
def demo(db: None) -> Any:
    from menage.platform.campaigns.models import Campaign
    from menage.platform.core.demo import load_demo

    load_demo()
    return Campaign.objects.get(slug=DISTRICT_WEEK)


def groups(page: Any) -> dict[str, list[str]]:
    table = page.find(id="groups-caption").parent
    return {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in table.tbody.find_all("tr")
    }


def test_the_campaign_dashboard_totals_impact_chart_and_table(client, parse, demo):
    page = parse(client.get(f"/campagnes/{DISTRICT_WEEK}/resultats/"))
    figures = page.find("ul", class_="figures").get_text(" ", strip=True)
    assert "11,70\u00a0To de données nettoyées" in figures
    # 6 + 4 + 5 + 8 + 12 devices declared; 6 + 8 + 12 working ones count as reused
    assert "35 équipements collectés, dont 26 avec une seconde vie" in figures
    assert "104 personnes touchées en atelier" in figures and "72 entrées" in figures
    impact = page.find(id="impact-caption").parent
    lines = [td.get_text(" ", strip=True) for td in impact.find_all("td")]
    assert all("éq. CO2" in line and "(de " in line for line in lines)
    # deleted data weighs little, devices much: said, and true of the figures
    assert "pèsent peu" in page.get_text() and "pèsent lourd" in page.get_text()
    data_kg, devices_kg = (float(x.strong.get_text().split("\u00a0")[0].replace(",", ".")
                           .replace("\u202f", "")) for x in impact.find_all("td")[:2])  # fmt: skip
    unit = [x.strong.get_text() for x in impact.find_all("td")[:2]]
    assert "kg" in unit[0] and ("t éq" in unit[1] or devices_kg > data_kg)
    # the chart is followed by its table, which ends on the total
    assert page.find("svg", class_="progress") is not None
    days = page.find(id="days-caption").parent.tbody.find_all("tr")
    assert days[-1].find_all("td")[-1].get_text(strip=True) == "11,70\u00a0To"
    shown = groups(page)
    assert shown["Direction académique du Val"][0] == "10,97\u00a0To"
    # the school with three entries is not singled out: grouped, and with it the smallest
    # shown group, so that its figure cannot be worked out from the total
    others = [name for name in shown if name.startswith("Autres")]
    assert others and "Tilleuls" not in " ".join(shown)
    assert page.find("th", string="Rang") is None  # no ranking unless chosen
    method = page.find(id="method").find_next("ul").get_text(" ", strip=True)
    assert "rattachées" in method and "moins de 5 entrées" in method
    assert page.find("details").find("li") is not None  # sources of the factors


def test_the_organisation_dashboard_rolls_up_its_schools(client, parse, demo):
    page = parse(client.get(f"/organisations/{DISTRICT}/resultats/"))
    assert "11,70\u00a0To" in page.find("ul", class_="figures").get_text()
    shown = groups(page)
    assert "Direction académique du Val (ses propres entrées)" in shown
    assert "autre organisation" in page.find(id="method").find_next("ul").get_text()
    school = parse(client.get("/organisations/college-jean-moulin/resultats/"))
    figures = school.find("ul", class_="figures").get_text(" ", strip=True)
    assert "59 personnes touchées" in figures and "17 entrées" in figures
    # a school below the minimum shows no figure at all
    small = parse(client.get("/organisations/ecole-des-tilleuls/resultats/"))
    assert small.find("ul", class_="figures") is None
    assert "5 entrées au moins" in small.find("main").get_text()
    # an organisation with no entry, and one that does not exist
    none = parse(client.get("/organisations/recyclerie-du-val/resultats/"))
    assert "Aucune entrée" in none.find("main").get_text()
    assert client.get("/organisations/nope/resultats/").status_code == 404


def test_ranking_only_when_the_organisation_chooses(client, parse, demo, django_user_model):
    from menage.platform.organisations.models import Membership, Organisation

    district = Organisation.objects.get(slug=DISTRICT)
    url = f"/organisations/{DISTRICT}/resultats/"
    assert parse(client.get(url)).find(id="ranking") is None  # visitors cannot choose
    assert (
        client.post(f"/espace/organisations/{DISTRICT}/classement/", {"rank": "on"}).status_code
        == 302
    )
    assert not hasattr(Organisation.objects.get(pk=district.pk), "dashboard_options")
    manager = django_user_model.objects.create_user("rank-manager", password="pw-rank-manager")
    Membership.objects.create(user=manager, organisation=district, role="manager")
    client.force_login(manager)
    assert parse(client.get(url)).find(id="ranking") is not None
    client.post(f"/espace/organisations/{DISTRICT}/classement/", {"rank": "on"})
    page = parse(client.get(url))
    assert page.find("th", string="Rang") is not None
    ranks = [
        row.td.get_text(strip=True)
        for row in page.find(id="groups-caption").parent.tbody.find_all("tr")
    ]
    assert ranks[0] == "1" and ranks[-1] == ""  # the grouped small ones are never ranked
    client.post(f"/espace/organisations/{DISTRICT}/classement/", {})
    assert parse(client.get(url)).find("th", string="Rang") is None
    # a manager of another organisation cannot switch it
    other = django_user_model.objects.create_user("other-manager", password="pw")
    Membership.objects.create(
        user=other, organisation=Organisation.objects.get(slug="ville-de-montclair"), role="manager"
    )
    client.force_login(other)
    assert (
        client.post(f"/espace/organisations/{DISTRICT}/classement/", {"rank": "on"}).status_code
        == 404
    )


def test_exports_csv_and_ods_hold_the_same_aggregates(client, demo):
    answer = client.get(f"/campagnes/{DISTRICT_WEEK}/resultats/export.csv")
    assert answer["Content-Type"].startswith("text/csv")
    assert "attachment" in answer["Content-Disposition"]
    table = list(csv.reader(io.StringIO(answer.content.decode())))
    assert table[0][0] == "Organisation" and table[-1][0].startswith("Total")
    assert int(table[-1][2]) == 10_970_000_000_000 + 730_570_000_000
    assert not any("Tilleuls" in row[0] for row in table)
    ods = client.get(f"/campagnes/{DISTRICT_WEEK}/resultats/export.ods")
    archive = zipfile.ZipFile(io.BytesIO(ods.content))
    assert archive.namelist()[0] == "mimetype"
    assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    root = ElementTree.fromstring(archive.read("content.xml"))
    cells = [[c.get(f"{{{ODS['office']}}}value") or "".join(c.itertext())
              for c in row.findall("table:table-cell", ODS)]
             for row in root.iter(f"{{{ODS['table']}}}table-row")]  # fmt: skip
    assert [row[0] for row in cells] == [row[0] for row in table]
    assert int(float(cells[-1][2])) == int(table[-1][2])
    assert client.get(f"/campagnes/{DISTRICT_WEEK}/resultats/export.xlsx").status_code == 404
    org = client.get(f"/organisations/{DISTRICT}/resultats/export.csv?campaign={DISTRICT_WEEK}")
    assert org.status_code == 200 and b"Total" in org.content


def test_a_cell_that_looks_like_a_formula_is_exported_as_text():
    from menage.platform.measures.exports import to_csv, to_ods

    rows: list[list[Any]] = [['=HYPERLINK("http://x")', 1], ["<b>&", None]]
    assert next(csv.reader(io.StringIO(to_csv(rows))))[0].startswith("'=HYPERLINK")
    content = zipfile.ZipFile(io.BytesIO(to_ods(rows, "a<b"))).read("content.xml")
    root = ElementTree.fromstring(content)  # escaped: still well-formed XML
    assert "<b>&" in "".join(root.itertext())


def test_device_types_follow_the_pages_language(client, parse, demo):
    def types(url: str) -> list[str]:
        table = parse(client.get(url)).find(id="devices-caption").parent
        return [row.th.get_text(strip=True) for row in table.tbody.find_all("tr")]

    assert "Ordinateur portable" in types(f"/campagnes/{DISTRICT_WEEK}/resultats/")
    assert "Laptop" in types(f"/en/campaigns/{DISTRICT_WEEK}/results/")


def test_the_bilan_is_one_printable_page(client, parse, demo):
    page = parse(client.get(f"/campagnes/{DISTRICT_WEEK}/resultats/bilan/"))
    assert page.find("h1").get_text().startswith("Bilan")
    assert page.find("link", href=lambda h: h and "measures.css" in h) is not None
    assert page.find("ul", class_="figures") is not None
    english = parse(client.get(f"/en/campaigns/{DISTRICT_WEEK}/results/print/"))
    assert english.find("h1").get_text().startswith("Bilan")
