"""`menage fleet` end to end on files it reads from disk: text, JSON, HTML, bad input."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

INVENTORY = (
    "type;modèle;purchase_date;lifespan_years;service;serial;quantity\n"
    "Portable;T14;15/03/2024;;Écoles;A2;10\n"
    "laptop;T480;2022-09-01;4;Accueil;A1;1\n"
    "monitor;E24;2015;;Écoles;;20\n"
).encode("cp1252")


def test_text_json_and_html(menage, tmp_path):
    source = tmp_path / "parc.csv"
    source.write_bytes(INVENTORY)
    html = tmp_path / "parc.html"
    result = menage("fleet", str(source), "--html", str(html))
    assert result.exit_code == 0, result.stderr
    assert "31 devices" in result.stdout and "Écoles: 30 devices" in result.stdout
    assert "Accueil: 1 device," in result.stdout  # one device is singular
    assert "Keeping laptops 6 years" in result.stdout and "30% refurbished" in result.stdout
    page = BeautifulSoup(html.read_text(), "html5lib")
    heading, chart = page.find("h1"), page.find("svg")
    assert heading is not None and heading.text == "Fleet footprint"
    assert chart is not None and chart.find("title") is not None
    assert page.find("script") is None
    data = json.loads(menage("fleet", str(source), "--json").stdout)
    assert data["total"]["devices"] == 31
    assert [s["key"] for s in data["scenarios"]] == ["extend_life", "buy_refurbished"]
    from menage.i18n import setup

    setup("fr")
    try:
        french = menage("fleet", str(source))
    finally:
        setup("en")
    assert french.exit_code == 0, french.stderr
    assert "Écoles\u00a0: 30 appareils" in french.stdout
    assert "Accueil\u00a0: 1 appareil," in french.stdout
    assert "reconditionnés à 30\u00a0%\u00a0:" in french.stdout
    french_html = tmp_path / "parc-fr.html"
    setup("fr")
    try:
        assert menage("fleet", str(source), "--html", str(french_html)).exit_code == 0
    finally:
        setup("en")
    french_page = BeautifulSoup(french_html.read_text(), "html5lib")
    assert french_page.select_one("html[lang=fr]") is not None
    for item in french_page.select("li"):
        # French typography: a no-break space before every colon, never a plain one
        assert " :" not in item.text and (":" not in item.text or "\u00a0:" in item.text)


def test_bad_lines_are_listed_and_the_exit_code_says_so(menage, tmp_path):
    source = tmp_path / "parc.csv"
    source.write_bytes(b"type,serial\nlaptop,A\ntoaster,B\nlaptop,A\n")
    result = menage("fleet", str(source))
    assert result.exit_code == 1
    assert "line 3" in result.stderr and "toaster" in result.stderr
    assert "line 4" in result.stderr and "Traceback" not in result.stderr
    mapped = menage("fleet", str(source), "--map-type", "toaster=other", "--json")
    assert mapped.exit_code == 1 and "already on line 2" in mapped.stderr


def test_a_missing_file_and_a_bad_mapping(menage, tmp_path):
    assert menage("fleet", str(tmp_path / "absent.csv")).exit_code == 2
    source = tmp_path / "parc.csv"
    source.write_bytes(b"Categorie\nlaptop\n")
    bad = menage("fleet", str(source), "--column", "nonsense")
    assert bad.exit_code == 2
    good = menage("fleet", str(source), "--column", "type=Categorie")
    assert good.exit_code == 0, good.stderr
