"""Campaign totals: what the measures dashboards will call."""

from __future__ import annotations

import json

import pytest

from menage.impact import Model, campaign_totals
from menage.impact.values import Range


def test_totals_add_up_the_lines_with_their_method():
    totals = campaign_totals(
        deleted_cloud_bytes=10_970 * 10**9,
        devices_reused={"laptop": 40, "phone": 120, "tv": 2},
        devices_collected={"printer": 5, "smartphone": 3},
    )
    data = json.loads(json.dumps(totals.to_dict()))
    model = Model()
    expected = (
        model.storage_cloud(10_970 * 10**9).kgco2e.central
        + 40 * 27
        + 120 * 24.6
        + 2 * model.yearly_share("tv").central
    )
    assert data["avoided_kgco2e"]["central"] == pytest.approx(expected, rel=1e-5)
    low = data["avoided_kgco2e"]["low"]
    assert low < data["avoided_kgco2e"]["central"] < data["avoided_kgco2e"]["high"]
    assert all(line["avoided"] for line in data["lines"])
    methods = [m["key"] for m in data["method"]]
    assert methods == [
        "storage_cloud",
        "ademe_refurbished_study",
        "manufacturing_share",
        "collected",
    ]
    assert data["devices_collected"] == {"phone": 3, "printer": 5}
    assert data["equivalents"][0]["key"] == "car_km"
    assert data["period_years"] == 1.0


def test_nothing_reported():
    totals = campaign_totals()
    assert totals.avoided_kgco2e == Range(0, 0, 0)
    assert totals.to_dict()["equivalents"] == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"deleted_cloud_bytes": -1}, "zero or more", id="negative-bytes"),
        pytest.param({"devices_reused": {"phone": -2}}, "zero or more", id="negative-count"),
        pytest.param({"devices_reused": {"toaster": 1}}, "unknown device", id="unknown"),
        pytest.param({"devices_reused": {"other": 1}}, "no sourced figures", id="no-figures"),
        pytest.param({"region": "mars"}, "unknown region", id="region"),
    ],
)
def test_bad_measures(kwargs, message):
    with pytest.raises(ValueError, match=message):
        campaign_totals(**kwargs)


def test_local_bytes_and_years():
    one = campaign_totals(deleted_local_bytes=10**12).avoided_kgco2e.central
    two = campaign_totals(deleted_local_bytes=10**12, years=2).avoided_kgco2e.central
    assert two == pytest.approx(2 * one)


def test_equivalences():
    from menage.impact import equivalents
    from menage.impact.equivalences import car_km_text

    car = equivalents(31.8064)[0]
    assert car["key"] == "car_km" and car["amount"] == pytest.approx(146, abs=1)
    assert car_km_text(31.8064) == "≈ 150 km by petrol car"
    assert car_km_text(0.005) == "≈ 23 m by petrol car"
    with pytest.raises(ValueError):
        equivalents(-1)
