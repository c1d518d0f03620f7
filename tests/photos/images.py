"""Photos made for the tests: smooth random scenes (sums of coloured blobs and edges)
that hash apart from one another, and the variants a phone or a messaging app makes."""

from __future__ import annotations

import functools
import os
import struct
import zlib
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image


@functools.cache
def scene(seed: int, width: int = 640, height: int = 480) -> Image.Image:
    """A photo-like RGB image: blobs, a horizon and fine texture, different per seed
    (cached: callers derive new images from it, never change it)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    img = np.zeros((height, width, 3))
    horizon = rng.uniform(0.3, 0.7) * height
    img += (y > horizon + 30 * np.sin(x / rng.uniform(40, 120)))[..., None] * rng.uniform(
        40, 120, 3
    )
    for _ in range(12):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.uniform(20, 160)
        blob = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r))
        img += blob[..., None] * rng.uniform(-120, 160, 3)
    for _ in range(6):  # hard edges: buildings, windows
        x0, y0 = rng.integers(0, width - 40), rng.integers(0, height - 40)
        x1, y1 = x0 + rng.integers(10, width // 3), y0 + rng.integers(10, height // 3)
        img[y0:y1, x0:x1] += rng.uniform(-90, 90, 3)
    img += rng.normal(0, 12, img.shape)  # sensor grain: the photo is sharp
    return Image.fromarray(np.clip(img + 80, 0, 255).astype(np.uint8))


_clock = [1_600_000_000]


def save(image: Image.Image, path: Path, **params: Any) -> Path:
    """Save ``image``, with an mtime an hour after the previous file's: as in a real
    phone folder, photos without EXIF dates were not all written in the same second."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **params)
    _clock[0] += 3600
    os.utime(path, (_clock[0], _clock[0]))
    return path


def exif(taken: str | None = None, orientation: int | None = None, make: str | None = None):
    """EXIF bytes with DateTimeOriginal ("2024:07:14 10:00:00"), orientation, maker."""
    data = Image.Exif()
    if make:
        data[271] = make
        data[272] = "Model X"
    if orientation:
        data[0x0112] = orientation
    if taken:
        data.get_ifd(0x8769)[36867] = taken
    return data.tobytes()


def png_bomb(path: Path, width: int = 100_000, height: int = 100_000) -> Path:
    """A tiny PNG whose header claims huge dimensions."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = zlib.compress(b"\0" * 1000)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    return path


def phone_folder(root: Path) -> dict[str, Path]:
    """A small copied DCIM folder: a photo with a messaging-app copy (and an exact copy of
    that), a burst of three, and two unrelated photos. Returns the files by role."""
    shot = scene(1).resize((1280, 960))
    made = {
        "best": save(
            shot, root / "IMG_0001.jpg", quality=92, exif=exif("2024:07:14 10:00:00", make="Cam")
        ),
        "copy": save(scene(1), root / "IMG_0001-whatsapp.jpg", quality=60),
        "other": save(scene(20), root / "IMG_0020.jpg", exif=exif("2023:01:01 00:00:00", make="C")),
        "other2": save(
            scene(21), root / "IMG_0021.jpg", exif=exif("2023:02:01 00:00:00", make="C")
        ),
    }
    for n, shift in enumerate((0, 20, 40)):
        burst = scene(5).crop((shift, shift // 2, 560 + shift, 420 + shift // 2))
        made[f"burst{n}"] = save(
            burst, root / f"BURST_{n}.jpg", exif=exif(f"2024:08:01 12:00:0{n}", make="Cam")
        )
    return made
