"""The device vocabulary shared with the platform, the device sheet and its chart."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from menage import i18n
from menage.impact import DEVICE_TYPES, IMPACT_DEVICES, device_sheet, device_type
from menage.impact.chart import device_chart
from menage.impact.devices import impact_device
from menage.impact.factors import factors
from menage.impact.sheet_html import device_sheet_html


def test_vocabulary_codes_and_labels():
    codes = [d.code for d in DEVICE_TYPES]
    assert len(codes) == len(set(codes))
    for code in ("phone", "tablet", "laptop", "desktop", "monitor", "tv", "printer", "box"):
        assert code in IMPACT_DEVICES
    for d in DEVICE_TYPES:
        assert d.label_fr and d.label_en and d.plural_fr and d.plural_en
        assert d.code.isidentifier()
    assert device_type("laptop").label("fr") == "ordinateur portable"
    assert device_type("box").label("en", plural=True) == "internet boxes"
    assert device_type("smartphone").code == "phone"  # an alias
    assert json.loads(json.dumps(device_type("tv").to_dict()))["label_fr"] == "téléviseur"


def test_every_impact_device_has_its_factors():
    table = factors()
    for code in IMPACT_DEVICES:
        for part in ("embodied", "lifespan", "power_w", "hours_per_day"):
            assert f"device_{code}_{part}" in table, (code, part)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param("toaster", "unknown device", id="unknown"),
        pytest.param("accessory", "no sourced figures", id="no-figures"),
    ],
)
def test_bad_device(code, message):
    with pytest.raises(ValueError, match=message):
        impact_device(code)


def test_the_box_sheet():
    sheet = device_sheet("box")
    data = json.loads(json.dumps(sheet.to_dict()))
    assert data["device"]["code"] == "box"
    assert data["manufacturing_kgco2e"]["central"] == pytest.approx(63.04)
    assert data["use_per_year"]["kwh"]["central"] == pytest.approx(70.08)
    assert [s["years"] for s in data["lifetimes"]] == [3, 4, 5, 6]
    five = data["lifetimes"][2]
    assert five["manufacturing_kgco2e_per_year"]["central"] == pytest.approx(63.04 / 5)
    assert data["second_life_one_year"]["avoided"] is True
    assert "device_box_embodied" in data["sources"]


def test_a_longer_life_lowers_the_yearly_share():
    sheet = device_sheet("laptop", "world")
    shares = [s.manufacturing_per_year.central for s in sheet.scenarios]
    assert shares == sorted(shares, reverse=True)
    assert all(0 < s.manufacturing_fraction < 1 for s in sheet.scenarios)
    assert device_sheet("phone").adpe_kgsbeq is not None


def test_chart_is_valid_accessible_svg():
    svg = device_chart(device_sheet("laptop"))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.get("role") == "img"
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title") is not None and root.find(f"{ns}desc") is not None
    assert len(root.findall(f"{ns}rect")) == 2 + 2 * 4  # legend, then two bars a lifetime


def test_sheet_page_in_french():
    i18n.setup("fr")
    try:
        page = device_sheet_html(device_sheet("laptop"))
    finally:
        i18n.setup("en")
    assert '<html lang="fr">' in page
    assert "ordinateur portable" in page
    assert "<svg" in page and "<script" not in page
