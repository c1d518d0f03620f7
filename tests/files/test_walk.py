"""The walk's rules about Ménage's own folders and followed links (issue #8: F1, Messages)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from menage.files.walk import WalkOptions, resolve_roots, walk
from menage.home import OwnFolders, own_folders
from tests.clean.conftest import write


def walked(root: Path, **options) -> set[str]:
    tree = walk(resolve_roots([root]), WalkOptions(**options))
    return {os.path.relpath(os.fsdecode(p), root) for p in tree.paths}


@pytest.mark.parametrize("threads", [1, 2])
def test_links_found_in_every_folder_are_followed(tmp_path, threads):
    """`--follow-links` used to keep only the links of the last folder listed."""
    outside = tmp_path / "outside"
    for n in range(6):
        write(outside / f"t{n}" / "f.txt", b"%d" % n)
    root = tmp_path / "root"
    for n in range(6):
        folder = root / f"d{n}" / "sub"
        folder.mkdir(parents=True)
        (folder / "link").symlink_to(outside / f"t{n}")
        write(root / f"d{n}" / "own.txt", b"x")
    found = walked(root, follow_links=True, threads=threads, own=OwnFolders())
    assert {f"d{n}/sub/link/f.txt" for n in range(6)} <= found


def test_own_home_is_never_walked_whatever_the_path(tmp_path, menage_home):
    """MENAGE_HOME reached through a symbolic link higher up (a dotfiles set-up)."""
    real = tmp_path / "dotfiles" / "local"
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / ".local").symlink_to(real)
    home = real / "share" / "menage"
    write(home / "quarantine" / "run-1" / "doc.pdf", b"quarantined")
    write(home / "index.sqlite", b"not really")
    write(tmp_path / "home" / "doc.pdf", b"mine")
    os.environ["MENAGE_HOME"] = str(tmp_path / "home" / ".local" / "share" / "menage")
    try:
        tree = walk(resolve_roots([tmp_path]), WalkOptions(follow_links=True))
    finally:
        os.environ["MENAGE_HOME"] = str(menage_home)
    paths = {os.path.relpath(os.fsdecode(p), tmp_path) for p in tree.paths}
    assert paths == {"home/doc.pdf"}
    assert os.fsencode(home) in tree.own


def test_own_folders_are_recognised_by_identity_under_any_name(tmp_path, monkeypatch):
    home = tmp_path / "state"
    write(home / "quarantine" / "run-1" / "a.txt", b"q")
    monkeypatch.setenv("MENAGE_HOME", str(home))
    root = tmp_path / "scanned"
    write(root / "b.txt", b"b")
    os.symlink(home, root / "looks-harmless")
    # a bind mount would do the same; a followed link reaches the same inode
    assert walked(root, follow_links=True) == {"b.txt"}
    # the home as a root, or a folder inside it, is not walked either
    assert walked(home / "quarantine") == set()


def test_quarantines_of_other_disks_are_skipped_by_name(tmp_path):
    write(tmp_path / ".menage-quarantine" / "run-1" / "x.txt", b"q")
    write(tmp_path / "y.txt", b"y")
    tree = walk(resolve_roots([tmp_path]), WalkOptions(own=OwnFolders()))
    assert [os.path.basename(p) for p in tree.paths] == [b"y.txt"]
    # the folder holding a quarantine is never "empty"
    assert tree.dir_entries[0] == 2


def test_an_index_outside_the_home_and_its_side_files_are_not_listed(tmp_path, menage):
    from menage.files.index import Index

    root = tmp_path / "docs"
    write(root / "a.txt", b"a")
    with Index(root / "my-index.sqlite"):
        write(root / "my-index.sqlite-wal", b"w")
        names = {os.path.basename(p) for p in walk(resolve_roots([root])).paths}
    assert names == {b"a.txt"}
    assert own_folders().files, "the index is one of Ménage's files"
