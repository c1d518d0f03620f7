"""Decoding one photo at reduced scale into what the analysis needs.

A JPEG is decoded by libjpeg at 1/2, 1/4 or 1/8 scale in the DCT domain
(Pillow's ``Image.draft``): about ten times faster than a full decode, with the same
pHash. EXIF orientation is applied after the draft. HEIC/HEIF comes through
``pillow-heif``. Every failure becomes a :class:`DecodeFailure` with a reason code,
never an exception: a damaged photo is reported and skipped, and nothing is written.

This module runs in worker processes: it imports only Pillow, numpy and the hashing.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageOps, UnidentifiedImageError

from menage.photos.hashing import dhash, phashes, sharpness

#: above this many pixels an image is refused (a "decompression bomb": a small file
#: that would need gigabytes of memory). 200 MP covers the largest phone sensors.
MAX_PIXELS = 200_000_000
#: the side the JPEG draft aims at (libjpeg picks the smallest scale at least this big)
DRAFT_SIDE = 256

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 36867
_MAKE, _MODEL, _SOFTWARE = 271, 272, 305


@dataclass(frozen=True, slots=True)
class Decoded:
    """What a photo's pixels and metadata say (sizes are of the full image, upright)."""

    width: int
    height: int
    format: str
    phash: int
    phash_mirror: int
    dhash: int
    sharpness: float
    #: EXIF DateTimeOriginal as a POSIX time (local time of the camera), or None
    taken: float | None
    #: the EXIF names a camera maker or model
    camera: bool


@dataclass(frozen=True, slots=True)
class DecodeFailure:
    """Why a photo was skipped: ``reason`` is a code, ``detail`` the library's words."""

    reason: str  # "empty", "unreadable", "unidentified", "truncated", "too-large", "corrupt"
    detail: str = ""


_heif_registered = False


def register_heif() -> None:
    """Let Pillow open HEIC/HEIF photos (once per process; the thumbnails need it too)."""
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


def _taken(exif: Image.Exif) -> float | None:
    value = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(306)
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip("\0 ")[:19], "%Y:%m:%d %H:%M:%S").timestamp()
    except (ValueError, OverflowError, OSError):
        return None


def decode(path: str | bytes) -> Decoded | DecodeFailure:
    """Decode ``path`` at reduced scale and measure it; never raises for a bad file."""
    register_heif()
    try:
        if os.stat(path).st_size == 0:
            return DecodeFailure("empty")
        with warnings.catch_warnings():
            # the size is checked below against our own limit, before any decoding
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                return _measure(im)
    except UnidentifiedImageError:
        return DecodeFailure("unidentified")
    except Image.DecompressionBombError as exc:
        return DecodeFailure("too-large", str(exc))
    except PermissionError as exc:
        return DecodeFailure("unreadable", exc.strerror or str(exc))
    except OSError as exc:
        text = str(exc)
        if "truncated" in text or "broken data stream" in text or "premature end" in text:
            return DecodeFailure("truncated", text)
        return DecodeFailure("corrupt", text)
    except (ValueError, SyntaxError, EOFError, IndexError, TypeError, RuntimeError) as exc:
        # Pillow's plugins raise these on malformed headers
        return DecodeFailure("corrupt", str(exc) or type(exc).__name__)
    except MemoryError:
        return DecodeFailure("too-large", "out of memory")


def _measure(im: Image.Image) -> Decoded | DecodeFailure:
    width, height = im.size
    if width * height > MAX_PIXELS:
        return DecodeFailure("too-large", f"{width}×{height}")
    fmt = im.format or "?"
    exif = im.getexif()
    orientation = exif.get(0x0112, 1)
    camera = bool(exif.get(_MAKE) or exif.get(_MODEL))
    taken = _taken(exif)
    if fmt == "JPEG":
        im.draft("L", (DRAFT_SIDE, DRAFT_SIDE))
    elif getattr(im, "n_frames", 1) > 1:
        im.seek(0)
    im.load()
    grey = im.convert("L") if im.mode != "L" else im
    if orientation in (2, 3, 4, 5, 6, 7, 8):
        grey.getexif()[0x0112] = orientation
        grey = ImageOps.exif_transpose(grey)
        if orientation in (5, 6, 7, 8):
            width, height = height, width
    p, p_mirror = phashes(grey)
    return Decoded(
        width=width,
        height=height,
        format=fmt,
        phash=p,
        phash_mirror=p_mirror,
        dhash=dhash(grey),
        sharpness=sharpness(grey),
        taken=taken,
        camera=camera,
    )
