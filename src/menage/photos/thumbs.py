"""Small thumbnails for the HTML report, made once and kept in the photo cache."""

from __future__ import annotations

import base64
import io
import os
import warnings

from PIL import Image, ImageOps

from menage.photos.cache import PhotoCache, key_of
from menage.photos.decode import MAX_PIXELS

#: longest side of a thumbnail, in pixels (shown at half that on high-density screens)
SIDE = 160


def _make(path: bytes) -> bytes | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                if im.size[0] * im.size[1] > MAX_PIXELS:
                    return None
                im.draft("RGB", (SIDE * 2, SIDE * 2))
                small = ImageOps.exif_transpose(im.convert("RGB"))
                small.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                small.save(out, "JPEG", quality=70, optimize=True)
                return out.getvalue()
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
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
        data = _make(path)
        if data is None:
            return None
        cache.store_thumbnail(path, data)
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
