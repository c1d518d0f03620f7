import io
import random

import pytest
from PIL import Image, ImageEnhance, ImageFilter

from menage.photos.hashing import dhash, distance, phashes, sharpness
from menage.photos.similar import DHASH_MAX, PHASH_MAX, BKTree, similar_groups
from tests.photos.images import scene


def grey(im: Image.Image) -> Image.Image:
    return im.convert("L")


def jpeg(im: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue()))


VARIANTS = [
    pytest.param(lambda im: jpeg(im, 40), id="jpeg-q40"),
    pytest.param(lambda im: im.resize((320, 240)), id="half-size"),
    pytest.param(lambda im: ImageEnhance.Brightness(im).enhance(1.2), id="brighter"),
    pytest.param(lambda im: ImageEnhance.Contrast(im).enhance(0.85), id="less-contrast"),
    pytest.param(lambda im: im.crop((12, 9, 628, 471)), id="crop-4pc"),
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_stay_within_the_thresholds(variant):
    original = scene(1)
    p0, _ = phashes(grey(original))
    p1, _ = phashes(grey(variant(original)))
    assert distance(p0, p1) <= PHASH_MAX
    assert distance(dhash(grey(original)), dhash(grey(variant(original)))) <= DHASH_MAX


def test_different_photos_are_far_apart():
    hashes = [phashes(grey(scene(seed)))[0] for seed in range(8)]
    for i in range(8):
        for j in range(i + 1, 8):
            assert distance(hashes[i], hashes[j]) > PHASH_MAX


def test_mirror_hash_is_the_hash_of_the_mirror_image():
    im = grey(scene(3))
    _, mirror = phashes(im)
    flipped, _ = phashes(im.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    assert distance(mirror, flipped) <= 2
    assert distance(mirror, phashes(im)[0]) > PHASH_MAX


def test_blur_lowers_sharpness_below_the_threshold():
    from menage.photos import BLUR_THRESHOLD

    im = grey(scene(4))
    assert sharpness(im) > 2 * BLUR_THRESHOLD
    assert sharpness(im.filter(ImageFilter.GaussianBlur(4))) < BLUR_THRESHOLD


def test_bk_tree_finds_what_brute_force_finds():
    rng = random.Random(7)
    base = [rng.getrandbits(64) for _ in range(20)]
    hashes = [b ^ (1 << rng.randrange(64)) * rng.randrange(2) for b in base for _ in range(10)]
    tree = BKTree()
    for i, h in enumerate(hashes):
        tree.add(h, i)
    for radius in (0, 3, 10, 20):
        for probe in hashes[::17]:
            expected = {i for i, h in enumerate(hashes) if distance(h, probe) <= radius}
            assert set(tree.search(probe, radius)) == expected


def test_groups_join_only_similar_pairs():
    a, b = 0x0F0F_0F0F_0F0F_0F0F, 0xF0F0_F0F0_F0F0_F0F0
    groups = similar_groups([a, a ^ 0b111, b, b ^ 1, a ^ 0xFFFF_FFFF], [1, 1, 2, 2, 1])
    assert groups == [[0, 1], [2, 3]]
    # the dHash must agree too
    assert similar_groups([a, a], [0, (1 << 64) - 1]) == []
