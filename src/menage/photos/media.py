"""Finding photos and videos in a folder tree, and what their names and sizes say.

The walk never follows symbolic links, skips FIFOs, devices and sockets (only regular
files are opened), and never enters Ménage's own folder. Photos are recognised by
extension (JPEG, PNG, WebP, HEIC/HEIF, GIF, BMP, TIFF), videos likewise; camera RAW
files are reported as unsupported (no decoder is shipped), anything else is ignored.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

PHOTO_EXTENSIONS = frozenset(b".jpg .jpeg .jpe .png .webp .heic .heif .gif .bmp .tif .tiff".split())
VIDEO_EXTENSIONS = frozenset(b".mp4 .mov .m4v .3gp .mkv .avi .webm .mts .wmv".split())
RAW_EXTENSIONS = frozenset(b".dng .cr2 .cr3 .nef .arw .raf .orf .rw2 .pef .srw".split())

#: common screen sizes (portrait; landscape matches too): phones, tablets, laptops
SCREEN_SIZES = frozenset(
    [
        (640, 1136), (750, 1334), (828, 1792), (1080, 1920), (1080, 2160), (1080, 2280),
        (1080, 2340), (1080, 2400), (1125, 2436), (1170, 2532), (1179, 2556), (1242, 2208),
        (1242, 2688), (1284, 2778), (1290, 2796), (1440, 2560), (1440, 2960), (1440, 3040),
        (1440, 3088), (1440, 3200), (720, 1280), (720, 1600), (1536, 2048), (1620, 2160),
        (1668, 2224), (1668, 2388), (2048, 2732), (768, 1366), (900, 1440), (900, 1600),
        (1050, 1680), (1080, 1920), (1200, 1920), (1440, 2560), (1600, 2560), (2160, 3840),
        (1800, 2880), (1664, 2560), (1964, 3024), (1117, 2560), (1080, 2520), (1200, 2670),
    ]
)  # fmt: skip
_SCREENSHOT_NAME = re.compile(
    rb"screen ?shot|screenshot|capture d.(?:e|\xc3\xa9)cran|capture_|bildschirmfoto|"
    rb"captura de pantalla|schermata",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Entry:
    """A media file found by the walk (or listed by a files scan), as it was seen."""

    path: bytes
    dev: int
    ino: int
    size: int
    mtime_ns: int
    kind: str  # "photo", "video" or "raw"

    @property
    def key(self) -> tuple[int, int, int, int]:
        """The identity a cached measure must match: device, inode, size, mtime."""
        return self.dev, self.ino, self.size, self.mtime_ns


def walk(root: bytes, skip: bytes | None, errors: list[tuple[bytes, str]]) -> Iterator[Entry]:
    """Media files below ``root`` (or ``root`` itself when it is a file).

    Args:
        skip: a folder never entered (Ménage's home).
        errors: receives (path, message) for folders that cannot be listed.
    """
    try:
        st = os.stat(root)
    except OSError as exc:
        errors.append((root, exc.strerror or str(exc)))
        return
    if not stat.S_ISDIR(st.st_mode):
        entry = _entry(root, st)
        if entry is not None:
            yield entry
        return
    stack = [root]
    while stack:
        folder = stack.pop()
        if skip is not None and os.path.realpath(folder) == skip:
            continue
        try:
            with os.scandir(folder) as it:
                children = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            errors.append((folder, exc.strerror or str(exc)))
            continue
        for child in children:
            try:
                if child.is_dir(follow_symlinks=False):
                    stack.append(child.path)
                    continue
                if not child.is_file(follow_symlinks=False):
                    continue
                entry = _entry(child.path, child.stat(follow_symlinks=False))
            except OSError as exc:
                errors.append((child.path, exc.strerror or str(exc)))
                continue
            if entry is not None:
                yield entry


def media_kind(path: bytes) -> str | None:
    """``"photo"``, ``"video"``, ``"raw"`` by the name's extension, or None."""
    ext = os.path.splitext(path)[1].lower()
    if ext in PHOTO_EXTENSIONS:
        return "photo"
    if ext in VIDEO_EXTENSIONS:
        return "video"
    if ext in RAW_EXTENSIONS:
        return "raw"
    return None


def _entry(path: bytes, st: os.stat_result) -> Entry | None:
    if not stat.S_ISREG(st.st_mode):
        return None
    kind = media_kind(path)
    if kind is None:
        return None
    return Entry(path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, kind)


def screenshot_reason(path: bytes, fmt: str, width: int, height: int, camera: bool) -> str | None:
    """``"name"``, ``"screen"`` or None: whether a photo looks like a screenshot."""
    if _SCREENSHOT_NAME.search(os.path.basename(path)):
        return "name"
    size = (min(width, height), max(width, height))
    if fmt == "PNG" and not camera and size in SCREEN_SIZES:
        return "screen"
    return None


def ffprobe() -> str | None:
    """The ``ffprobe`` command, if installed."""
    return shutil.which("ffprobe")


def duration(command: str, path: bytes) -> float | None:
    """A video's duration in seconds by ``ffprobe``, or None if it cannot tell."""
    try:
        out = subprocess.run(
            [command, "-v", "error", "-show_entries", "format=duration", "-of", "json", path],
            capture_output=True,
            timeout=30,
            check=False,
        )
        value = json.loads(out.stdout or b"{}").get("format", {}).get("duration")
        return round(float(value), 3) if value is not None else None
    except (OSError, subprocess.SubprocessError, ValueError, AttributeError):
        return None
