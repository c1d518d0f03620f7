"""The factors file: every row sourced and dated, and malformed rows rejected by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from menage.impact.factors import (
    COLUMNS,
    CONFIDENCES,
    FACTORS_PATH,
    KINDS,
    STATUSES,
    FactorsError,
    load_factors,
)
from menage.impact.required import REQUIRED_KEYS

HEADER = ",".join(COLUMNS)
GOOD = (
    "elec_test,1,2,3,gCO2e/kWh,a scope,a source,2024,a reference,reference,estimate,low,"
    "not verified,a note"
)


def test_shipped_file_loads_and_every_factor_has_source_and_year():
    table = load_factors()
    assert len(table) >= 49  # the researched rows, and the derived ones
    for factor in table:
        assert factor.source.strip(), factor.key
        assert any(ch.isdigit() for ch in factor.year), factor.key
        assert factor.reference.strip(), factor.key
        assert factor.verified.strip(), factor.key
        assert factor.status in STATUSES
        assert factor.kind in KINDS and factor.confidence in CONFIDENCES
        assert factor.scope.strip() and factor.unit.strip(), factor.key
        assert factor.low <= factor.central <= factor.high


def test_every_range_is_honest():
    """low <= central <= high everywhere; zero width only where no range can be claimed:
    a definition, a quotation, or a single source (said so, never with high confidence)."""
    for factor in load_factors():
        assert factor.low <= factor.central <= factor.high, factor.key
        if factor.kind == "estimate":
            assert factor.low < factor.high, factor.key
        if factor.kind in ("definition", "single"):
            assert factor.low == factor.central == factor.high, factor.key
        if factor.kind == "quote":
            assert factor.status != "used", factor.key
        if factor.kind == "single" and factor.status == "used" and factor.unit != "kgCO2e/km":
            assert factor.note or "one source" in factor.verified.lower(), factor.key


# the ranges the issue found dishonest, now sourced on both sides
DISAGREEING = (
    "elec_france",
    "elec_europe",
    "storage_cloud_replication",
    "storage_local_embodied",
    "email_size_kept",
    "ai_text_gco2e",
    "device_monitor_embodied",
    "device_phone_lifespan",
    "device_laptop_lifespan",
    "device_monitor_lifespan",
)


@pytest.mark.parametrize("key", DISAGREEING)
def test_where_sources_disagree_the_range_shows_it(key):
    factor = load_factors()[key]
    assert factor.kind == "estimate"
    assert factor.low < factor.high
    if key.startswith(("elec_", "storage_local", "email_size", "ai_text")):
        assert factor.central < factor.high, "central equal to the high bound"


def test_derived_ranges_agree_with_their_inputs():
    t = load_factors()
    # AI text: the carbon high bound is at least the high electricity on the world mix
    assert t["ai_text_gco2e"].high * 1000 >= t["ai_text_kwh"].high * t["elec_world"].high * 1000
    # the mail server's high electricity is the central one at the French colocation PUE
    ratio = t["pue_france_colocation"].central / 1.16
    assert t["email_server_kwh"].high == pytest.approx(
        t["email_server_kwh"].central * ratio, rel=1e-3
    )
    # device time per hour: low = smartphone only, high = desktop and screen, from the device rows

    def per_hour(*codes):
        grams = sum(t[f"device_{c}_embodied"].central * 1000 for c in codes)
        hours = 365 * t[f"device_{codes[0]}_lifespan"].central
        return grams / (hours * t[f"device_{codes[0]}_hours_per_day"].central)

    for key in ("office_terminal_embodied", "video_call_terminal_embodied"):
        assert t[key].low == pytest.approx(per_hour("phone"), rel=1e-4), key
        assert t[key].high == pytest.approx(per_hour("desktop", "monitor"), rel=1e-4), key
    assert t["video_call_terminal_embodied"].central == pytest.approx(per_hour("laptop"), rel=1e-4)
    for key in ("office_terminal_kwh", "video_call_terminal_kwh"):
        assert t[key].low * 1000 == t["device_phone_power_w"].central
        desktop = t["device_desktop_power_w"].central + t["device_monitor_power_w"].central
        assert t[key].high * 1000 == pytest.approx(desktop)
    # the file servers' share is the streaming servers' per hour over 1.9 GiB an hour
    assert t["dc_embodied_per_gib_sent"].central == pytest.approx(
        t["streaming_dc_embodied"].central / 1.9, rel=1e-4
    )


def test_confidence_is_low_where_the_parameters_are_weak():
    t = load_factors()
    for key in ("storage_cloud_embodied_per_copy", "storage_cloud_replication", "email_size_kept"):
        assert t[key].confidence == "low", key
    assert "pas de source" in t["storage_cloud_embodied_per_copy"].verified
    assert "2011" in t["storage_cloud_embodied_per_copy"].year


def test_the_model_reads_only_used_factors_and_all_are_there():
    table = load_factors()
    for key in REQUIRED_KEYS:
        assert table[key].status == "used", key


def test_contested_figures_are_kept_for_the_myths():
    table = load_factors()
    contested = {f.key for f in table if f.status == "contested"}
    assert {"email_contested_4g", "streaming_contested_shift_2019"} <= contested
    assert table["streaming_contested_shift_2019"].central == 3200


def test_verified_values_say_how():
    """The values checked against the ADEME model say so, with the engine and version."""
    table = load_factors()
    assert "publicodes" in table["streaming_terminal_embodied"].verified
    assert "engine-evaluated" in table["office_terminal_embodied"].verified
    assert "735ccda" in table["elec_france"].verified
    assert "not verified" in table["ai_text_kwh"].verified


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "factors.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_a_good_row_loads_when_required_keys_are_present(tmp_path):
    shipped = FACTORS_PATH.read_text(encoding="utf-8").splitlines()
    path = write(tmp_path, *shipped[1:], GOOD)
    table = load_factors(path)
    assert table["elec_test"].central == 2
    assert table["elec_test"].varies


@pytest.mark.parametrize(
    ("row", "message"),
    [
        pytest.param(
            GOOD.replace(",1,2,3,", ",1,banana,3,"),
            "central 'banana' is not a number",
            id="not-a-number",
        ),
        pytest.param(GOOD.replace(",1,2,3,", ",3,2,1,"), "low <= central <= high", id="order"),
        pytest.param(GOOD.replace(",1,2,3,", ",-1,2,3,"), "zero or more", id="negative"),
        pytest.param(GOOD.replace(",1,2,3,", ",nan,2,3,"), "finite", id="nan"),
        pytest.param(GOOD.replace("gCO2e/kWh", "gCO2/kwh"), "unknown unit", id="unit"),
        pytest.param(GOOD.replace("a source", ""), "source is empty", id="no-source"),
        pytest.param(GOOD.replace(",2024,", ",recent,"), "has no year", id="no-year"),
        pytest.param(
            GOOD.replace(",reference,estimate", ",maybe,estimate"), "status 'maybe'", id="status"
        ),
        pytest.param(GOOD.replace(",estimate,low,", ",guess,low,"), "kind 'guess'", id="kind"),
        pytest.param(
            GOOD.replace(",estimate,low,", ",estimate,sure,"), "confidence 'sure'", id="conf"
        ),
        pytest.param(GOOD.replace(",1,2,3,", ",2,2,2,"), "an estimate has low < high", id="flat"),
        pytest.param(
            GOOD.replace(",estimate,low,", ",definition,low,"), "a definition has low =", id="def"
        ),
        pytest.param(GOOD.replace("elec_test", "Elec Test"), "lower case", id="key"),
        pytest.param(GOOD + ",extra", "more values than columns", id="extra-column"),
        pytest.param("elec_test,1,2,3", "missing column", id="short-row"),
    ],
)
def test_malformed_row_is_a_clear_error_naming_the_line(tmp_path, row, message):
    path = write(tmp_path, GOOD.replace("elec_test", "ok_row"), row)
    with pytest.raises(FactorsError) as caught:
        load_factors(path)
    text = caught.value.message
    assert message in text
    assert str(path) in text
    assert "line 3" in text


def test_bad_header(tmp_path):
    path = write(tmp_path, GOOD, header="key,value,unit")
    with pytest.raises(FactorsError, match="line 1: the header must be"):
        load_factors(path)


def test_missing_model_factor(tmp_path):
    path = write(tmp_path, GOOD)
    with pytest.raises(FactorsError, match="the model needs 'elec_france'"):
        load_factors(path)


def test_model_factor_marked_contested_is_refused(tmp_path):
    shipped = FACTORS_PATH.read_text(encoding="utf-8").splitlines()
    rows = [
        r.replace(",used,", ",contested,") if r.startswith("ai_text_kwh,") else r
        for r in shipped[1:]
    ]
    with pytest.raises(FactorsError, match="'ai_text_kwh' is used by the model"):
        load_factors(write(tmp_path, *rows))


def test_unreadable_and_empty_files(tmp_path):
    with pytest.raises(FactorsError, match="line -"):
        load_factors(tmp_path / "absent.csv")
    (tmp_path / "latin1.csv").write_bytes(HEADER.encode() + b"\n\xe9\n")
    with pytest.raises(FactorsError):
        load_factors(tmp_path / "latin1.csv")
    with pytest.raises(FactorsError, match="no factor"):
        load_factors(write(tmp_path))


def test_duplicate_key(tmp_path):
    path = write(tmp_path, GOOD, GOOD)
    with pytest.raises(FactorsError, match="line 3: key 'elec_test' already defined on line 2"):
        load_factors(path)


def test_own_factors_file_is_checked_and_a_bad_row_is_a_one_line_cli_error(
    tmp_path, menage, monkeypatch
):
    """MENAGE_FACTORS swaps the file; a wrong row exits 1 naming the line, no traceback."""
    bad = write(tmp_path, GOOD.replace(",1,2,3,", ",1,x,3,"))
    monkeypatch.setenv("MENAGE_FACTORS", str(bad))
    result = menage("impact", "--storage", "1GB")
    assert result.exit_code == 1
    assert f"{bad}, line 2: central 'x' is not a number" in result.stderr
    assert "Traceback" not in result.stderr


def test_own_factors_file_changes_the_figures(tmp_path, menage, monkeypatch):
    shipped = FACTORS_PATH.read_text(encoding="utf-8").splitlines()
    doubled = [
        r.replace("elec_france,44.18,46.1,51.9,", "elec_france,103.7,103.8,103.9,")
        for r in shipped[1:]
    ]
    assert doubled != shipped[1:]
    monkeypatch.setenv("MENAGE_FACTORS", str(write(tmp_path, *doubled)))
    result = menage("impact", "--storage", "1GB", "--json")
    assert result.exit_code == 0, result.stderr
    import json

    assert json.loads(result.stdout)["grid_gco2e_per_kwh"] == 103.8
