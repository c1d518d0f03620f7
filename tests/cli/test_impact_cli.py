"""`menage impact` end to end: lines with ranges and sources, JSON, sources, myths, bad input."""

from __future__ import annotations

import json

import pytest

from menage.impact import MYTHS, factors


def test_the_issue_example(menage):
    result = menage(
        "impact",
        "--storage",
        "10GB",
        "--emails-kept",
        "20000",
        "--ai-requests",
        "300",
        "--keep-phone",
        "1y",
    )
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "use-phase electricity: France, 46.1 gCO2e/kWh" in out
    assert "Data-centre storage: 10 GB for 1 year" in out
    assert "0.49 kgCO2e (0.0096–1.4)" in out
    assert "Mail kept: 20,000 mails for 1 year" in out
    assert "AI chatbot requests: 300" in out
    assert "Keeping a smartphone 1 year longer (avoided)" in out
    assert "32 kgCO2e (18–43)" in out
    assert "≈ 150 km by petrol car" in out
    assert "sources: storage_cloud_embodied_per_copy" in out
    assert "sources: device_phone_embodied, device_phone_lifespan" in out
    assert "water (indicative)" in out
    assert (
        "Footprint: " in out
        and "Avoided by keeping devices longer or giving them a second life: 32 kgCO2e" in out
    )
    assert "making devices last matters most" in out


def test_json_output(menage):
    result = menage("impact", "--storage", "10GB", "--keep-phone", "18m", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["region"] == "france"
    assert data["grid_gco2e_per_kwh"] == 46.1
    storage, phone = data["lines"]
    assert storage["activity"] == "storage_cloud"
    assert storage["quantity"] == 10 * 10**9
    assert storage["kgco2e"]["low"] < storage["kgco2e"]["central"] < storage["kgco2e"]["high"]
    assert storage["water_indicative"] is True
    assert "elec_france" in storage["sources"]
    assert phone["avoided"] is True and phone["kwh"] is None
    assert phone["kgco2e"]["central"] == pytest.approx(1.5 * 79.516 / 2.5, rel=1e-4)
    assert data["footprint"]["kgco2e"]["central"] == storage["kgco2e"]["central"]
    assert data["avoided"]["kgco2e"]["central"] == phone["kgco2e"]["central"]
    assert "times more" in data["message"]


def test_every_activity(menage):
    result = menage(
        "impact",
        "--storage",
        "1GB",
        "--local-storage",
        "500GB",
        "--emails-kept",
        "100",
        "--mail-size",
        "200kB",
        "--emails-sent",
        "50",
        "--emails-sent-attachment",
        "5",
        "--recipients",
        "3",
        "--file-transfer",
        "1GB",
        "--video-call",
        "30m",
        "--web-searches",
        "20",
        "--transfer",
        "20GB",
        "--mobile-transfer",
        "3GB",
        "--streaming",
        "10h",
        "--quality",
        "4K",
        "--ai-requests",
        "10",
        "--ai-images",
        "4",
        "--buy",
        "laptop",
        "--buy",
        "phone",
        "--keep-laptop",
        "2y",
        "--keep-tv",
        "1y",
        "--reused",
        "phone=2",
        "--for",
        "6m",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    activities = [line["activity"] for line in data["lines"]]
    assert activities == [
        "storage_cloud",
        "storage_local",
        "mail_kept",
        "mail_sent",
        "mail_sent_attachment",
        "transfer_fixed",
        "transfer_mobile",
        "file_fixed",
        "streaming_4k",
        "video_call",
        "web_search",
        "ai_text",
        "ai_image",
        "make_laptop",
        "make_phone",
        "keep_laptop",
        "keep_tv",
        "second_life_phone",
    ]
    assert data["lines"][3]["detail"]["recipients"] == 3
    assert data["notes"]  # --emails-sent with --emails-kept: the double count is said
    assert data["period_years"] == pytest.approx(0.5, abs=0.01)
    kept = data["lines"][2]
    assert "email_size_kept" not in kept["sources"]  # the size was given
    for line in data["lines"]:
        assert line["sources"], line["activity"]
        for key in line["sources"]:
            assert factors()[key].status == "used"


def test_region_changes_use_phase_figures(menage):
    def storage(region):
        result = menage("impact", "--storage", "100GB", "--region", region, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    france, europe, world = storage("france"), storage("Europe"), storage("world")
    assert europe["region"] == "europe" and europe["grid_gco2e_per_kwh"] == 214
    assert world["grid_gco2e_per_kwh"] == 494
    carbon = [d["lines"][0]["kgco2e"]["central"] for d in (france, europe, world)]
    assert carbon[0] < carbon[1] < carbon[2]
    assert france["lines"][0]["kwh"] == europe["lines"][0]["kwh"]
    # manufacturing does not depend on where the device is used
    phones = [
        json.loads(menage("impact", "--buy", "phone", "--region", r, "--json").stdout)
        for r in ("france", "world")
    ]
    assert phones[0]["lines"] == phones[1]["lines"]


def test_sources_lists_every_factor(menage):
    result = menage("impact", "--sources")
    assert result.exit_code == 0, result.stderr
    for factor in factors():
        assert f"{factor.key}: " in result.stdout
    assert "source: ADEME Impact CO2 model" in result.stdout
    assert "[contested, not used, confidence: low]" in result.stdout
    assert "elec_france: 46.1 (44.18–51.9) gCO2e/kWh [used, confidence: high]" in result.stdout
    assert "(one source: no range known)" in result.stdout
    as_json = json.loads(menage("impact", "--sources", "--json").stdout)
    rows = as_json["factors"]
    assert len(rows) == len(factors())
    assert all(row["source"] and row["year"] and row["kind"] for row in rows)


def test_myths(menage):
    result = menage("impact", "--myths")
    assert result.exit_code == 0, result.stderr
    assert "1. An email emits 4 g of CO2" in result.stdout
    assert "One hour of online video emits 3.2 kg of CO2." in result.stdout
    assert "bit/byte" in result.stdout
    assert result.stdout.count("Why: ") == len(MYTHS)
    assert "Verdict: false." in result.stdout and "Verdict: true." in result.stdout
    data = json.loads(menage("impact", "--myths", "--json").stdout)
    assert [m["id"] for m in data["myths"]] == [m.id for m in MYTHS]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--storage", "banana"], "'banana' is not a valid size", id="banana"),
        pytest.param(["--storage", "-5GB"], "is not a valid size", id="negative-size"),
        pytest.param(["--emails-kept", "-5"], "-5 is not in the range x>=0", id="negative-count"),
        pytest.param(["--ai-requests", "many"], "'many' is not a valid integer", id="not-a-count"),
        pytest.param(["--keep-phone", "soon"], "'soon' is not a valid duration", id="duration"),
        pytest.param(["--keep-phone", "-1y"], "is not a valid duration", id="negative-years"),
        pytest.param(["--storage", "1GB", "--region", "mars"], "'mars' is not one of", id="region"),
        pytest.param(["--buy", "toaster"], "'toaster' is not one of", id="device"),
        pytest.param(["--streaming", "1h", "--quality", "8k"], "'8k' is not one of", id="quality"),
        pytest.param([], "say what to estimate", id="nothing"),
        pytest.param(["--mail-size", "1MB"], "give both", id="mail-size-alone"),
        pytest.param(["--sent-size", "1MB"], "give both", id="sent-size-alone"),
        pytest.param(
            ["--mailbox", "4GB", "--emails-kept", "10"], "describe the same mailbox", id="twice"
        ),
        pytest.param(["--reused", "toaster=2"], "expected DEVICE=N", id="reused-device"),
        pytest.param(["--reused", "phone=x"], "expected DEVICE=N", id="reused-count"),
        pytest.param(["--html", "x.html"], "give --device too", id="html-alone"),
        pytest.param(["--device", "other"], "'other' is not one of", id="sheet-other"),
        pytest.param(["--video-call", "1h", "--participants", "1"], "1 is not in", id="alone"),
    ],
)
def test_bad_input_is_a_usage_error(menage, args, message):
    result = menage("impact", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_zero_is_fine(menage):
    result = menage("impact", "--storage", "0", "--emails-sent", "0", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["footprint"]["kgco2e"]["central"] == 0


def test_scan_reports_the_impact_of_what_it_can_free(menage, tmp_path):
    sample = tmp_path / "sample"
    assert menage("demo-data", sample).exit_code == 0
    result = menage("scan", sample, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    impact = data["impact"]
    from menage.impact import freed_storage_impact

    freed = data["reclaimable"]["total"]
    assert freed > 0 and impact["bytes"] == freed
    expected = freed_storage_impact(freed)
    assert impact["cloud"]["kgco2e"]["central"] == pytest.approx(expected.kgco2e.central, rel=1e-5)
    assert impact["shown_first"] == "local"
    assert impact["local"]["activity"] == "storage_local"
    assert impact["keep_smartphone_one_year"]["avoided"] is True
    assert impact["ratio"] > 1000  # a sample folder is tiny next to a phone's manufacturing
    assert "making devices last matters most" in impact["message"]

    text = menage("scan", sample)
    assert text.exit_code == 0, text.stderr
    summary = " ".join(text.stdout.split())  # the table wraps long cells
    assert "Impact" in summary
    # the local disk first, the data centre as a hypothesis (issue: a laptop's files)
    local = summary.index("a year as a share of this disk's manufacturing")
    assert local < summary.index("a year if it were synced to a data centre")
    assert "storage_local_embodied" in summary
    assert "device_phone_embodied" in summary


def test_device_sheet(menage, tmp_path):
    result = menage("impact", "--device", "laptop")
    assert result.exit_code == 0, result.stderr
    assert "Device sheet: laptop" in result.stdout
    assert "5 years:" in result.stdout and "3 years:" in result.stdout
    data = json.loads(menage("impact", "--device", "box", "--json").stdout)
    assert data["sheet"]["use_per_year"]["kwh"]["central"] == pytest.approx(70.08)
    page = tmp_path / "laptop.html"
    result = menage("impact", "--device", "laptop", "--html", page)
    assert result.exit_code == 0, result.stderr
    assert "<svg" in page.read_text(encoding="utf-8")


def test_device_sheet_unwritable_html(menage, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    result = menage("impact", "--device", "tv", "--html", tmp_path / "a-file" / "tv.html")
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_sent_mail_with_size_and_recipients(menage):
    def grams(*args):
        result = menage("impact", "--emails-sent", "1", *args, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)["lines"][0]["kgco2e"]["central"] * 1000

    assert grams() == pytest.approx(1.923, abs=0.001)
    assert grams("--recipients", "3") == pytest.approx(2.201, abs=0.001)
    assert grams("--sent-size", "5MB") > 5
