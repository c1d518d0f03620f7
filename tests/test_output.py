"""F0 (issue #8): an output path is never replaced by a regular file unless it is one.

`menage plan -o /dev/null` and `menage scan --html /dev/null` used to write a file
beside the target and rename it over it, turning the device into a regular file.
These tests use a device node of their own (`char_device`), never the system's.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from tests.clean.conftest import OLD, write


@pytest.fixture
def scanned(menage, tmp_path):
    root = tmp_path / "tree"
    write(root / "k.txt", b"same content\n", mtime=OLD)
    write(root / "x.txt", b"same content\n", mtime=OLD + 10)
    assert menage("scan", root).exit_code == 0
    return root


def is_char_device(path: Path) -> bool:
    return stat.S_ISCHR(os.lstat(path).st_mode)


def test_plan_to_a_device_writes_in_place(menage, scanned, char_device):
    result = menage("plan", "--duplicates", "-o", char_device)
    assert result.exit_code == 0, result.stderr
    assert is_char_device(char_device)
    assert os.major(os.lstat(char_device).st_rdev) == 1
    assert [p.name for p in char_device.parent.iterdir()] == ["null"], "no temporary file left"


def test_html_report_to_a_device_writes_in_place(menage, scanned, char_device):
    result = menage("scan", scanned, "--html", char_device)
    assert result.exit_code == 0, result.stderr
    assert is_char_device(char_device)


def test_csv_files_that_are_devices_are_written_in_place(menage, scanned, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to make a device node (mknod)")
    folder = tmp_path / "csv"
    folder.mkdir()
    os.mknod(folder / "errors.csv", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    assert menage("scan", scanned, "--csv", folder).exit_code == 0
    assert is_char_device(folder / "errors.csv")
    assert (folder / "duplicates.csv").read_text().startswith("group,")


def test_a_link_to_a_device_is_written_through(menage, scanned, char_device):
    link = char_device.parent / "link"
    link.symlink_to(char_device)
    assert menage("plan", "--duplicates", "-o", link).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(char_device)
    assert is_char_device(char_device)


def test_a_link_to_a_file_is_written_through(menage, scanned, tmp_path):
    target = tmp_path / "plans" / "real.plan"
    write(target, b"old", mode=0o640)
    link = tmp_path / "plan-link"
    link.symlink_to(target)
    assert menage("plan", "--duplicates", "-o", link).exit_code == 0
    assert link.is_symlink(), "the link itself is never replaced"
    assert target.read_text().startswith("# ")
    assert target.stat().st_mode & 0o777 == 0o640, "the file keeps its mode"


def test_a_dangling_link_makes_its_target(menage, scanned, tmp_path):
    link = tmp_path / "dangling"
    link.symlink_to(tmp_path / "made.plan")
    assert menage("plan", "--duplicates", "-o", link).exit_code == 0
    assert link.is_symlink() and (tmp_path / "made.plan").read_text().startswith("# ")


def test_a_loop_of_links_is_refused(menage, scanned, tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    result = menage("plan", "--duplicates", "-o", tmp_path / "a")
    assert result.exit_code == 1
    assert "cannot be written" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


def test_dash_is_standard_output(menage, scanned, tmp_path):
    result = menage("plan", "--duplicates", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Ménage cleanup plan")
    assert not (Path.cwd() / "-").exists()


def test_a_fifo_with_a_reader_gets_the_plan(menage, scanned, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    ready = threading.Event()

    def read() -> None:
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opened before the writer comes
        ready.set()
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            chunks: list[bytes] = []
            while True:
                chunk = handle.read(65536)
                if not chunk and chunks:
                    break
                if chunk:
                    chunks.append(chunk)
            received.append(b"".join(chunks))

    reader = threading.Thread(target=read)
    reader.start()
    ready.wait()
    result = menage("plan", "--duplicates", "-o", fifo)
    reader.join(timeout=60)
    assert result.exit_code == 0, result.stderr
    assert received and received[0].startswith("# Ménage".encode())
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_fifo_nobody_reads_is_refused_without_waiting(menage, scanned, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = menage("plan", "--duplicates", "-o", fifo)
    assert result.exit_code == 1
    assert "a FIFO that no program is reading" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_block_device_is_refused(menage, scanned, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to make a device node (mknod)")
    disk = tmp_path / "disk"
    os.mknod(disk, 0o600 | stat.S_IFBLK, os.makedev(7, 250))
    result = menage("plan", "--duplicates", "-o", disk)
    assert result.exit_code == 1 and "block device" in result.stderr
    assert stat.S_ISBLK(os.lstat(disk).st_mode)


def test_a_socket_is_refused(menage, scanned, tmp_path):
    import socket

    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        result = menage("plan", "--duplicates", "-o", path)
        assert result.exit_code == 1 and "socket" in result.stderr
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


@pytest.mark.parametrize("renameat2", [True, False], ids=["exchange", "no-renameat2"])
def test_a_device_put_in_place_at_the_last_moment_stays_a_device(
    menage, scanned, tmp_path, at_hook, renameat2
):
    """The race: a regular file when looked at, a device when replaced."""
    if os.geteuid() != 0:
        pytest.skip("needs root to make a device node (mknod)")
    from menage import _fs

    target = tmp_path / "out.plan"
    write(target, b"an old plan")

    def swap(path: bytes) -> None:
        os.unlink(path)
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))

    at_hook("output.act", swap, match=lambda path: path == os.fsencode(target))
    _fs.use_renameat2 = renameat2
    try:
        result = menage("plan", "--duplicates", "-o", target)
    finally:
        _fs.use_renameat2 = True
    assert result.exit_code == 0, result.stderr
    assert is_char_device(target)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".menage-")]


def test_a_new_file_never_replaces_one_made_meanwhile(scanned, tmp_path, at_hook):
    """A file that appears at a new output's path is replaced only as a regular file,
    by the exchange that looks at it: never a device, never a folder."""
    from menage.output import write_output

    target = tmp_path / "new.txt"
    at_hook("output.act", lambda path: os.mkdir(path), match=lambda p: p == os.fsencode(target))
    with pytest.raises(Exception, match="it is a folder"):
        write_output(target, b"data")
    assert target.is_dir()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".menage-")]


def test_a_regular_file_is_replaced_atomically_with_its_mode(menage, scanned, tmp_path):
    target = tmp_path / "report.html"
    write(target, b"old", mode=0o604)
    assert menage("scan", scanned, "--html", target).exit_code == 0
    assert target.read_bytes().startswith(b"<!DOCTYPE html>")
    assert target.stat().st_mode & 0o777 == 0o604


@pytest.mark.parametrize("option", ["--html", "--json-out", "--csv"])
def test_a_missing_folder_is_refused_not_made(menage, scanned, tmp_path, option):
    if option == "--json-out":
        result = menage("plan", "--duplicates", "-o", tmp_path / "nope" / "deeper" / "p.json")
    elif option == "--csv":
        result = menage("scan", scanned, "--csv", tmp_path / "nope" / "csv")
    else:
        result = menage("scan", scanned, "--html", tmp_path / "nope" / "r.html")
    assert result.exit_code != 0
    assert f"the folder {tmp_path / 'nope'}" in result.stderr
    assert "does not exist" in result.stderr
    assert not (tmp_path / "nope").exists()


def test_a_missing_file_is_said_in_french(menage_home, tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "menage", "--lang", "fr", "apply", tmp_path / "no-plan.jsonl"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "aucun fichier ou dossier de ce nom" in result.stderr
    assert "No such file" not in result.stderr
