"""An organisation's look on its own pages: a checked logo, and a colour that keeps text
readable (WCAG contrast 4.5:1 with white), sent as a tiny style sheet (our Content
Security Policy allows no inline style)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

LOGO_MAX_BYTES = 200_000
_SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff"}
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of white text on ``colour`` (1 to 21)."""
    return 1.05 / (_luminance(colour) + 0.05)


def validate_colour(value: str) -> str:
    """Raises: ValidationError: not a #rrggbb colour, or too light under white text."""
    value = value.strip()
    if not value:
        return ""
    if not _HEX.match(value):
        raise ValidationError(_("Write the colour as # and six hexadecimal digits, as #1d4f91."))
    ratio = contrast_with_white(value)
    if ratio < 4.5:
        raise ValidationError(
            _(
                "This colour is too light: white text on it has a contrast of {ratio:.1f}:1, "
                "4.5:1 is needed. Choose a darker one."
            ).format(ratio=ratio)
        )
    return value.lower()


def validate_logo(upload: UploadedFile) -> None:
    """Raises: ValidationError: too big, or not really a PNG or JPEG image."""
    if upload.size is None or upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("A logo must weigh 200 kB or less: the pages stay light."))
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension not in _SIGNATURES or not head.startswith(_SIGNATURES[extension]):
        raise ValidationError(_("A logo is a PNG or JPEG image."))


def is_colour(value: str) -> bool:
    return bool(_HEX.match(value))


def logo_type(name: str) -> str:
    return "image/png" if name.lower().endswith(".png") else "image/jpeg"
