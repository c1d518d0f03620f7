"""The HTML report is short and says what to do: checked point by point on a home folder
of about 300 files (``short_tree``), scanned through the CLI with its index."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from menage.cli._app import cli
from menage.findings import DuplicateFolders, Duplicates
from menage.i18n import format_size
from menage.report import collapse
from menage.report.collapse import ROWS
from tests.report.short_tree import make_tree


def page(path: Path) -> Any:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def text_of(tag: Any) -> str:
    return re.sub(r"\s+", " ", tag.get_text(" ", strip=True))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "maison")


@pytest.fixture
def scanned(menage: Any, tree: Path, tmp_path: Path) -> tuple[Any, Path, dict[str, Any]]:
    """Three scans of the same tree (the first two make the history), the last with
    its report and its JSON."""
    for _ in range(2):
        assert menage("scan", tree).exit_code == 0
    target = tmp_path / "rapport.html"
    result = menage("scan", tree, "--html", target, "--json")
    assert result.exit_code == 0, result.stderr
    return page(target), target, json.loads(result.stdout)


def accepted(command: str) -> None:
    """``command`` parses as the CLI's: a known command, known options, valid values."""
    words = shlex.split(command)
    assert words[0] == "menage", command
    with cli.make_context("menage", words[1:]) as context:
        args = [*context._protected_args, *context.args]
        name, command_object, rest = cli.resolve_command(context, args)
        assert command_object is not None, command
        command_object.make_context(name or "", rest, parent=context).close()


def test_the_first_section_says_what_to_do_with_commands_the_cli_runs(
    scanned, menage, tmp_path, monkeypatch
):
    soup, _target, data = scanned
    first = soup.main.find("section")
    assert first.h2.text == "What to do now?"
    steps = first.find("ol", class_="steps").find_all("li", recursive=False)
    assert len(steps) == 3
    titles = [text_of(step.h3) for step in steps]
    freed = data["reclaimable"]
    # the sure gains first, biggest first, then the old files to look through
    assert titles == [
        f"Remove the extra copies of duplicate files: frees {format_size(freed['duplicates'])}",
        f"Remove temporary and cache files: frees {format_size(freed['temp_files'])}",
        f"Look through the old files: up to {format_size(data['old_files']['bytes'])}",
    ]
    commands = [line for step in steps for line in step.pre.text.splitlines()]
    scan_id = data["scan_id"]
    assert commands == [
        f"menage plan {scan_id} --duplicates -o plan.json",
        "menage apply plan.json",
        f"menage plan {scan_id} --temp -o plan.json",
        "menage apply plan.json",
        f"menage review {shlex.quote(data['roots'][0])}",
    ]
    monkeypatch.chdir(tmp_path)
    for command in commands:
        accepted(command)
        if command.startswith("menage plan"):
            # the plans are made for real: exit 0 and a plan of the promised size
            result = menage(*shlex.split(command)[1:])
            assert result.exit_code == 0, result.stderr
            lines = (tmp_path / "plan.json").read_text().splitlines()
            actions = [line for line in lines[1:] if not line.startswith(("#", '{"menage_plan'))]
            assert actions, command


def test_the_root_is_shown_once_and_every_path_is_relative(scanned, tree):
    soup, _target, _data = scanned
    body = soup.body.get_text(" ")
    assert body.count(str(tree)) == 2  # the header, and the review command
    assert soup.header.code.text == str(tree)
    for tag in soup.main.find_all(class_="path"):
        assert not tag.text.startswith("/"), tag


def test_no_duplicate_group_is_listed_twice_and_whole_folders_are_one_line(scanned):
    soup, _target, data = scanned
    section = soup.find("h2", id="duplicates").parent
    lines = section.find("caption", string="Folders that hold the same files").parent
    rows = lines.tbody.find_all("tr", recursive=False)
    folders = [[li.text for li in row.find_all("li")] for row in rows]
    assert folders == [
        ["Documents/Projets", "Sauvegarde 2019/Projets"],
        ["Clé USB", "Documents/Projets/2022", "Sauvegarde 2019/Projets/2022"],
    ]
    assert "whole folders, identical" in rows[0].text
    assert "6 files in each folder" in rows[1].text
    # the findings keep every group: one per copied file
    assert data["duplicates"]["groups"] == 50
    assert len(data["duplicate_folders"]["items"]) == 1
    # the only group not in a folder line is listed, once
    groups = section.find("caption", string=re.compile("Other duplicate files")).parent
    listed = [li.find(class_="path").text for li in groups.find_all("li")]
    assert sorted(listed) == [
        "Documents/Projets/2024/compte-rendu-03.odt",
        "Sauvegarde 2019/Projets/2024/compte-rendu-03.odt",
        "Téléchargements/compte-rendu-03 (1).odt",
    ]
    paths = [li.text for li in section.find_all("li")]
    assert len(paths) == len(set(paths))


def test_the_freed_column_counts_each_group_once(scanned):
    """A whole-folder line and a partial-copy line share files (the 2022 folder has a
    third copy on the USB key): the lines together free what the groups free."""
    _soup, _target, data = scanned
    groups = [Duplicates.from_json(g, n) for n, g in enumerate(data["duplicates"]["items"], 1)]
    folders = [
        DuplicateFolders.from_json(f, n)
        for n, f in enumerate(data["duplicate_folders"]["items"], 1)
    ]
    shown = collapse.duplicates(groups, folders, [os.fsencode(r) for r in data["roots"]])
    assert (shown["more_folders"], shown["more_groups"]) == (0, 0)
    listed = {row["number"] for row in shown["groups"]}
    lines = sum(row["freed_bytes"] for row in shown["folders"])
    lines += sum(g.reclaimable_bytes for g in groups if g.number in listed)
    assert lines == sum(g.reclaimable_bytes for g in groups) == data["reclaimable"]["duplicates"]


def test_old_files_are_counted_by_folder(scanned):
    soup, _target, data = scanned
    section = soup.find("h2", id="old").parent
    rows = section.table.tbody.find_all("tr")
    assert len(rows) <= ROWS
    # twelve folders hold them: shown by year folder
    assert sorted(row.th.text for row in rows) == [f"Archives/{y}" for y in range(2010, 2016)]
    assert sum(int(row.td.text) for row in rows) == data["old_files"]["count"] == 120
    for row in rows:
        assert row.find("time")["datetime"] < "2019"


def test_sources_are_named_and_linked(scanned):
    soup, _target, _data = scanned
    impact = soup.find("h2", id="impact").parent
    links = impact.find_all("a", href=re.compile("^https://"))
    assert links and all(" " in link.text and "_" not in link.text for link in links)
    assert "ADEME Impact CO2 model" in [link.text for link in links]


def test_identical_history_rows_are_merged(scanned, data_ids=None):
    soup, _target, data = scanned
    rows = soup.find("h2", id="history").parent.table.tbody.find_all("tr")
    first, now = data["scan_id"] - 2, data["scan_id"]
    assert [row.th.text for row in rows] == [f"{first}–{first + 1}", str(now)]
    assert text_of(rows[0].td).startswith("2 × ")


def test_nothing_left_of_markdown_and_dates_never_wrap(scanned):
    soup, _target, _data = scanned
    text = soup.get_text()
    assert "`" not in text and "README" not in text
    assert "time{white-space:nowrap}" in soup.style.text


def test_the_french_report(tree, tmp_path):
    target = tmp_path / "rapport.html"
    out = subprocess.run(
        [sys.executable, "-m", "menage", "--lang", "fr", "scan", str(tree), "--html", str(target)],
        capture_output=True,
        text=True,
        env={**os.environ, "MENAGE_LANG": "fr"},
    )
    assert out.returncode == 0, out.stderr
    soup = page(target)
    first = soup.main.find("section")
    assert first.h2.text == "Que faire maintenant\u202f?"
    assert text_of(first.h3).startswith("Retirer les copies en trop des fichiers en double")
    text = soup.get_text()
    assert "`" not in text and "README" not in text
    assert "Dossiers qui contiennent les mêmes fichiers" in text
    assert "Fichiers anciens par dossier" in text


def test_paths_with_several_roots_start_with_the_root_s_name():
    from menage.report.collapse import shown_path

    roots = [b"/home/ana/Documents", b"/mnt/cle"]
    assert shown_path(b"/home/ana/Documents/a.txt", roots) == "Documents/a.txt"
    assert shown_path(b"/mnt/cle/b/c.txt", roots) == "cle/b/c.txt"
    assert shown_path(b"/mnt/cle", roots) == "cle"
    assert shown_path(b"/home/ana/Documents/a.txt", roots[:1]) == "a.txt"
    assert shown_path(b"/etc/hosts", [b"/"]) == "etc/hosts"
    assert shown_path(b"/mnt/cl\xe9/x", [b"/mnt"]) == "cl\\xe9/x"  # escaped, as everywhere
