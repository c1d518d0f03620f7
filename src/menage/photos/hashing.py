"""Perceptual hashes and sharpness, on small greyscale images (Pillow + numpy).

* **pHash**: the image reduced to 32×32, its 2-D DCT (type II, orthonormal), the 8×8
  lowest frequencies, one bit per coefficient above their median: 64 bits. It survives
  re-encoding, resizing and exposure changes; a different photo is about 32 bits away.
* **dHash**: the image reduced to 9×8, one bit per pixel brighter than its right-hand
  neighbour: 64 bits. A second, independent opinion that keeps groups precise.
* The pHash of the **mirrored** image comes from the same DCT: mirroring negates the
  coefficients of odd horizontal frequency, so no second decode is needed.
* **Sharpness**: the variance of the Laplacian (4-neighbour kernel) of the image
  reduced to at most :data:`SHARPNESS_SIDE` pixels a side, so that values compare
  between photos of different resolutions.

These few lines replace ``imagehash``, which pulls in scipy and PyWavelets.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray
from PIL import Image

#: longest side of the greyscale image the sharpness is measured on
SHARPNESS_SIDE = 512
_FLOAT = NDArray[np.float64]


@functools.cache
def _dct_matrix(n: int = 32) -> _FLOAT:
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    matrix: _FLOAT = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2.0 / n)
    matrix[0] /= np.sqrt(2.0)
    return matrix


def _bits(values: NDArray[np.bool_]) -> int:
    return int.from_bytes(np.packbits(values.ravel()).tobytes(), "big")


def phashes(grey: Image.Image) -> tuple[int, int]:
    """The 64-bit pHash of a greyscale image and of its mirror image (left-right)."""
    small = np.asarray(grey.resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float64)
    d = _dct_matrix()
    low = (d @ small @ d.T)[:8, :8]
    # the mirror's coefficients: odd horizontal frequencies change sign
    mirrored = low * np.where(np.arange(8) % 2, -1.0, 1.0)[None, :]
    return _bits(low > np.median(low)), _bits(mirrored > np.median(mirrored))


def dhash(grey: Image.Image) -> int:
    """The 64-bit difference hash of a greyscale image (rows of 9 pixels compared)."""
    small = np.asarray(grey.resize((9, 8), Image.Resampling.LANCZOS), dtype=np.int16)
    return _bits(small[:, 1:] > small[:, :-1])


def sharpness(grey: Image.Image) -> float:
    """Variance of the Laplacian of ``grey`` reduced to :data:`SHARPNESS_SIDE` at most."""
    if max(grey.size) > SHARPNESS_SIDE:
        grey = grey.copy()
        grey.thumbnail((SHARPNESS_SIDE, SHARPNESS_SIDE), Image.Resampling.BILINEAR)
    a = np.asarray(grey, dtype=np.float64)
    if a.shape[0] < 3 or a.shape[1] < 3:
        return 0.0
    lap = a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:] - 4 * a[1:-1, 1:-1]
    return float(lap.var())


def distance(a: int, b: int) -> int:
    """Hamming distance between two 64-bit hashes."""
    return (a ^ b).bit_count()
