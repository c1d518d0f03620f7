"""Small thumbnails for the HTML report and the review page, made once and kept in the
photo cache.

Only the formats photos come in are opened (never a plugin that runs another program),
and an image is refused before decoding when it has too many pixels: a JPEG is decoded
at reduced scale (libjpeg's draft), any other format in full, so its limit is lower.
"""

from __future__ import annotations

import base64
import io
import os
import warnings
from typing import BinaryIO

from PIL import Image, ImageOps

from menage.photos.cache import PhotoCache, key_of
from menage.photos.decode import MAX_PIXELS, register_heif

#: longest side of a thumbnail, in pixels (shown at half that on high-density screens)
SIDE = 160
#: the formats a thumbnail is made from (a JPEG with several pictures comes as MPO)
FORMATS = ("JPEG", "PNG", "WEBP", "HEIF", "GIF", "TIFF", "BMP")
#: pixels above which an image decoded in full (not a JPEG) is refused
MAX_FULL_PIXELS = 50_000_000


def make_thumbnail(source: bytes | BinaryIO) -> bytes | None:
    """A JPEG thumbnail of the image at ``source`` (a path or an open file); None when
    it is not an image of a photo format, is damaged, or is too big to decode safely."""
    register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source, formats=FORMATS) as im:
                pixels = im.size[0] * im.size[1]
                limit = MAX_PIXELS if im.format in ("JPEG", "MPO") else MAX_FULL_PIXELS
                if pixels > limit:
                    return None
                im.draft("RGB", (SIDE * 2, SIDE * 2))
                small = ImageOps.exif_transpose(im.convert("RGB"))
                small.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                small.save(out, "JPEG", quality=70, optimize=True)
                return out.getvalue()
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, RuntimeError):
        return None
    except (Image.DecompressionBombError, MemoryError):
        return None


def thumbnail_uri(path: bytes, cache: PhotoCache) -> str | None:
    """A ``data:`` URI of the photo's thumbnail, from the cache or made now; None if
    the photo cannot be read any more."""
    try:
        key = key_of(os.stat(path))
    except OSError:
        return None
    data = cache.thumbnail(path, key)
    if data is None:
        data = make_thumbnail(path)
        if data is None:
            return None
        cache.store_thumbnail(path, data)
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
