"""The operating-system layer (:mod:`menage._fs`): its contract, checked on this
system with real files (nothing patched), and that no other module calls what
differs from one system to another."""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from pathlib import Path

import pytest

from menage import _fs

SRC = Path(__file__).parents[1] / "src" / "menage"
#: calls, modules and flags that some systems lack or that behave differently
SYSTEM_SPECIFIC = re.compile(
    r"\bimport (fcntl|msvcrt|ctypes|pwd|grp|winreg)\b"
    r"|\bfrom (fcntl|msvcrt|ctypes|pwd|grp) import"
    r"|\bos\.(statvfs|getuid|geteuid|getgid|listxattr|getxattr|setxattr|removexattr"
    r"|set_blocking|link)\("
    r"|\bos\.O_(NOFOLLOW|DIRECTORY|PATH|NOATIME|NONBLOCK|CLOEXEC|NOINHERIT|BINARY)\b"
    r"|[\"']/proc/self"
    r"|\bsys\.platform\b"
)
LAYER = SRC / "_fs.py"


def test_only_the_layer_calls_what_differs_between_systems():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == LAYER or "platform" in path.relative_to(SRC).parts[:1]:
            continue  # the platform (Django) runs on a server: Linux only, documented
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if SYSTEM_SPECIFIC.search(code):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert found == []


def test_the_pattern_catches_what_it_is_for():
    for line in (
        "import fcntl",
        "fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW)",
        "st = os.statvfs(folder)",
        "os.link(a, b, follow_symlinks=False)",
        "uid = os.getuid()",
        'os.readlink(b"/proc/self/fd/%d" % fd)',
    ):
        assert SYSTEM_SPECIFIC.search(line), line
    assert not SYSTEM_SPECIFIC.search("os.unlink(path)")


def test_the_layer_documents_every_system():
    doc = _fs.__doc__ or ""
    for system in ("Linux", "macOS", "Windows"):
        assert system in doc
    for name in ("rename_noreplace", "fsync_dir", "identity", "xattrs", "reflink", "hardlink"):
        assert name in doc and callable(getattr(_fs, name)), name
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert "Ce qui marche sous Windows et macOS" in readme


def test_flags_are_the_system_s_here():
    assert sys.platform.startswith("linux")
    assert _fs.LINUX and not _fs.WINDOWS and not _fs.MACOS
    assert _fs.O_NOFOLLOW == os.O_NOFOLLOW and _fs.O_NOFOLLOW
    assert _fs.O_DIRECTORY == os.O_DIRECTORY
    assert _fs.O_BINARY == 0  # only Windows has it


def test_a_link_is_not_followed_when_opened(tmp_path):
    target = tmp_path / "real"
    target.write_bytes(b"x")
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(OSError) as caught:
        os.open(tmp_path / "link", os.O_RDONLY | _fs.O_NOFOLLOW)
    assert caught.value.errno == errno.ELOOP


def test_identity_hardlink_and_fsync_dir(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"same")
    _fs.hardlink(bytes(a), bytes(b))
    assert _fs.identity(a.stat()) == _fs.identity(b.stat())
    assert _fs.identity(a.stat()) == (a.stat().st_dev, a.stat().st_ino)
    with pytest.raises(FileExistsError):
        _fs.hardlink(bytes(a), bytes(b))
    # a link itself is linked, not what it points to
    (tmp_path / "link").symlink_to(a)
    _fs.hardlink(bytes(tmp_path / "link"), bytes(tmp_path / "link2"))
    assert stat.S_ISLNK(os.lstat(tmp_path / "link2").st_mode)
    _fs.fsync_dir(tmp_path)
    with pytest.raises(FileNotFoundError):
        _fs.fsync_dir(tmp_path / "missing")


def test_linking_an_open_file_links_that_very_file(tmp_path):
    a = tmp_path / "a"
    a.write_bytes(b"first")
    fd = os.open(a, os.O_RDONLY)
    try:
        a.rename(tmp_path / "moved")
        a.write_bytes(b"another file at the same path")
        if not _fs.link_open_file_by_fd(fd, bytes(tmp_path / "kept")):
            # a kernel that refuses it (EXDEV across mount namespaces, as in some
            # containers): nothing was done, the caller links by path and checks
            assert not (tmp_path / "kept").exists()
            return
        assert (tmp_path / "kept").read_bytes() == b"first"
        with pytest.raises(FileExistsError):
            _fs.link_open_file_by_fd(fd, bytes(tmp_path / "kept"))
    finally:
        os.close(fd)


def test_extended_attributes_round_trip(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x")
    fd = os.open(path, os.O_RDWR)
    try:
        try:
            _fs.set_xattr(fd, "user.menage", b"1")
        except OSError as exc:
            assert exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP)
            assert _fs.xattrs(fd) == {}  # a filesystem without them: none, no error
            return
        assert _fs.xattrs(fd)["user.menage"] == b"1"
    finally:
        os.close(fd)


def test_reflink_clones_or_says_it_cannot(tmp_path):
    source, target = tmp_path / "s", tmp_path / "t"
    source.write_bytes(b"data" * 1000)
    fs, ft = os.open(source, os.O_RDONLY), os.open(target, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        _fs.reflink(fs, ft)
    except OSError as exc:
        assert exc.errno in _fs.REFLINK_UNSUPPORTED  # this filesystem shares no blocks
        assert target.read_bytes() == b""
    else:
        assert target.read_bytes() == source.read_bytes()
    finally:
        os.close(fs)
        os.close(ft)


def test_lock_is_exclusive_between_open_files(tmp_path):
    path = tmp_path / "lock"
    path.write_bytes(b"")
    first, second = os.open(path, os.O_RDWR), os.open(path, os.O_RDWR)
    try:
        _fs.lock(first, blocking=False)
        with pytest.raises(BlockingIOError):
            _fs.lock(second, blocking=False)
        os.close(first)
        first = -1
        _fs.lock(second, blocking=False)  # free again once the holder is closed
    finally:
        for fd in (first, second):
            if fd >= 0:
                os.close(fd)


def test_disk_and_user_facts(tmp_path):
    assert 0 < _fs.free_bytes(tmp_path)
    assert _fs.read_only_mount(tmp_path) is False
    assert _fs.read_only_mount(tmp_path / "missing") is False
    with pytest.raises(FileNotFoundError):
        _fs.free_bytes(tmp_path / "missing")
    assert _fs.user_id() == os.getuid()
    assert _fs.owner_name(os.getuid()) not in ("", None)
    assert _fs.owner_name(2_000_000_123) == "2000000123"


def test_folder_path_and_long_paths(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    assert _fs.open_folder_path(bytes(tmp_path / "alias")) == os.path.realpath(
        bytes(tmp_path / "real")
    )
    assert _fs.open_folder_path(bytes(tmp_path / "missing")) is None
    long = "/" + "d" * 300
    assert _fs.long_path(long) == long  # only Windows needs a prefix


def test_rename_noreplace_and_exchange(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"a")
    b.write_bytes(b"b")
    with pytest.raises(FileExistsError):
        _fs.rename_noreplace(bytes(a), bytes(b))
    assert b.read_bytes() == b"b"
    if _fs.rename_exchange(bytes(a), bytes(b)):
        assert (a.read_bytes(), b.read_bytes()) == (b"b", b"a")
    _fs.rename_noreplace(bytes(a), bytes(tmp_path / "c"))
    assert not a.exists() and (tmp_path / "c").exists()
