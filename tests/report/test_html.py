"""The HTML report of ``menage scan --html``, end to end on real trees, parsed and checked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from menage.files.names import escape, from_json
from menage.files.scan import scan
from menage.files.walk import Issue
from menage.report.collapse import shown_path
from menage.report.html import render_scan_html
from menage.report.scan_view import SHOWN

# a slash cannot be part of a name: the script tag spans a folder and its file
HOSTILE = "<script>alert(1)</script>.txt"
HOSTILE_FILE = "<img src=x onerror=alert(1)>.txt"
QUOTES = "devis \"final\" & 'v2'\nbis.txt"
NOT_UTF8 = b"caf\xe9 r\xe9sum\xe9.txt"
OLD = time.time() - 6 * 365.25 * 86400


def write(path: Path | bytes, data: bytes, mtime: float | None = None) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small home folder: duplicates, temporary and old files, empty ones, hostile names."""
    root = tmp_path / "home"
    docs, downloads, backup, photos = (
        root / "Documents",
        root / "Téléchargements",
        root / "Sauvegarde" / "Documents 2019",
        root / "Images",
    )
    hostile_dir = downloads / "<script>alert(1)<"
    for folder in (docs / "2019", backup, photos, hostile_dir, root / "Vide" / "aussi vide"):
        folder.mkdir(parents=True)
    report = os.urandom(300_000)
    write(docs / "2019" / "rapport.pdf", report, OLD)
    write(backup / "rapport.pdf", report)
    write(downloads / "rapport (1).pdf", report)
    write(docs / "2019" / "budget.ods", b"budget" * 1000)
    write(backup / "budget.ods", b"budget" * 1000)
    # a folder whose name is not UTF-8 and looks like markup: it shows in the charts
    odd_folder = bytes(root) + b"/Archiv\xe9s <b>"
    os.mkdir(odd_folder)
    write(odd_folder + b"/budget.ods", b"budget" * 1000)
    payload = os.urandom(120_000)
    write(hostile_dir / "script>.txt", payload)
    write(photos / QUOTES, payload)
    write(os.path.join(bytes(photos), NOT_UTF8), payload)
    write(photos / HOSTILE_FILE, os.urandom(1000))
    write(photos / "IMG_0001.jpg", os.urandom(500_000), OLD)
    write(photos / "Thumbs.db", b"t" * 4000)
    write(docs / "~$budget.docx", b"lock")
    write(downloads / "setup.exe.part", os.urandom(20_000))
    write(docs / "vide.txt", b"")
    return root


def soup_of(page: str) -> Any:
    """The parsed page (typed loosely: tests walk it freely)."""
    return BeautifulSoup(page, "html.parser")


def parse(path: Path) -> Any:
    return soup_of(path.read_bytes().decode("utf-8"))


@pytest.fixture
def report(menage: Any, tree: Path, tmp_path: Path) -> tuple[Any, Path, dict[str, Any]]:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "report.html"
    result = menage("scan", tree, "--html", target, "--json")
    assert result.exit_code == 0, result.stderr
    return parse(target), target, json.loads(result.stdout)


def text_of(tag: Any) -> str:
    return re.sub(r"\s+", " ", tag.get_text(" ", strip=True))


def test_page_language_title_and_one_h1(report):
    soup, _target, _data = report
    assert soup.html["lang"] == "en"
    assert soup.find("meta", charset=True)["charset"] == "utf-8"
    assert soup.title.text.startswith("Ménage scan report")
    assert len(soup.find_all("h1")) == 1
    assert soup.find("main") is not None


def test_headings_never_skip_a_level(report):
    soup, _target, _data = report
    levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


def test_every_table_has_a_caption_and_scoped_headers(report):
    soup, _target, _data = report
    tables = soup.find_all("table")
    assert len(tables) >= 8
    for table in tables:
        caption = table.find("caption")
        assert caption is not None and caption.text.strip(), table
        assert table.contents and table.find(True) is caption  # first child
        for th in table.find_all("th"):
            assert th.get("scope") in ("col", "row"), th


def test_every_chart_is_an_image_with_a_title_followed_by_its_numbers(report):
    soup, _target, _data = report
    charts = soup.find_all("svg")
    assert [svg["id"] for svg in charts] == [
        "chart-categories",
        "chart-folders",
    ]
    for svg in charts:
        assert svg["role"] == "img"
        title = svg.find("title")
        assert title is not None and title.text
        assert svg["aria-labelledby"] == title["id"]
        assert len(soup.find_all(id=title["id"])) == 1
        table = svg.find_next_sibling()
        assert table.name == "table", f"{svg['id']} is not followed by a table"
        values = [t.text for t in svg.find("g", class_="values").find_all("text")]
        rows = table.find("tbody").find_all("tr")
        assert len(rows) == len(values)
        # the chart's numbers are in the table, row by row
        for value, row in zip(values, rows, strict=True):
            assert value in [td.text for td in row.find_all("td")]
        assert len(str(svg).encode()) < 2000


def test_chart_labels_are_escaped_names(report):
    soup, _target, _data = report
    for chart in ("chart-folders",):
        svg = soup.find("svg", id=chart)
        labels = [t.text for t in svg.find("g", class_="labels").find_all("text")]
        assert "Archiv\\xe9s <b>" in labels, labels
        assert svg.find("b") is None
        table = svg.find_next_sibling("table")
        # relative to the scanned folder, shown once at the top
        assert any(row.th.text == "Archiv\\xe9s <b>" for row in table.tbody.find_all("tr"))


def test_chart_numbers_match_the_json(report):
    soup, _target, data = report
    from menage.i18n import format_size

    table = soup.find("svg", id="chart-categories").find_next_sibling("table")
    sizes = [row.find_all("td")[1].text for row in table.tbody.find_all("tr")]
    expected = sorted(
        (c for c in data["categories"].values() if c["files"]), key=lambda c: -c["bytes"]
    )
    assert sizes == [format_size(c["bytes"]) for c in expected]
    folders = soup.find("svg", id="chart-folders").find_next_sibling("table")
    paths = [row.th.text for row in folders.tbody.find_all("tr")]
    roots = [from_json(root) for root in data["roots"]]
    shown_paths = [shown_path(from_json(item["path"]), roots) for item in data["by_folder"]]
    assert paths == shown_paths[: len(paths)]


def test_summary_figures(report):
    soup, _target, data = report
    from menage.i18n import format_percent, format_size

    figures = {text_of(div.dt): text_of(div.dd) for div in soup.find("dl").find_all("div")}
    assert figures["Scanned"].startswith(format_size(data["total"]["bytes"]))
    assert f"{data['total']['files']} files" in figures["Scanned"]
    assert figures["Duplicate rate"].startswith(format_percent(data["duplicates"]["rate"]))
    assert figures["Duplicates"].startswith(format_size(data["duplicates"]["redundant_bytes"]))
    assert f"{data['duplicates']['groups']} groups" in figures["Duplicates"]
    assert figures["Reclaimable"].startswith(format_size(data["reclaimable"]["total"]))
    assert figures["Errors"].startswith("0")


def test_no_script_no_external_resource(report):
    soup, target, _data = report
    assert soup.find("script") is None
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), (tag.name, name)
            if name in ("src", "href", "action", "xlink:href"):
                # links to the research sources are the only addresses outside the page
                external = tag.name == "a" and value.startswith("https://")
                assert value.startswith("#") or external, (tag.name, value)
    assert soup.find("link") is None
    assert soup.find("iframe") is None and soup.find("img") is None
    assert "url(" not in soup.style.text and "@import" not in soup.style.text
    # linked anchors exist
    for link in soup.find_all("a", href=re.compile("^#")):
        assert soup.find(id=link["href"][1:]) is not None, link["href"]


def test_css_is_inline_with_a_print_stylesheet(report):
    soup, _target, _data = report
    styles = soup.find_all("style")
    assert len(styles) == 1
    assert "@media print" in styles[0].text
    assert "system-ui" in styles[0].text


def test_hostile_names_are_escaped(report, tree):
    soup, target, _data = report
    raw = target.read_text("utf-8")
    assert HOSTILE in soup.get_text()
    # a small file is among the biggest of its folder scanned alone
    alone = render_scan_html(scan([str(tree / "Images")]))
    assert HOSTILE_FILE in soup_of(alone).get_text()
    assert "<img" not in alone
    # (a path may wrap after each "/", marked by <wbr>)
    assert "&lt;script&gt;alert(1)&lt;/<wbr>script&gt;" in raw
    assert "<script" not in raw and "<img" not in raw
    # quotes, ampersands and the newline, shown escaped and reversible
    assert escape(QUOTES.encode()) in soup.get_text()
    assert "\\n" in escape(QUOTES.encode())
    # the name that is not UTF-8, byte for byte reversible
    assert "caf\\xe9 r\\xe9sum\\xe9.txt" in soup.get_text()
    raw.encode("utf-8")  # the page is valid UTF-8 whatever the names


def test_duplicate_groups_and_folders_are_listed(report, tree):
    soup, _target, data = report
    section = soup.find("h2", id="duplicates").parent
    # the two identical folders on one line; their files are not repeated as groups
    folders = section.find("caption", string=re.compile("Folders that hold the same")).parent
    lines = folders.tbody.find_all("tr", recursive=False)
    assert len(lines) == 1
    assert [li.text for li in lines[0].find_all("li")] == [
        "Documents/2019",
        "Sauvegarde/Documents 2019",
    ]
    assert "whole folders" in lines[0].text
    # every group has a copy outside the two folders: each is listed, once
    groups = section.find("caption", string=re.compile("Other duplicate files")).parent
    rows = groups.tbody.find_all("tr", recursive=False)
    assert len(rows) == data["duplicates"]["groups"] == 3
    first = [li.find(class_="path").text for li in rows[0].find_all("li")]
    root = data["roots"][0] + "/"
    assert sorted(first) == sorted(
        p.removeprefix(root) for p in data["duplicates"]["items"][0]["paths"]
    )
    hostile = [row for row in rows if HOSTILE in row.text]
    assert len(hostile) == 1 and "caf\\xe9" in hostile[0].text


def test_findings_sections(report, tree):
    soup, _target, data = report
    old = soup.find("h2", id="old").parent
    assert "2 files" in old.p.text
    # by folder: files, size, oldest date
    assert [(row.th.text, row.td.text) for row in old.tbody.find_all("tr")] == [
        ("Images", "1"),
        ("Documents/2019", "1"),
    ]
    temp = soup.find("h2", id="temp").parent
    kinds = {row.th.text: row.find_all("td")[1].text for row in temp.table.tbody.find_all("tr")}
    assert kinds == {
        "Thumbnail caches": "1",
        "Unfinished downloads": "1",
        "Office lock files": "1",
    }
    empty = soup.find("h2", id="empty").parent
    assert "Documents/vide.txt" in [li.text for li in empty.find_all("li")]
    assert "Vide" in [li.text for li in empty.find_all("li")]
    assert "aussi vide" not in empty.text  # only the outermost empty folder
    errors = soup.find("h2", id="errors").parent
    assert "the scan is complete" in errors.text
    assert soup.find(class_="alert") is None


def test_size_is_reasonable(report):
    _soup, target, _data = report
    assert target.stat().st_size < 60_000
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_incomplete_scan_is_flagged_at_the_top(tree):
    result = scan([str(tree)])
    result.issues.append(Issue(str(tree / "Secret").encode(), "unreadable", "Permission denied"))
    result.issues.append(Issue(b"/x/<b>bold</b>\xff", "vanished", "No such file"))
    soup = soup_of(render_scan_html(result))
    header = soup.find("header")
    alert = header.find(class_="alert")
    assert "incomplete scan" in alert.text.lower()
    assert "2 entries" in alert.text
    assert alert.find("a")["href"] == "#errors"
    errors = soup.find("h2", id="errors").parent.table
    rows = [
        [cell.text for cell in row.find_all(["th", "td"])] for row in errors.tbody.find_all("tr")
    ]
    assert rows == [
        ["Secret", "cannot be read", "Permission denied"],
        ["/x/<b>bold</b>\\xff", "disappeared during the scan", "No such file"],
    ]
    assert soup.find("b") is None


def test_long_lists_are_capped_with_a_pointer_to_the_json(tmp_path):
    root = tmp_path / "many"
    root.mkdir()
    for n in range(SHOWN + 7):
        write(root / f"copy-{n:03}-a.bin", f"content {n}".encode() * 50)
        write(root / f"copy-{n:03}-b.bin", f"content {n}".encode() * 50)
        write(root / f"empty-{n:03}", b"")
    soup = soup_of(render_scan_html(scan([str(root)])))
    section = soup.find("h2", id="duplicates").parent
    groups = section.find("caption", string=re.compile("Largest duplicate groups")).parent
    assert len(groups.tbody.find_all("tr", recursive=False)) == SHOWN
    assert "7 more not shown here" in section.text
    empty = soup.find("h2", id="empty").parent
    assert len(empty.ul.find_all("li")) == SHOWN
    assert "7 more not shown here" in empty.text


def test_history_shows_the_duplicate_rate_before_and_after(menage, tree, tmp_path):
    first = tmp_path / "first.html"
    assert menage("scan", tree, "--html", first).exit_code == 0
    history = parse(first).find("h2", id="history").parent
    assert "first scan of these folders" in history.text
    assert history.table is None

    # another folder's scan is not part of this history
    other = tmp_path / "other"
    other.mkdir()
    assert menage("scan", other).exit_code == 0
    # a cleanup: the copies of the report go
    (tree / "Téléchargements" / "rapport (1).pdf").unlink()
    (tree / "Sauvegarde" / "Documents 2019" / "rapport.pdf").unlink()
    second = tmp_path / "second.html"
    assert menage("scan", tree, "--html", second).exit_code == 0
    scans = json.loads(menage("scans", "--json").stdout)
    before, after = scans[0], scans[2]
    history = parse(second).find("h2", id="history").parent
    from menage.i18n import format_percent

    sentence = text_of(history.p)
    assert f"{format_percent(before['rate'])} at scan no. 1" in sentence
    assert f"→ {format_percent(after['rate'])} now" in sentence
    assert before["rate"] > after["rate"]
    rows = history.table.tbody.find_all("tr")
    assert [row.th.text for row in rows] == ["1", "3"]


def test_french_report(tree, tmp_path):
    target = tmp_path / "rapport.html"
    env = {**os.environ, "MENAGE_LANG": "fr"}
    out = subprocess.run(
        [sys.executable, "-m", "menage", "--lang", "fr", "scan", str(tree), "--html", str(target)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    soup = parse(target)
    assert soup.html["lang"] == "fr"
    assert soup.h1.text == "Rapport d’analyse"
    headings = [h.text for h in soup.find_all("h2")]
    assert "Doublons" in headings and "Fichiers temporaires et caches" in headings
    figures = {text_of(div.dt): text_of(div.dd) for div in soup.find("dl").find_all("div")}
    assert re.fullmatch(r"[\d,]+\s%.*", figures["Taux de doublons"]), figures
    assert re.match(r"[\d,]+\s[kM]o", figures["Total analysé"]), figures
    table = soup.find("svg", id="chart-categories").find_next_sibling("table")
    assert table.find("caption").text == "Octets par catégorie"
    assert soup.find("svg", id="chart-categories").title.text == "Octets par catégorie"


def test_unwritable_target_fails_before_the_scan(menage, tree, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = menage("scan", tree, "--html", blocker / "report.html")
    assert result.exit_code == 1
    assert "cannot write the report" in result.stderr
    assert "Traceback" not in result.stderr
    # nothing was scanned: the index holds no scan
    assert json.loads(menage("scans", "--json").stdout) == []


def test_a_missing_folder_is_refused_and_an_old_report_replaced(menage, tree, tmp_path):
    target = tmp_path / "new" / "folder" / "report.html"
    refused = menage("scan", tree, "--html", target)
    assert refused.exit_code == 1 and "new/folder does not exist" in refused.stderr
    assert not (tmp_path / "new").exists()
    target.parent.mkdir(parents=True)
    assert menage("scan", tree, "--html", target).exit_code == 0
    target.chmod(0o640)
    assert menage("scan", tree, "--html", target).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_a_folder_as_target_is_a_usage_error(menage, tree, tmp_path):
    result = menage("scan", tree, "--html", tmp_path)
    assert result.exit_code == 2


def test_a_write_failure_is_a_clear_error(tree, tmp_path):
    from menage.errors import ReportNotWritten
    from menage.report.html import write_scan_html

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ReportNotWritten, match="cannot write the report"):
        write_scan_html(scan([str(tree)]), blocker / "sub" / "report.html")
    assert blocker.read_text() == "x"


@pytest.mark.parametrize(
    ("older_than", "words"), [("6m", "6 months"), ("1y", "1 year"), ("45d", "45 days")]
)
def test_the_age_of_old_files_is_in_words(menage, tree, tmp_path, older_than, words):
    target = tmp_path / "report.html"
    assert menage("scan", tree, "--older-than", older_than, "--html", target).exit_code == 0
    old = parse(target).find("h2", id="old").parent
    assert f"not been modified for {words} or more" in text_of(old.p)


def test_impact_of_what_can_be_freed(report):
    soup, _path, data = report
    section = soup.find("section", attrs={"aria-labelledby": "impact"})
    text = text_of(section)
    assert "gCO2e" in text or "kgCO2e" in text
    # the sources are named and linked, not given by their keys
    assert "storage_cloud" not in text and "ADEME" in text
    assert section.find("a", href=re.compile("^https://"), string=re.compile("ADEME"))
    assert "smartphone" in text  # put in proportion with keeping a device longer
    assert data["impact"]["bytes"] == data["reclaimable"]["total"]
