"""The photo panel: similar photos and bursts as thumbnails, cleaned through the plan
with the kept photo checked, undone from the page; the thumbnail route's defences."""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from menage import Workspace
from menage.review import Review, ReviewServer, offered_folders
from tests.photos.images import phone_folder, png_bomb
from tests.review.conftest import Client, make_tree


def make_photos(root: Path) -> dict[str, Path]:
    """The files tree of the review tests, with a phone's copied DCIM folder in it."""
    make_tree(root)
    return phone_folder(root / "DCIM")


@pytest.fixture
def photos(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    root = tmp_path / "maison"
    return root, make_photos(root)


@pytest.fixture
def photo_client(photos: tuple[Path, dict[str, Path]], menage_home: Path) -> Iterator[Client]:
    root, _made = photos
    running = ReviewServer(Review(Workspace(menage_home), offered_folders([root])))
    running.start(poll_s=0.2)
    client = Client(running)
    client.scan(root)
    yield client
    running.stop()


def thumbs(page: str) -> list[str]:
    return re.findall(r'<img src="/[^/]+/(thumb/[^"]+)"', page)


def test_photo_groups_show_as_thumbnails_with_the_best_marked(photo_client: Client) -> None:
    status, _headers, page = photo_client.get("review")
    assert status == 200
    assert "Similar photos" in page and "Bursts of photos" in page
    assert 'value="similar_photos/1"' in page and 'value="bursts/1"' in page
    assert "best shot, kept" in page and "the most pixels" in page
    found = thumbs(page)
    assert len(found) == 5  # two similar photos, a burst of three
    status, headers, _body = photo_client.get(found[0])
    assert status == 200 and headers["content-type"] == "image/jpeg"
    # the image itself: small, never the full-size file
    raw = photo_client_bytes(photo_client, found[0])
    with Image.open(io.BytesIO(raw)) as im:
        assert im.format == "JPEG" and max(im.size) <= 160
    assert len(raw) < 20_000


def photo_client_bytes(client: Client, route: str) -> bytes:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", client.server.guard.port, timeout=30)
    connection.request(
        "GET", client.base + route, headers={"Host": f"127.0.0.1:{client.server.guard.port}"}
    )
    data = connection.getresponse().read()
    connection.close()
    return data


def test_cleaning_a_photo_group_and_a_duplicate_group_then_undo(
    photo_client: Client, photos: tuple[Path, dict[str, Path]], menage_home: Path
) -> None:
    root, made = photos
    status, headers, _text = photo_client.post(
        "clean", {"pick": ["duplicates/1", "similar_photos/1"]}
    )
    assert status == 303, _text
    run = headers["location"].rsplit("/", 1)[-1]
    assert made["best"].exists()
    assert not made["copy"].exists()
    assert not (root / "Copies" / "rapport-1 (copie).pdf").exists()
    held = {p.name for p in (menage_home / "quarantine").rglob("*") if p.is_file()}
    assert any("IMG_0001-whatsapp" in name for name in held), held
    status, _headers, page = photo_client.get(f"done/{run}")
    assert status == 200 and "2 files went" in page
    status, _headers, _text = photo_client.post("undo", {"run": run})
    assert status == 303
    assert made["copy"].exists() and (root / "Copies" / "rapport-1 (copie).pdf").exists()


def test_a_kept_photo_changed_since_the_scan_is_not_lost(
    photo_client: Client, photos: tuple[Path, dict[str, Path]]
) -> None:
    _root, made = photos
    # the best shot is replaced after the scan: the group is left out, nothing moves
    data = made["best"].read_bytes()
    made["best"].unlink()
    made["best"].write_bytes(data[:-10] + b"0123456789")
    status, _headers, page = photo_client.post("clean", {"pick": ["similar_photos/1"]})
    assert made["copy"].exists()
    assert status == 400 and "Nothing to do" in page


# -- the thumbnail route's defences ----------------------------------------------------


def test_thumbnails_need_the_token_and_name_no_path(photo_client: Client) -> None:
    route = thumbs(photo_client.get("review")[2])[0]
    status, _h, _t = photo_client.request("GET", "/wrong-token/" + route)
    assert status == 403
    for bad in (
        "thumb/../../etc/passwd",
        "thumb/similar_photos/1/../../../etc/passwd",
        "thumb/duplicates/1/1.jpg",  # a file that is not a photo finding
        "thumb/similar_photos/1/9.jpg",
        "thumb/similar_photos/99/1.jpg",
        "thumb/similar_photos/0/1.jpg",
        "thumb/%2Fetc%2Fpasswd",
        "thumb/big_files/1/1.jpg",
    ):
        status, headers, _body = photo_client.get(bad)
        assert status in (403, 404), bad
        assert headers["content-type"].startswith("text/html"), bad


def test_a_photo_moved_outside_the_chosen_folders_gets_no_thumbnail(
    photo_client: Client, photos: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    root, _made = photos
    route = thumbs(photo_client.get("review")[2])[0]
    # the DCIM folder becomes a symlink to a folder outside the chosen ones, same names
    outside = tmp_path / "ailleurs"
    shutil.copytree(root / "DCIM", outside)
    shutil.rmtree(root / "DCIM")
    os.symlink(outside, root / "DCIM")
    status, _headers, page = photo_client.get(route)
    assert status == 403
    assert "outside the folders chosen" in page


def test_a_photo_swapped_for_another_file_gets_no_thumbnail(
    photo_client: Client, photos: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    _root, made = photos
    page = photo_client.get("review")[2]
    routes = thumbs(page)
    # every photo of the similar group: one swapped for a text file, one for a link
    secret = tmp_path / "secret.txt"
    secret.write_text("not a photo")
    made["best"].unlink()
    shutil.copy(secret, made["best"])
    made["copy"].unlink()
    os.symlink(secret, made["copy"])
    for route in routes[:2]:
        status, _headers, _body = photo_client.get(route)
        assert status == 404, route


def test_a_hostile_image_gets_no_thumbnail(tmp_path: Path) -> None:
    from menage.photos.thumbs import make_thumbnail

    bomb = png_bomb(tmp_path / "bomb.png")
    assert make_thumbnail(os.fsencode(bomb)) is None
    text = tmp_path / "photo.jpg"
    text.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n")
    assert make_thumbnail(os.fsencode(text)) is None
    broken = tmp_path / "cut.jpg"
    Image.new("RGB", (50, 50)).save(broken, "JPEG")
    broken.write_bytes(broken.read_bytes()[:40])
    assert make_thumbnail(os.fsencode(broken)) is None


def test_a_big_cleanup_runs_in_the_background_with_its_progress(
    photo_client: Client, photos: tuple[Path, dict[str, Path]]
) -> None:
    review = photo_client.server.review
    review.background_from = 1  # every plan is "big" here
    assert photo_client.get("clean.json")[2] == '{"state": "none", "next": ""}'
    status, headers, _text = photo_client.post("clean", {"pick": ["bursts/1"]})
    assert status == 303 and headers["location"].endswith("/cleaning")
    job = review.clean_job
    assert job is not None and job.thread is not None
    job.thread.join(60)
    assert job.finished and job.error is None and job.total == 2
    status, _headers, body = photo_client.get("clean.json")
    assert status == 200 and f'"next": "done/{job.run_id}"' in body and '"done": 2' in body
    status, headers, _text = photo_client.get("cleaning")
    assert status == 303 and headers["location"].endswith(f"/done/{job.run_id}")
    _root, made = photos
    assert sum(made[f"burst{n}"].exists() for n in range(3)) == 1


def test_photos_chosen_one_by_one(
    photo_client: Client, photos: tuple[Path, dict[str, Path]], menage_home: Path
) -> None:
    root, _made = photos
    html = photo_client.get("review")[2]
    burst = html[html.index('value="bursts/1"') :]
    burst = burst[: burst.index("</fieldset>")]
    found = re.findall(
        r'<li( class="kept")?>.*?<span class="path" title="[^"]*">([^<]+)</span>.*?'
        r'value="(bursts/1/[0-9]+)"',
        burst,
        re.S,
    )
    rows = {name: (pick, bool(kept)) for kept, name, pick in found}
    assert len(rows) == 3 and sum(kept for _pick, kept in rows.values()) == 1
    # one photo that is not the best goes; the best and the third stay
    name, (pick, _kept) = next((n, r) for n, r in rows.items() if not r[1])
    status, _headers, text = photo_client.post("clean", {"pick": [pick]})
    assert status == 303, text
    assert not (root / "DCIM" / name).exists()
    assert all((root / "DCIM" / n).exists() for n in rows if n != name)
    # every photo of a group chosen: one must stay, said on the page
    every = [r[0] for r in rows.values()]
    status, _headers, text = photo_client.post("clean", {"pick": every})
    assert status == 400 and "one must stay" in text
