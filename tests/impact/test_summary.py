"""What reports say: freed storage, the proportion sentence, numbers in words, myths."""

from __future__ import annotations

import pytest

from menage import i18n
from menage.impact import (
    MYTHS,
    VERDICTS,
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


def test_storage_summary_shows_the_local_disk_first():
    summary = storage_summary(10 * 10**9)
    assert summary.where == "local"
    assert "0.11 kgCO2e (0.014–0.31) a year as a share of this disk's" in summary.headline()
    assert "0.49 kgCO2e" in summary.synced_line()
    assert "if it were synced to a data centre" in summary.synced_line()
    assert summary.ratio is not None and 250 < summary.ratio < 320
    assert "making devices last matters most" in summary.message()
    assert summary.sources()[0] == "storage_local_embodied"
    assert "device_phone_lifespan" in summary.sources()
    data = summary.to_dict()
    assert data["bytes"] == 10 * 10**9 and data["region"] == "france"
    assert data["shown_first"] == "local"
    assert data["ratio"] == pytest.approx(summary.ratio, abs=0.05)
    assert data["cloud"]["kgco2e"]["central"] == pytest.approx(0.4856, abs=0.001)
    assert data["keep_smartphone_one_year"]["avoided"] is True
    assert data["message"] == summary.message()
    assert "m by petrol car" in data["car_km"]


def test_a_mailbox_summary_shows_the_data_centre_first():
    summary = storage_summary(10 * 10**9, where="cloud")
    assert "a year in a data centre" in summary.headline()
    assert "local disk instead" in summary.synced_line()
    assert summary.ratio is not None and 50 < summary.ratio < 80
    with pytest.raises(ValueError, match="unknown place"):
        storage_summary(1, where="attic")


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
        # the number and its unit never part at the end of a line
        assert format_co2(Range(0.019, 0.49, 0.68)) == "0,49\u00a0kgCO2e (0,019–0,68)"
        assert format_co2(Range.exact(0.49)) == "0,49\u00a0kgCO2e"
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
    assert {"digital-4pc-aviation", "internet-electricity", "phone-manufacturing"} <= set(ids)
    for myth in MYTHS:
        assert myth.claim and myth.origin and myth.why and myth.instead
        assert myth.verdict in VERDICTS
        assert myth.keys or myth.instead_keys, myth.id  # every verdict has a source
        for key in myth.keys:
            assert table[key].status in ("contested", "reference"), key
        for key in myth.instead_keys:
            assert table[key].status in ("used", "reference"), key
    contested = {f.key for f in table if f.status == "contested"}
    explained = {k for m in MYTHS for k in m.keys}
    assert contested <= explained, contested - explained


def test_the_key_message_uses_the_2025_study():
    text = next(m for m in MYTHS if m.id == "delete-to-save").why
    assert "4.4 %" in text and "46 %" in text and "79 %" in text
    table = factors()
    assert table["fr_digital_share_carbon_2022"].central == 4.4
    assert table["fr_digital_dc_share_2022"].central == 46


@pytest.mark.parametrize("region", ["france", "europe", "world"])
def test_manufacturing_is_over_90_percent_of_a_phone(region):
    """Myth 'phone-manufacturing' is true: the model gives 93 % to 99 %."""
    from menage.impact import Model

    model = Model()
    made = model.embodied("phone").central
    lifespan = model.lifespan("phone").central
    use = model.device_use("phone", lifespan, region).kgco2e.central
    assert 0.92 < made / (made + use) < 0.995
