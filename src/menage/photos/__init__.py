"""The photo analyser: near-duplicates, bursts, best shots, blurry photos, screenshots
and big videos in a phone's copied DCIM folder or a cloud export (``menage photos``).

Pillow and numpy are imported with this package: the command line imports it only
when ``menage photos`` runs.
"""

from menage.photos.analyse import BLUR_THRESHOLD, PhotoOptions, analyse
from menage.photos.cache import PhotoCache
from menage.photos.findings import (
    SCHEMA,
    SCHEMA_VERSION,
    Burst,
    Group,
    Photo,
    PhotoError,
    PhotoFindings,
    Screenshot,
    Video,
)

__all__ = [
    "BLUR_THRESHOLD",
    "Burst",
    "Group",
    "Photo",
    "PhotoCache",
    "PhotoError",
    "PhotoFindings",
    "PhotoOptions",
    "SCHEMA",
    "SCHEMA_VERSION",
    "Screenshot",
    "Video",
    "analyse",
]
