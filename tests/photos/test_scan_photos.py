"""``menage scan --photos``: one pass gives the files' and the photos' findings."""

import json
import os
import shutil

import pytest
from bs4 import BeautifulSoup

from tests.photos.images import phone_folder, png_bomb


def names(items):
    return sorted(os.path.basename(i["path"]) for i in items)


@pytest.fixture
def dcim(tmp_path):
    root = tmp_path / "DCIM"
    made = phone_folder(root)
    # an exact copy: the file engine's duplicate, not counted again as a similar photo
    (root / "sauvegarde").mkdir()
    shutil.copy2(made["copy"], root / "sauvegarde" / "IMG_0001-whatsapp.jpg")
    return root


def test_scan_gives_files_and_photos_in_one_pass(menage, menage_home, dcim, tmp_path):
    html = tmp_path / "report.html"
    result = menage("scan", dcim, "--photos", "--json", "--html", html)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["duplicates"]["count"] == 1
    [similar] = data["similar_photos"]["items"]
    # the exact copy in sauvegarde/ is left to the duplicates: each byte counted once
    assert names(similar["items"]) == ["IMG_0001-whatsapp.jpg", "IMG_0001.jpg"]
    best = similar["items"][similar["best"] - 1]
    assert os.path.basename(best["path"]) == "IMG_0001.jpg"
    assert similar["reason"] == "resolution"
    assert data["similar_photos"]["reclaimable_bytes"] == os.path.getsize(
        dcim / "IMG_0001-whatsapp.jpg"
    )
    [burst] = data["bursts"]["items"]
    assert names(burst["items"]) == ["BURST_0.jpg", "BURST_1.jpg", "BURST_2.jpg"]
    photos = data["photos"]
    assert (photos["photos"], photos["decoded"], photos["errors"]) == (7, 7, [])
    [where] = photos["where"]
    assert (where["kind"], where["frees_at_source"]) == ("copy", False)
    assert "nothing on the phone" in where["message"]
    assert (menage_home / "photos.sqlite").exists()

    # the scan's stored findings: the plan reads them back
    stored = menage("plan", "--pick", "similar_photos/1/1", "-o", "-")
    assert stored.exit_code == 0, stored.stderr
    assert "IMG_0001-whatsapp.jpg" in stored.stdout or "IMG_0001.jpg" in stored.stdout

    page = BeautifulSoup(html.read_text(), "html.parser")
    headings = [h.get_text(" ", strip=True) for h in page.find_all(["h2", "h3"])]
    assert any("Similar photos" in h for h in headings), headings
    assert any("Bursts" in h for h in headings), headings
    assert "nothing on the phone" in page.get_text(" ")

    # a second scan reads the photos from the cache
    again = json.loads(menage("scan", dcim, "--photos", "--json").stdout)
    assert (again["photos"]["decoded"], again["photos"]["from_cache"]) == (0, 7)
    assert again["similar_photos"]["items"] == data["similar_photos"]["items"]


def test_scan_without_photos_has_no_photo_findings(menage, menage_home, dcim):
    data = json.loads(menage("scan", dcim, "--json").stdout)
    assert "photos" not in data and "similar_photos" not in data
    assert not (menage_home / "photos.sqlite").exists()


def test_terminal_summary_says_what_a_cleanup_frees(menage, menage_home, dcim):
    result = menage("scan", dcim, "--photos")
    assert result.exit_code == 0, result.stderr
    assert "Similar photos" in result.stdout and "Bursts of photos" in result.stdout
    assert "7 photos analysed" in result.stdout
    assert "nothing on the phone" in result.stdout


def test_bad_photos_in_a_scan_are_reported_and_left_alone(menage, menage_home, dcim):
    bad = {
        "empty.jpg": b"",
        "garbage.png": b"this is not a photo",
        "truncated.jpg": (dcim / "IMG_0020.jpg").read_bytes()[:2000],
    }
    for name, content in bad.items():
        (dcim / name).write_bytes(content)
    png_bomb(dcim / "bomb.png")
    (dcim / "IMG_9999.dng").write_bytes(b"raw sensor data")
    before = {p: p.read_bytes() for p in dcim.iterdir() if p.is_file()}
    result = menage("scan", dcim, "--photos", "--json")
    assert result.exit_code == 3, result.stderr  # incomplete: some photos skipped
    data = json.loads(result.stdout)
    reasons = {os.path.basename(e["path"]): e["reason"] for e in data["photos"]["errors"]}
    assert reasons == {
        "empty.jpg": "empty",
        "garbage.png": "unidentified",
        "truncated.jpg": "truncated",
        "bomb.png": "too-large",
        "IMG_9999.dng": "raw",
    }
    assert all(e["message"] for e in data["photos"]["errors"])
    assert data["complete"] is False
    assert "5 photos could not be analysed" in result.stderr
    assert "Traceback" not in result.stderr
    # the good photos are still analysed, and nothing was changed
    assert data["similar_photos"]["count"] == 1
    assert {p: p.read_bytes() for p in before} == before
