"""The thumbnails of the photo panel, served by the review server.

A thumbnail is asked for by finding and position (``thumb/similar_photos/2/1.jpg``),
never by path, and only for the photo kinds of the review's own scan. The photo must
still be the file the scan saw (device, inode, size, modification time, opened without
following a symlink), under a chosen folder with its symlinks resolved, of a photo
format and of a reasonable size. The thumbnail is made small (160 pixels) on this
computer, kept in the photo cache, and the full-size file is never sent.
"""

from __future__ import annotations

import os
import re
import stat

from menage.errors import MenageError
from menage.findings import FileItem
from menage.review.security import check_paths_inside
from menage.review.session import Review

#: the route of a thumbnail
ROUTE = re.compile(r"^thumb/(similar_photos|bursts)/([1-9][0-9]{0,8})/([1-9][0-9]{0,4})\.jpg$")
#: photos bigger than this get no thumbnail (a hostile or odd file)
MAX_FILE = 200_000_000
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def photo_item(review: Review, route: str) -> FileItem | None:
    """The photo a thumbnail route names in the review's scan, or None.

    Raises:
        OutsideRoots: the photo is not under the chosen folders (any more).
    """
    match = ROUTE.match(route)
    scan_id = review.scan_id()
    if match is None or scan_id is None:
        return None
    kind, number, position = match.group(1), int(match.group(2)), int(match.group(3))
    try:
        finding = review.findings(scan_id).findings.finding(f"{kind}/{number}")
    except MenageError:
        return None
    if position > len(finding.items):
        return None
    item = finding.items[position - 1]
    if not isinstance(item, FileItem):
        return None
    check_paths_inside([item.path], review.roots)
    return item


def thumbnail(review: Review, item: FileItem) -> bytes | None:
    """A small JPEG of the photo, from the photo cache or made now; None when the file
    changed since the scan, is not a regular file, is too big or is not an image."""
    from menage.photos.cache import PhotoCache, key_of
    from menage.photos.thumbs import make_thumbnail

    if item.size > MAX_FILE:
        return None
    try:
        fd = os.open(item.path, _FLAGS)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        seen = (item.device, item.inode, item.size, item.mtime_ns)
        if not stat.S_ISREG(st.st_mode) or key_of(st) != seen:
            return None
        with PhotoCache(review.workspace.home / "photos.sqlite") as cache:
            data = cache.thumbnail(item.path, key_of(st))
            if data is None:
                data = make_thumbnail(handle)
                if data is not None:
                    cache.store_thumbnail(item.path, data)
    return data
