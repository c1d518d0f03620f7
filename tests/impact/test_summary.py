"""What reports say: freed storage, the proportion sentence, numbers in words, myths."""

from __future__ import annotations

import pytest

from menage import i18n
from menage.impact import (
    MYTHS,
    Range,
    factors,
    format_co2,
    format_kwh,
    format_water,
    freed_storage_impact,
    proportion_sentence,
    storage_summary,
)
from menage.impact.summary import significant


def test_freed_storage_impact_for_reports():
    cloud = freed_storage_impact(10 * 10**9)
    assert 0.4 < cloud.kgco2e.central < 0.6
    assert cloud.kwh is not None and 0.5 < cloud.kwh.central < 1.5
    assert "storage_cloud_embodied_per_copy" in cloud.sources
    local = freed_storage_impact(10 * 10**9, where="local")
    assert local.activity == "storage_local"
    europe = freed_storage_impact(10 * 10**9, region="europe")
    assert europe.kgco2e.central > cloud.kgco2e.central
    two_years = freed_storage_impact(10 * 10**9, years=2)
    assert two_years.kgco2e.central == pytest.approx(2 * cloud.kgco2e.central)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"n_bytes": -1}, "zero or more", id="negative"),
        pytest.param({"n_bytes": 1, "where": "attic"}, "unknown place", id="place"),
        pytest.param({"n_bytes": 1, "region": "mars"}, "unknown region", id="region"),
    ],
)
def test_freed_storage_impact_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        freed_storage_impact(**kwargs)


def test_storage_summary_puts_it_in_proportion():
    summary = storage_summary(10 * 10**9)
    assert summary.ratio is not None and 50 < summary.ratio < 80
    assert "0.49 kgCO2e (0.019–0.68)" in summary.headline()
    assert "a year if kept in a data centre" in summary.headline()
    assert "about 65 times more" in summary.message()
    assert "making devices last matters most" in summary.message()
    assert "device_smartphone_lifespan" in summary.sources()
    data = summary.to_dict()
    assert data["bytes"] == 10 * 10**9
    assert data["region"] == "france"
    assert data["ratio"] == pytest.approx(summary.ratio, abs=0.05)
    assert data["cloud"]["kgco2e"]["central"] == pytest.approx(0.491, abs=0.001)
    assert data["keep_smartphone_one_year"]["avoided"] is True
    assert data["message"] == summary.message()


def test_nothing_freed():
    summary = storage_summary(0)
    assert summary.ratio is None
    assert summary.to_dict()["ratio"] is None
    assert "making devices last matters most" in summary.message()


@pytest.mark.parametrize(
    ("kg", "expected"),
    [
        pytest.param(0.5, "about 64 times more", id="small"),
        pytest.param(30, "That is about what keeping a smartphone", id="same"),
        pytest.param(320, "That is about 10 times what keeping", id="bigger"),
    ],
)
def test_proportion_sentence(kg, expected):
    assert expected in proportion_sentence(kg)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(Range(0.019, 0.49, 0.68), "0.49 kgCO2e (0.019–0.68)", id="kg"),
        pytest.param(Range.exact(0.0014), "1.4 gCO2e", id="grams"),
        pytest.param(Range(900, 1800, 4200), "1.8 tCO2e (0.90–4.2)", id="tonnes"),
        pytest.param(Range.exact(31.8064), "32 kgCO2e", id="rounded"),
        pytest.param(Range(0, 0, 0), "0 gCO2e", id="zero"),
    ],
)
def test_format_co2(value, text):
    assert format_co2(value) == text


def test_format_energy_and_water():
    assert format_kwh(Range(0.18, 0.94, 1.2)) == "0.94 kWh (0.18–1.2)"
    assert format_kwh(Range.exact(0.09)) == "90 Wh"
    assert format_water(Range(0.078, 13.5, 13.5)) == "14 L (0.078–14)"
    assert format_water(Range.exact(0.045)) == "45 mL"


def test_format_in_french():
    i18n.setup("fr")
    try:
        assert format_co2(Range(0.019, 0.49, 0.68)) == "0,49 kgCO2e (0,019–0,68)"
        assert "fois plus" in storage_summary(10 * 10**9).message()
    finally:
        i18n.setup("en")


def test_significant_figures():
    assert significant(22601) == (23000, 0)
    assert significant(0.0549) == (0.055, 3)
    assert significant(9.96) == (10, 0)
    assert significant(0) == (0, 0)


def test_myths_are_complete_and_point_at_real_factors():
    table = factors()
    ids = [m.id for m in MYTHS]
    assert len(ids) == len(set(ids))
    assert {"email-4g", "streaming-3-2kg", "cloud-7kwh", "ai-3wh", "delete-to-save"} <= set(ids)
    for myth in MYTHS:
        assert myth.claim and myth.origin and myth.why and myth.instead
        for key in myth.keys:
            assert table[key].status in ("contested", "reference"), key
        for key in myth.instead_keys:
            assert table[key].status in ("used", "reference"), key
    contested = {f.key for f in table if f.status == "contested"}
    explained = {k for m in MYTHS for k in m.keys}
    assert contested <= explained, contested - explained
