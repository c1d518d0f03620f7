"""The labelled photo set: real photographs shipped inside scikit-image and
scikit-learn, the variants a phone or a messaging app makes of each, and distractors.

Each file's label is its original's name; distractors have labels of their own, so a
group joining two labels is a false match. Built with Pillow (and pillow-heif).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, ImageEnhance

#: photographs (not drawings, scans of text or test patterns), by package-relative path
ORIGINALS = [
    "skimage/data/astronaut.png",
    "skimage/data/coffee.png",
    "skimage/data/chelsea.png",
    "skimage/data/rocket.jpg",
    "skimage/data/motorcycle_left.png",
    "skimage/data/hubble_deep_field.jpg",
    "skimage/data/camera.png",
    "skimage/data/coins.png",
    "skimage/data/horse.png",
    "skimage/data/grass.png",
    "sklearn/datasets/images/china.jpg",
    "sklearn/datasets/images/flower.jpg",
]
#: other photos, some of them close to an original (the other camera of a stereo pair,
#: textures like the originals' grass)
DISTRACTORS = [
    "skimage/data/motorcycle_right.png",
    "skimage/data/gravel.png",
    "skimage/data/brick.png",
    "skimage/data/moon.png",
    "skimage/data/ihc.png",
    "skimage/data/retina.jpg",
    "skimage/data/cell.png",
    "skimage/data/clock_motion.png",
    "skimage/data/page.png",
    "skimage/data/text.png",
]


def _jpeg(im: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue()))


def _crop(im: Image.Image, fraction: float) -> Image.Image:
    w, h = im.size
    dx, dy = int(w * fraction / 2), int(h * fraction / 2)
    return im.crop((dx, dy, w - dx, h - dy))


def _variants(im: Image.Image) -> list[tuple[str, Image.Image, dict[str, object]]]:
    w, h = im.size
    rgb = im.convert("RGB")
    upright_exif = Image.Exif()
    upright_exif[0x0112] = 6  # stored rotated; the viewer turns it back
    return [
        ("q90.jpg", rgb, {"quality": 90}),
        ("q70.jpg", rgb, {"quality": 70}),
        ("q50.jpg", rgb, {"quality": 50}),
        ("q30.jpg", rgb, {"quality": 30}),
        ("half.jpg", rgb.resize((w // 2, h // 2), Image.Resampling.LANCZOS), {"quality": 85}),
        ("quarter.jpg", rgb.resize((w // 4, h // 4), Image.Resampling.LANCZOS), {"quality": 85}),
        ("crop5.jpg", _crop(rgb, 0.05), {"quality": 85}),
        ("crop10.jpg", _crop(rgb, 0.10), {"quality": 85}),
        ("bright.jpg", ImageEnhance.Brightness(rgb).enhance(1.25), {"quality": 85}),
        ("dark.jpg", ImageEnhance.Brightness(rgb).enhance(0.8), {"quality": 85}),
        ("contrast.jpg", ImageEnhance.Contrast(rgb).enhance(0.75), {"quality": 85}),
        ("whatsapp.jpg", _jpeg(rgb.resize((w * 3 // 4, h * 3 // 4)), 60), {"quality": 70}),
        (
            "exif-rotated.jpg",
            rgb.transpose(Image.Transpose.ROTATE_90),
            {"quality": 90, "exif": upright_exif.tobytes()},
        ),
        ("png.png", rgb, {}),
        ("webp.webp", rgb, {"quality": 80}),
        ("heic.heic", rgb, {"quality": 60}),
    ]


def build(sources: Path, target: Path) -> dict[str, str]:
    """Write the set into ``target``; returns {file name: label}."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    target.mkdir(parents=True, exist_ok=True)
    labels: dict[str, str] = {}
    for rel in ORIGINALS:
        label = Path(rel).stem
        with Image.open(sources / rel) as im:
            im.load()
            original = im.convert("RGB")
        name = f"{label}__original.png"
        original.save(target / name)
        labels[name] = label
        for suffix, variant, params in _variants(original):
            name = f"{label}__{suffix}"
            if not (target / name).exists():
                variant.save(target / name, **params)  # type: ignore[arg-type]
            labels[name] = label
    for rel in DISTRACTORS:
        label = "distractor-" + Path(rel).stem
        name = f"{label}.png"
        with Image.open(sources / rel) as im:
            im.convert("RGB").save(target / name)
        labels[name] = label
    # similar-looking scenes: two halves of one photo are different photos
    for rel in ("sklearn/datasets/images/china.jpg", "skimage/data/astronaut.png"):
        with Image.open(sources / rel) as im:
            w, h = im.size
            for side, box in (("left", (0, 0, w // 2, h)), ("right", (w // 2, 0, w, h))):
                label = f"half-{Path(rel).stem}-{side}"
                im.convert("RGB").crop(box).save(target / f"{label}.jpg", quality=90)
                labels[f"{label}.jpg"] = label
    return labels


def build_large(sources: Path, target: Path, count: int) -> list[Path]:
    """``count`` 12-megapixel JPEGs (4032×3024, quality 90) upscaled from the originals."""
    target.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        rel = ORIGINALS[i % len(ORIGINALS)]
        path = target / f"IMG_{i:04d}.jpg"
        if not path.exists():
            with Image.open(sources / rel) as im:
                big = im.convert("RGB").resize((4032, 3024), Image.Resampling.BICUBIC)
                if i >= len(ORIGINALS):  # later copies differ a little, as phone shots do
                    big = ImageEnhance.Brightness(big).enhance(1 + (i % 7) / 50)
                big.save(path, quality=90)
        made.append(path)
    return made


def file_count(folder: Path) -> int:
    return sum(1 for _ in os.scandir(folder))
