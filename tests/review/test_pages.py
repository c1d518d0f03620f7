"""The review flow over HTTP: scan, summary, review, clean, undo, the bin, measures, stop."""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from menage.review import Review
from menage.review.folders import offered_folders


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def one(node: Any, selector: str) -> Tag:
    found = node.select_one(selector)
    assert isinstance(found, Tag), selector
    return found


def test_the_first_page_offers_the_folders_with_labels(client, tree):
    status, _headers, text = client.get("")
    page = soup(text)
    assert status == 200 and one(page, "html")["lang"] == "en"
    boxes = page.select("input[name=folder]")
    assert [b["value"] for b in boxes] == [
        str(tree / "Documents"),
        str(tree / "Copies"),
        str(tree),
    ]
    for box in boxes:
        assert one(page, f"label[for={box['id']}]") is not None
    assert one(page, "input[name=csrf]")["value"] == client.server.guard.csrf


def test_the_whole_flow_cleans_into_the_quarantine_and_undo_puts_back(client, tree, menage_home):
    client.scan(tree)
    status, headers, _text = client.get("scan")
    assert status == 303 and headers["location"].endswith("/summary")
    status, _headers, text = client.get("summary")
    assert status == 200
    figures = one(soup(text), ".figures dd").get_text()
    assert "65" in figures  # 40 kB + 25 kB of extra copies
    assert "smartphone one year longer" in text
    assert "kgCO2e" in text or "gCO2e" in text

    page = soup(client.get("review")[2])
    group = page.select("fieldset.group")[0]
    kept = one(group, "li.kept .path").get_text()
    assert kept.endswith("Documents/rapport-1.pdf")  # the oldest copy is kept
    assert "oldest copy is kept" in group.get_text()

    status, headers, _text = client.post("clean", {"pick": one(group, "input")["value"]})
    assert status == 303
    run = int(headers["location"].rsplit("/", 1)[1])
    assert (tree / "Documents" / "rapport-1.pdf").exists()
    assert not (tree / "Copies" / "rapport-1 (copie).pdf").exists()
    quarantined = [p for p in (menage_home / "quarantine").rglob("*") if p.is_file()]
    assert [p.stat().st_size for p in quarantined if p.stat().st_size > 1000] == [40_064]

    done = soup(client.get(f"done/{run}")[2])
    assert "1 file went to Ménage's bin" in done.get_text()
    history = soup(client.get("history")[2])
    assert "It holds 1 file" in history.get_text()
    assert "menage purge --older-than 30d" in history.get_text()

    status, headers, _text = client.post("undo", {"run": str(run)})
    assert status == 303 and headers["location"].endswith("/history")
    assert (tree / "Copies" / "rapport-1 (copie).pdf").stat().st_size == 40_064
    history = soup(client.get("history")[2])
    assert "1 file is back in its place" in one(history, "[role=status]").get_text()
    assert "It is empty" in history.get_text()
    # the notice is said once
    assert soup(client.get("history")[2]).select_one("[role=status]") is None


def test_single_files_and_one_copy_can_be_picked(client, tree):
    client.scan(tree)
    picks = client.picks()
    assert "big_files/1" in picks and "old_files/1" in picks
    status, _headers, text = client.post("clean", {"pick": ["old_files/1", "duplicates/2/1"]})
    assert status == 303, text
    assert not (tree / "Documents" / "vieux-devis.odt").exists()
    gone = [p.name for p in (tree / "Copies").iterdir()] + [
        p.name for p in (tree / "Documents").iterdir()
    ]
    assert sum(name.startswith("rapport-2") for name in gone) == 1


def test_nothing_ticked_says_so(client, tree):
    client.scan(tree)
    status, _headers, text = client.post("clean", {})
    assert status == 400 and "Nothing is ticked" in text


def test_a_file_changed_since_the_scan_is_left_in_place(client, tree):
    client.scan(tree)
    copy = tree / "Copies" / "rapport-1 (copie).pdf"
    copy.write_bytes(b"changed since the scan")
    status, headers, _text = client.post("clean", {"pick": "duplicates/1"})
    assert status == 303
    assert copy.read_bytes() == b"changed since the scan"
    text = soup(client.get(headers["location"].split("/", 2)[2])[2]).get_text()
    assert "left in place" in text


def test_a_folder_gone_before_the_scan_gives_a_message(client, tree):
    shutil.rmtree(tree / "Copies")
    client.post("scan", {"folder": str(tree / "Copies")})
    job = client.server.review.job
    job.thread.join(60)
    assert job.state == "error"
    status, _headers, text = client.get("scan")
    assert status == 200 and "The scan stopped" in text and "no such file or folder" in text
    assert json.loads(client.get("progress.json")[2])["state"] == "error"


def test_progress_json_says_where_the_scan_is(client, tree):
    assert json.loads(client.get("progress.json")[2])["state"] == "none"
    client.scan(tree)
    now = json.loads(client.get("progress.json")[2])
    assert now["state"] == "done" and now["next"] == "summary"


def test_the_scan_page_refreshes_without_javascript(client, tree):
    review = client.server.review
    # a scan that has not finished yet: the page the browser sees while it runs
    from menage.review.session import ScanJob

    review.job = ScanJob(roots=[tree], done=12)
    review.roots = [tree]
    page = soup(client.get("scan")[2])
    assert one(page, "noscript meta[http-equiv=refresh]") is not None
    assert one(page, "script[src$='progress.js']") is not None
    assert one(page, "progress#bar") is not None
    assert "12 files" in one(page, "#status").get_text()


def test_pages_before_a_scan_send_back_to_the_folders(client):
    for route in ("scan", "summary", "review"):
        status, headers, _text = client.get(route)
        assert status == 303 and headers["location"] == client.base


def test_unknown_pages_and_runs(client):
    assert client.get("nowhere")[0] == 404
    assert client.get("done/42")[0] == 404
    status, _headers, text = client.post("undo", {"run": "42"})
    assert status == 409 and "42" in text
    assert client.post("undo", {"run": "x"})[0] == 400


def test_static_files(client):
    status, headers, text = client.get("static/site.css")
    assert status == 200 and headers["content-type"].startswith("text/css") and "--brand" in text
    assert client.get("static/progress.js")[0] == 200
    assert client.get("static/../app.py")[0] == 404


def test_submit_shows_the_command_for_a_join_code(client):
    page = soup(client.get("submit?code=VAL7K3QM")[2])
    assert one(page, "pre code").get_text() == "menage submit --campaign VAL7K3QM"
    status, _headers, text = client.get("submit?code=%3Cscript%3E")
    assert status == 400 and "<script>" not in text


def test_finish_stops_the_server(client, server):
    status, _headers, text = client.post("quit", {})
    assert status == 200 and "Ménage has stopped" in text
    assert server.wait(30)


def test_idle_after_the_timeout_unless_busy(tree, menage_home):
    from menage import Workspace

    now = [1000.0]
    review = Review(Workspace(menage_home), offered_folders([tree]), 60, clock=lambda: now[0])
    assert not review.idle()
    now[0] += 59
    assert not review.idle()
    review.seen()
    now[0] += 60
    assert review.idle()
    review.busy = 1
    assert not review.idle()


def test_an_idle_server_stops(tree, menage_home):
    from menage import Workspace
    from menage.review import ReviewServer

    now = [0.0]
    review = Review(Workspace(menage_home), offered_folders([tree]), 60, clock=lambda: now[0])
    server = ReviewServer(review)
    server.start(poll_s=0.05)
    assert not server.wait(0.2)
    now[0] = 61.0
    assert server.wait(30)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pages_follow_the_language(client, lang):
    from menage import i18n

    i18n.setup(lang)
    try:
        page = soup(client.get("")[2])
    finally:
        i18n.setup("en")
    assert one(page, "html")["lang"] == lang
    heading = one(page, "h1").get_text()
    assert heading == {"fr": "Faire le tri dans vos fichiers", "en": "Tidy up your files"}[lang]


def test_the_usual_folders_are_offered_when_none_is_given(tmp_path, monkeypatch):
    home = tmp_path / "home"
    for name in ("Documents", "Pictures", "Phone/DCIM"):
        (home / name).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    offered = offered_folders(home=home)
    paths = [o.path for o in offered]
    assert paths[:3] == [home, home / "Documents", home / "Pictures"]
    assert home / "Phone" / "DCIM" in paths
    assert [o.default for o in offered][:2] == [False, True]
