"""``menage scan`` end to end, including every bad input the issue lists."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest

from tests.files.trees import sample_tree, write

IS_ROOT = os.geteuid() == 0


def menage_process(*args, env=None, without_root_powers=False, **kwargs):
    """Run the real command in a subprocess.

    ``without_root_powers``: when we are root, drop the capabilities that let root read
    any file, so that permission errors happen as they would for any user.
    """
    full_env = {**os.environ, **(env or {})}
    prefix: list[str] = []
    if without_root_powers and IS_ROOT:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            if os.environ.get("CI") == "true":
                pytest.fail("setpriv (util-linux) is needed to test permissions as root")
            pytest.skip("setpriv (util-linux) is needed to test permissions as root")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "menage", *map(os.fspath, args)],
        capture_output=True,
        env=full_env,
        **kwargs,
    )


def test_summary(menage, tmp_path):
    sample_tree(tmp_path)
    result = menage("scan", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "Duplicates" in result.stdout
    assert "2 groups, 3 extra copies" in result.stdout


def test_json_schema(menage, tmp_path):
    sample_tree(tmp_path)
    result = menage("scan", tmp_path, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["total"]["files"] == 10
    dup = data["duplicates"]
    assert dup["groups"] == 2 and dup["redundant_files"] == 3
    assert 0 < dup["rate"] < 1
    for key in ("empty_files", "empty_dirs", "big_files", "old_files", "temp_files", "errors"):
        assert key in data
    assert data["complete"] is True
    assert data["errors"] == []


def test_json_round_trips_hostile_names(menage, tmp_path):
    names = [b"caf\xe9.txt", b"new\nline.txt", b"-rf", b"$(reboot).txt", b'quote"s.txt']
    for name in names:
        write(tmp_path, name, b"same bytes" * 20)
    result = menage("scan", tmp_path, "--json")
    # ASCII-only, strictly valid JSON
    result.stdout_bytes.decode("ascii")
    data = json.loads(result.stdout)
    (item,) = data["duplicates"]["items"]
    got = sorted(os.path.basename(os.fsencode(p)) for p in item["paths"])
    assert got == sorted(names)


def test_print0(menage, tmp_path):
    write(tmp_path, "a", b"1" * 10)
    write(tmp_path, "b\nc", b"1" * 10)
    write(tmp_path, "x", b"2" * 10)
    write(tmp_path, "y", b"2" * 10)
    result = menage("scan", tmp_path, "--print0")
    groups = [g for g in result.stdout_bytes.split(b"\0\0") if g]
    assert sorted(sorted(os.path.basename(p) for p in g.split(b"\0")) for g in groups) == [
        [b"a", b"b\nc"],
        [b"x", b"y"],
    ]


def test_csv(menage, tmp_path):
    sample_tree(tmp_path / "tree")
    result = menage("scan", tmp_path / "tree", "--csv", tmp_path / "csv")
    assert result.exit_code == 0
    lines = (tmp_path / "csv" / "duplicates.csv").read_text().splitlines()
    assert lines[0] == "group,size,hash,path,modified,hardlinks"
    assert len(lines) == 1 + 5


@pytest.mark.parametrize(
    "make_path, message",
    [
        pytest.param(lambda p: p / "missing", "no such file or folder", id="missing"),
        pytest.param(lambda p: write(p, "file.txt", b"x"), "not a folder", id="a-file"),
    ],
)
def test_bad_paths(menage, tmp_path, make_path, message):
    result = menage("scan", make_path(tmp_path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_option_values(menage, tmp_path):
    result = menage("scan", tmp_path, "--min-size", "banana")
    assert result.exit_code == 2
    assert "not a valid size" in result.stderr
    result = menage("scan", tmp_path, "--older-than", "soon")
    assert result.exit_code == 2


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"this is not sqlite at all\n" * 50, id="text-file"),
        pytest.param(b"SQLite format 3\x00" + b"\xff" * 4000, id="damaged-sqlite"),
    ],
)
def test_unusable_index(menage, tmp_path, content):
    sample_tree(tmp_path / "tree")
    index = tmp_path / "index.sqlite"
    index.write_bytes(content)
    result = menage("scan", tmp_path / "tree", "--index", index)
    assert result.exit_code == 4
    assert "--rebuild-index" in result.stderr
    assert index.read_bytes() == content  # never written to
    result = menage("scan", tmp_path / "tree", "--index", index, "--rebuild-index")
    assert result.exit_code == 0
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("index.sqlite.broken-")]
    assert len(kept) == 1 and kept[0].read_bytes() == content


def test_foreign_sqlite_index(menage, tmp_path):
    index = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(index)) as db:
        db.execute("CREATE TABLE precious (x)")
        db.execute("INSERT INTO precious VALUES (42)")
        db.commit()
    result = menage("scan", tmp_path, "--index", index)
    assert result.exit_code == 4
    assert "not a Ménage index" in result.stderr
    with closing(sqlite3.connect(index)) as db:
        assert db.execute("SELECT x FROM precious").fetchall() == [(42,)]


@pytest.mark.skipif(not IS_ROOT, reason="mounting a tiny filesystem needs root")
def test_full_disk_while_writing_index(menage, tmp_path):
    tree = tmp_path / "tree"
    for n in range(3000):
        write(tree, f"d{n % 30}/file-with-a-long-name-{n:05}.txt", b"%d" % n)
    mount = tmp_path / "tiny"
    mount.mkdir()
    # room to create the index (64 KiB pages: some 450 KB, and as much in its log) but
    # not to write the scan of 3,000 files (600 KB to 1 MB did so when this was written)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=800k", "tmpfs", mount])
    if done.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("cannot mount a tmpfs for the full-disk test")
        pytest.skip("cannot mount a tmpfs here")
    try:
        index = mount / "index.sqlite"
        result = menage("scan", tree, "--index", index)
        assert result.exit_code == 5, result.stderr
        assert "no space left" in result.stderr
        assert "Traceback" not in result.stderr
        with closing(sqlite3.connect(index)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert db.execute("SELECT count(*) FROM scans").fetchone() == (0,)
    finally:
        subprocess.run(["umount", mount], check=True)


def test_unreadable_entries_make_an_incomplete_scan(tmp_path):
    tree = tmp_path / "tree"
    write(tree, "ok/a.txt", b"same" * 10)
    write(tree, "ok/b.txt", b"same" * 10)
    secret = write(tree, "secret.txt", b"same" * 10)
    write(tree, "locked/inside.txt", b"hidden")
    os.chmod(secret, 0)
    os.chmod(tree / "locked", 0)
    try:
        done = menage_process("--lang", "en", "scan", tree, "--json", without_root_powers=True)
    finally:
        os.chmod(tree / "locked", 0o755)
    assert done.returncode == 3, done.stderr
    data = json.loads(done.stdout)
    assert data["complete"] is False
    errors = {os.path.basename(os.fsencode(e["path"])): e["kind"] for e in data["errors"]}
    assert errors == {b"secret.txt": "unreadable", b"locked": "unreadable"}
    assert data["duplicates"]["groups"] == 1
    assert b"Incomplete scan: 2 entries" in done.stderr


def test_interrupt_leaves_a_consistent_index(tmp_path):
    tree = tmp_path / "tree"
    chunk = os.urandom(1 << 20)
    for n in range(60):
        write(tree, f"big/{n}.bin", chunk * 6)
    index = tmp_path / "index.sqlite"
    process = subprocess.Popen(
        [sys.executable, "-m", "menage", "--lang", "en", "scan", tree, "--index", index],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # interrupt the scan, not the interpreter's start-up (under load, imports can take
    # longer than any fixed delay, and a SIGINT then kills Python before its handler is set)
    deadline = time.monotonic() + 60
    while not index.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    if process.returncode == -signal.SIGINT:
        # the scan ended before the signal came (a warm cache reads 360 MB in a blink):
        # Python died of it on its way out, after the summary was printed whole
        assert b"Duplicates" in out, err
    else:
        assert process.returncode in (0, 130), err
    if process.returncode == 130:
        assert b"interrupted" in err
        assert b"Traceback" not in err
    with closing(sqlite3.connect(index)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = menage_process("--lang", "en", "scan", tree, "--index", index, "--json")
    assert again.returncode == 0
    assert json.loads(again.stdout)["duplicates"]["redundant_files"] == 59


def test_scans_history_and_compare(menage, tmp_path):
    sample_tree(tmp_path)
    menage("scan", tmp_path)
    (tmp_path / "backup" / "a.txt").unlink()
    menage("scan", tmp_path)
    listing = menage("scans", "--json")
    records = json.loads(listing.stdout)
    assert [r["id"] for r in records] == [1, 2]
    change = json.loads(menage("scans", "--compare", "1", "2", "--json").stdout)
    assert change["redundant_bytes"] == -1300
    assert change["rate_after"] < change["rate_before"]
    shown = menage("scans", "--compare", "1", "2")
    assert "Duplicate rate" in shown.stdout
    missing = menage("scans", "--compare", "1", "9")
    assert missing.exit_code == 1
    assert "no scan 9" in missing.stderr


def test_scans_compare_the_same_folders_by_default_and_refuse_others(menage, tmp_path):
    first, other = tmp_path / "first", tmp_path / "other"
    sample_tree(first)
    sample_tree(other)
    assert menage("scans", "--compare").exit_code == 1  # no scan yet
    menage("scan", first)
    alone = menage("scans", "--compare")
    assert alone.exit_code == 1
    assert "no earlier scan of the same folders" in alone.stderr
    (first / "backup" / "a.txt").unlink()
    menage("scan", first)
    menage("scan", other)
    # the latest scan (3, other) has no earlier scan of its folders
    assert menage("scans", "--compare").exit_code == 1
    # scan 2 against the scan of the same folders before it: scan 1, not scan 3
    change = json.loads(menage("scans", "--compare", "2", "--json").stdout)
    assert (change["before"], change["after"]) == (1, 2)
    assert change["roots"] == [str(first)]
    expected = (change["rate_after"] - change["rate_before"]) * 100
    assert change["rate_change_points"] == pytest.approx(expected, abs=1e-3)
    assert change["rate_change_points"] < 0
    menage("scan", first)
    latest = json.loads(menage("scans", "--compare", "--json").stdout)
    assert (latest["before"], latest["after"]) == (2, 4)
    refused = menage("scans", "--compare", "1", "3")
    assert refused.exit_code == 2
    assert "not of the same folders" in refused.stderr
    assert str(other) in refused.stderr
    assert menage("scans", "1").exit_code == 2
    assert menage("scans", "--compare", "1", "2", "3").exit_code == 2


def test_rate_changes_are_in_points_in_french(tmp_path):
    sample_tree(tmp_path / "tree")
    index = tmp_path / "index.db"
    menage_process("scan", tmp_path / "tree", "--index", index)
    (tmp_path / "tree" / "backup" / "a.txt").unlink()
    menage_process("scan", tmp_path / "tree", "--index", index)
    shown = menage_process("--lang", "fr", "scans", "--compare", "--index", index, text=True)
    assert shown.returncode == 0, shown.stderr
    change = json.loads(menage_process("scans", "--compare", "--json", "--index", index).stdout)
    value = f"{abs(change['rate_change_points']):.1f}".replace(".", ",")
    assert f"−{value}\u00a0pts" in shown.stdout
    assert "Scan 1 → scan 2" in shown.stdout or "Analyse 1 → analyse 2" in shown.stdout


def test_progress_shows_on_a_terminal_only(tmp_path):
    import pty

    sample_tree(tmp_path / "tree")
    main, secondary = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "menage", "--lang", "en", "scan", tmp_path / "tree", "--json"],
        stdout=subprocess.PIPE,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    out, _ = process.communicate(timeout=60)
    drawn = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(main)
    assert process.returncode == 0
    assert b"Listing files" in drawn or b"Comparing" in drawn
    json.loads(out)  # stdout stays clean JSON
    piped = menage_process("--lang", "en", "scan", tmp_path / "tree")
    assert b"Listing files" not in piped.stderr


@pytest.mark.skipif(not IS_ROOT, reason="mounting a tiny filesystem needs root")
def test_index_on_a_full_disk_says_so(menage, tmp_path):
    mount = tmp_path / "full"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount])
    if done.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("cannot mount a tmpfs for the full-disk test")
        pytest.skip("cannot mount a tmpfs here")
    try:
        sample_tree(tmp_path / "tree")
        index = mount / "index.sqlite"
        assert menage("scan", tmp_path / "tree", "--index", index).exit_code in (0, 5)
        (mount / "filler").write_bytes(b"\0" * (64 * 1024))  # fills what is left
    except OSError:
        pass
    try:
        result = menage("scan", tmp_path / "tree", "--index", mount / "index.sqlite")
        assert result.exit_code == 5, result.stderr
        assert "no space left" in result.stderr
        assert "damaged" not in result.stderr
    finally:
        subprocess.run(["umount", mount], check=True)


def test_region_changes_the_impact(menage, tmp_path):
    sample_tree(tmp_path)
    france = json.loads(menage("scan", tmp_path, "--json").stdout)
    world = json.loads(menage("scan", tmp_path, "--json", "--region", "world").stdout)
    assert world["options"]["region"] == "world"
    assert world["impact"]["region"] == "world"
    central = lambda data: data["impact"]["cloud"]["kgco2e"]["central"]  # noqa: E731
    assert central(world) > central(france)
    assert menage("scan", tmp_path, "--region", "mars").exit_code == 2


def test_piped_output_is_never_wrapped_nor_cut(menage, tmp_path):
    deep = tmp_path / ("a-folder-with-a-rather-long-name-" * 3) / ("and-another-one-" * 4)
    deep.mkdir(parents=True)
    (deep / "x.txt").write_bytes(b"same")
    (deep / "y.txt").write_bytes(b"same")
    result = menage("scan", deep)
    assert f"    {deep / 'x.txt'}\n" in result.stdout  # one line, whole
    scans = menage("scans")
    assert any(str(deep) in line and "50" in line for line in scans.stdout.splitlines())
    assert "…" not in scans.stdout
