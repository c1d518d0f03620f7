import json
import os

import pytest
from PIL import Image, ImageFilter

from menage.errors import PathNotFound
from menage.photos import PhotoCache, PhotoOptions, analyse
from menage.photos.decode import Decoded, DecodeFailure, decode
from tests.photos.images import exif, png_bomb, save, scene


def names(paths):
    return sorted(os.path.basename(p).decode() for p in paths)


@pytest.fixture
def dcim(tmp_path):
    """A copied DCIM folder: a photo and its variants, a burst, others, a screenshot."""
    root = tmp_path / "DCIM"
    big = scene(1).resize((1280, 960))
    save(big, root / "IMG_0001.jpg", quality=92, exif=exif("2024:07:14 10:00:00", make="Cam"))
    save(scene(1), root / "IMG_0001-whatsapp.jpg", quality=60)
    save(scene(1), root / "sub" / "IMG_0001.webp", quality=80)
    for n, shift in enumerate((0, 20, 40)):
        shot = scene(5).crop((shift, shift // 2, 560 + shift, 420 + shift // 2))
        save(shot, root / f"burst_{n}.jpg", exif=exif(f"2024:08:01 12:00:0{n}", make="Cam"))
    for seed in (20, 21, 22):
        save(scene(seed), root / f"other_{seed}.jpg", exif=exif("2023:01:01 00:00:00", make="C"))
    save(scene(30).resize((1080, 2400)), root / "Screenshot_20240101.png")
    save(scene(31).resize((1170, 2532)), root / "IMG_1234.PNG")
    save(scene(40).filter(ImageFilter.GaussianBlur(5)), root / "blurry.jpg")
    return root


def test_findings_of_a_dcim_folder(dcim):
    found = analyse([dcim], PhotoOptions(workers=1))
    assert found.photos == 12 and found.complete
    [group] = found.similar
    assert names(p.path for p in group.photos) == [
        "IMG_0001-whatsapp.jpg",
        "IMG_0001.jpg",
        "IMG_0001.webp",
    ]
    assert group.best.path == os.fsencode(dcim / "IMG_0001.jpg")
    assert group.reason == "resolution"
    assert group.reclaimable_bytes == sum(p.size for p in group.remove)
    [burst] = found.bursts
    assert names(p.path for p in burst.photos) == ["burst_0.jpg", "burst_1.jpg", "burst_2.jpg"]
    assert burst.span_s == 2
    assert {names([s.photo.path])[0]: s.why for s in found.screenshots} == {
        "Screenshot_20240101.png": "name",
        "IMG_1234.PNG": "screen",
    }
    assert names(p.path for p in found.blurry) == ["blurry.jpg"]


def test_json_has_the_documented_shape(dcim):
    data = json.loads(json.dumps(analyse([dcim], PhotoOptions(workers=1)).to_json()))
    assert data["schema"] == "menage.photos" and data["version"] == 1
    for key in ("similar", "bursts", "blurry", "screenshots", "videos"):
        assert "reclaimable_bytes" in data[key]
    group = data["similar"]["groups"][0]
    assert group["best"] in group["paths"] and group["best"] not in group["remove"]
    assert group["reclaimable_bytes"] == sum(os.path.getsize(p) for p in group["remove"])
    assert data["errors"] == []
    assert data["reclaimable_bytes"] <= sum(
        data[k]["reclaimable_bytes"] for k in ("similar", "bursts", "blurry", "screenshots")
    )


def test_best_shot_by_sharpness_then_size(tmp_path):
    sharp = save(scene(2), tmp_path / "a.jpg", quality=90)
    save(scene(2).filter(ImageFilter.GaussianBlur(1)), tmp_path / "b.jpg", quality=90)
    [group] = analyse([tmp_path], PhotoOptions(workers=1)).similar
    assert (group.best.path, group.reason) == (os.fsencode(sharp), "sharpness")


def test_exif_orientation_is_applied(tmp_path):
    upright = scene(3).rotate(-90, expand=True)  # what the camera saw, portrait
    stored = save(scene(3), tmp_path / "rotated.jpg", exif=exif(orientation=6))
    save(upright, tmp_path / "upright.jpg")
    d = decode(os.fsencode(stored))
    assert isinstance(d, Decoded) and (d.width, d.height) == (480, 640)
    [group] = analyse([tmp_path], PhotoOptions(workers=1)).similar
    assert len(group.photos) == 2


def test_mirror_image_is_found(tmp_path):
    save(scene(6), tmp_path / "selfie.jpg")
    save(scene(6).transpose(Image.Transpose.FLIP_LEFT_RIGHT), tmp_path / "mirrored.jpg")
    assert len(analyse([tmp_path], PhotoOptions(workers=1)).similar) == 1
    assert analyse([tmp_path], PhotoOptions(workers=1, mirrors=False)).similar == []


def test_heic_is_decoded(tmp_path):
    pytest.importorskip("pillow_heif").register_heif_opener()
    # a small picture: HEIC (x265) encoding is slow
    save(scene(7, 160, 120), tmp_path / "a.heic", quality=70)
    save(scene(7, 160, 120), tmp_path / "a.jpg")
    found = analyse([tmp_path], PhotoOptions(workers=1))
    assert found.complete and len(found.similar) == 1


BAD = [
    pytest.param(lambda p: p.write_bytes(b""), "empty", id="zero-byte-jpeg"),
    pytest.param(lambda p: p.write_bytes(b"not a photo at all"), "unidentified", id="garbage"),
    pytest.param(lambda p: p.write_bytes(_jpeg_bytes()[:3000]), "truncated", id="truncated-jpeg"),
    pytest.param(
        lambda p: p.write_bytes(_jpeg_bytes()[:600] + os.urandom(1500)), None, id="corrupt-jpeg"
    ),
]


def _jpeg_bytes():
    import io

    buf = io.BytesIO()
    scene(8).save(buf, "JPEG")
    return buf.getvalue()


@pytest.mark.parametrize(("make", "reason"), BAD)
def test_bad_photos_are_reported_and_left_alone(tmp_path, make, reason):
    bad = tmp_path / "bad.jpg"
    make(bad)
    before = bad.read_bytes()
    save(scene(9), tmp_path / "good.jpg")
    found = analyse([tmp_path], PhotoOptions(workers=1))
    assert found.photos == 1
    [error] = found.errors
    assert error.path == os.fsencode(bad) and error.message
    if reason is not None:
        assert error.reason == reason
    assert bad.read_bytes() == before


def test_png_bomb_is_refused_without_decoding(tmp_path):
    bomb = png_bomb(tmp_path / "bomb.png")
    result = decode(os.fsencode(bomb))
    assert isinstance(result, DecodeFailure) and result.reason == "too-large"


def test_raw_fifo_and_unreadable(tmp_path):
    (tmp_path / "IMG.dng").write_bytes(b"raw")
    os.mkfifo(tmp_path / "pipe.jpg")
    locked = save(scene(10), tmp_path / "locked.jpg")
    locked.chmod(0)
    try:
        found = analyse([tmp_path], PhotoOptions(workers=1))
    finally:
        locked.chmod(0o644)
    reasons = {names([e.path])[0]: e.reason for e in found.errors}
    if os.geteuid() == 0:  # root reads anything
        reasons.setdefault("locked.jpg", "unreadable")
    assert reasons == {"IMG.dng": "raw", "locked.jpg": "unreadable"}


def test_missing_path():
    with pytest.raises(PathNotFound):
        analyse(["/nonexistent/DCIM"])


def test_big_videos_without_ffprobe(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    (tmp_path / "big.mp4").write_bytes(b"\0" * 3000)
    (tmp_path / "small.mov").write_bytes(b"\0" * 10)
    found = analyse([tmp_path], PhotoOptions(workers=1, video_min_size=1000))
    assert found.videos_seen == 2 and not found.ffprobe
    [video] = found.videos
    assert (video.size, video.duration_s) == (3000, None)


def test_second_run_decodes_only_new_photos(dcim, tmp_path):
    with PhotoCache(tmp_path / "photos.sqlite") as cache:
        first = analyse([dcim], PhotoOptions(workers=1), cache=cache)
        assert (first.decoded, first.from_cache) == (12, 0)
        save(scene(50), dcim / "new.jpg")
        os.rename(dcim / "other_20.jpg", dcim / "renamed.jpg")
        second = analyse([dcim], PhotoOptions(workers=1), cache=cache)
    assert (second.decoded, second.from_cache) == (1, 12)
    assert second.to_json()["similar"] == first.to_json()["similar"]


def test_damaged_cache_is_moved_aside(tmp_path):
    path = tmp_path / "photos.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with PhotoCache(path) as cache:
        assert cache.moved_aside == tmp_path / "photos.sqlite.old"
    assert (tmp_path / "photos.sqlite.old").read_bytes().startswith(b"this is not")


@pytest.mark.slow
def test_parallel_decoding_matches_serial(tmp_path):
    for seed in range(18):
        save(scene(seed, 320, 240), tmp_path / f"p{seed}.jpg")
        save(scene(seed, 320, 240), tmp_path / f"p{seed}.png")
    serial = analyse([tmp_path], PhotoOptions(workers=1)).to_json()
    parallel = analyse([tmp_path], PhotoOptions(workers=2)).to_json()
    assert parallel == serial and len(serial["similar"]["groups"]) == 18


def test_video_duration_with_ffprobe(tmp_path):
    import shutil
    import subprocess

    if shutil.which("ffprobe") is None or shutil.which("ffmpeg") is None:
        pytest.skip("ffprobe and ffmpeg (Debian package ffmpeg) are not installed")
    video = tmp_path / "VID_0001.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10",
         str(video)],
        check=True,
    )  # fmt: skip
    (tmp_path / "broken.mp4").write_bytes(b"\0" * 2000)
    found = analyse([tmp_path], PhotoOptions(workers=1, video_min_size=1000))
    assert found.ffprobe
    durations = {os.fsdecode(os.path.basename(v.path)): v.duration_s for v in found.videos}
    assert durations["VID_0001.mp4"] == pytest.approx(2.0, abs=0.2)
    # a damaged video: listed, without a duration, never an error
    assert durations["broken.mp4"] is None
