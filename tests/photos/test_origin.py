"""What a cleanup frees depends on where the photos are: a copy, an export, the phone."""

import json
import os

import pytest
from click.testing import CliRunner

from menage.cli._app import cli
from menage.photos.origin import origin_of
from tests.photos.images import save, scene


def folder(path):
    path.mkdir(parents=True, exist_ok=True)
    return path


CASES = [
    pytest.param(
        "run/user/1000/gvfs/mtp:host=SAMSUNG_SM-A52_R58R/Internal storage/DCIM/Camera",
        None,
        ("phone", None, True),
        id="phone-over-mtp-gvfs",
    ),
    pytest.param(
        "run/user/1000/gvfs/gphoto2:host=Apple_Inc._iPhone/DCIM",
        None,
        ("phone", None, True),
        id="phone-over-ptp-gvfs",
    ),
    pytest.param(
        "run/user/1000/gvfs/google-drive:host=gmail.com,user=ana/Photos",
        None,
        ("cloud", "Google Drive", True),
        id="google-drive-gvfs",
    ),
    pytest.param(
        "Dropbox/Camera Uploads", "Dropbox/.dropbox", ("synced", "Dropbox", True), id="dropbox"
    ),
    pytest.param("Sync/Photos", "Sync/.stfolder/", ("synced", "Syncthing", True), id="syncthing"),
    pytest.param(
        "Nextcloud/Photos",
        "Nextcloud/.sync_4f2a9c.db",
        ("synced", "Nextcloud", True),
        id="nextcloud",
    ),
    pytest.param(
        "Downloads/Takeout/Google Photos/Photos from 2024",
        None,
        ("export", "Google Photos", False),
        id="google-takeout",
    ),
    pytest.param(
        "Downloads/export",
        "Downloads/export/IMG_1.jpg.supplemental-metadata.json",
        ("export", "Google Photos", False),
        id="takeout-sidecars",
    ),
    pytest.param("Downloads/iCloud Photos", None, ("export", "iCloud", False), id="icloud-export"),
    pytest.param("Images/Téléphone/DCIM/Camera", None, ("copy", None, False), id="dcim-copy"),
    pytest.param("Images/Vacances", None, ("folder", None, False), id="plain-folder"),
]


@pytest.mark.parametrize(("where", "marker", "expected"), CASES)
def test_origin_by_path_and_markers(tmp_path, where, marker, expected):
    root = folder(tmp_path / where)
    if marker is not None:
        target = tmp_path / marker
        if marker.endswith("/"):
            folder(target)
        else:
            target.write_bytes(b"")
    found = origin_of(os.fsencode(root), mounts=[])
    assert (found.kind, found.service, found.frees_at_source) == expected
    assert os.fsdecode(os.fsencode(root)) in found.message()


def test_origin_by_mount(tmp_path):
    card = folder(tmp_path / "media" / "CARD")
    dcim = folder(card / "DCIM" / "100CANON")
    found = origin_of(os.fsencode(dcim), mounts=[], is_mount=lambda p: p == os.fsencode(card))
    assert found.kind == "card" and found.frees_at_source
    phone = folder(tmp_path / "mnt" / "phone")
    mounts = [(os.fsencode(phone), "fuse.jmtpfs")]
    assert origin_of(os.fsencode(phone / "DCIM"), mounts=mounts).kind == "phone"
    cloud = [(os.fsencode(phone), "fuse.rclone")]
    assert origin_of(os.fsencode(phone), mounts=cloud).service == "rclone"


def test_origin_messages_are_french_first(tmp_path):
    from menage import i18n

    root = folder(tmp_path / "Takeout" / "Google Photos")
    i18n.setup("fr")
    try:
        text = origin_of(os.fsencode(root), mounts=[]).message()
    finally:
        i18n.setup("en")
    assert "export de Google Photos" in text


def test_photos_command_says_what_a_cleanup_of_a_phone_frees(tmp_path):
    phone = folder(tmp_path / "gvfs" / "mtp:host=Pixel_7" / "DCIM")
    save(scene(1), phone / "IMG_1.jpg")
    home = {"MENAGE_HOME": str(tmp_path / "home")}
    result = CliRunner().invoke(cli, ["photos", str(phone), "--workers", "1"], env=home)
    assert result.exit_code == 0, result.output
    assert "is the phone itself" in result.stdout
    data = json.loads(CliRunner().invoke(cli, ["photos", str(phone), "--json"], env=home).stdout)
    [where] = data["where"]
    assert (where["kind"], where["frees_at_source"]) == ("phone", True)
