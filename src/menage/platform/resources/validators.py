"""Uploaded files: a size limit, and a type checked on the content, not only the name.

Only document and image formats organisers share (guides, kits, posters) are
accepted. The first bytes must match the extension, so a script renamed ``.pdf``
is refused.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from menage.i18n import format_size

# extension → accepted magic numbers (empty: checked another way below)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "odp": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04",),
    "txt": (),
    "csv": (),
}
_OPEN_DOCUMENT = {"odt", "ods", "odp"}
_OFFICE_XML = {"docx", "xlsx", "pptx"}
# what a kit of guides and posters never needs, and what runs when opened
EXECUTABLE = {
    "exe", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "dll", "cpl", "jar", "js",
    "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "hta", "lnk", "reg", "sh", "bash",
    "run", "bin", "app", "apk", "dmg", "pkg", "deb", "rpm", "appimage", "py", "pl",
    "docm", "xlsm", "pptm", "dotm", "xltm", "iso", "img", "vhd",
}  # fmt: skip
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_UNPACKED = 200_000_000  # bytes: a zip bomb is refused before anyone opens it


def allowed_extensions() -> list[str]:
    return sorted(SIGNATURES)


def validate_upload(upload: UploadedFile) -> None:
    """Refuse a file that is too big, of a type we do not share, or whose content lies.

    Raises:
        ValidationError: with a message for the person who uploaded it.
    """
    limit = settings.MENAGE_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("This file is {size}; the limit is {limit}.").format(
                size=format_size(upload.size or 0), limit=format_size(limit)
            )
        )
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        raise ValidationError(
            _("Files of this type cannot be shared. Accepted: {types}.").format(
                types=", ".join(allowed_extensions())
            )
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not head:
        raise ValidationError(_("This file is empty."))
    signatures = SIGNATURES[extension]
    if signatures and not head.startswith(signatures):
        raise ValidationError(_("The content of this file does not match its name."))
    if not signatures and not _is_text(upload):
        raise ValidationError(_("The content of this file does not match its name."))
    if extension in _OPEN_DOCUMENT | _OFFICE_XML | {"zip"}:
        _check_zip_contents(upload)
    if extension in _OPEN_DOCUMENT | _OFFICE_XML:
        _check_office_zip(upload, extension)


def _check_zip_contents(upload: UploadedFile) -> None:
    """No program, no macro, no path out of the archive, no bomb: checked on the listing."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        upload.seek(0)
        raise ValidationError(_("The content of this file does not match its name.")) from None
    upload.seek(0)
    if len(members) > ZIP_MAX_MEMBERS or sum(m.file_size for m in members) > ZIP_MAX_UNPACKED:
        raise ValidationError(_("This archive holds too much once unpacked."))
    for member in members:
        name = member.filename.replace("\\", "/")
        leaf = name.rsplit("/", 1)[-1].lower()
        extension = leaf.rsplit(".", 1)[-1] if "." in leaf else ""
        if name.startswith("/") or ".." in name.split("/"):
            raise ValidationError(_("This archive holds a file placed outside it."))
        if extension in EXECUTABLE or leaf == "vbaproject.bin" or name.startswith("Basic/"):
            raise ValidationError(
                _("This archive holds a program or macros ({name}): they cannot be shared.").format(
                    name=leaf[:80]
                )
            )


def _is_text(upload: UploadedFile) -> bool:
    """Plain text has no NUL byte (UTF-8, Latin-1 and Windows-1252 CSV exports all pass)."""
    upload.seek(0)
    try:
        return all(b"\0" not in chunk for chunk in upload.chunks())
    finally:
        upload.seek(0)


def _check_office_zip(upload: UploadedFile, extension: str) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if extension in _OPEN_DOCUMENT:
                ok = "mimetype" in names and archive.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument"
                )
            else:
                ok = "[Content_Types].xml" in names
    except (zipfile.BadZipFile, OSError, KeyError):
        ok = False
    finally:
        upload.seek(0)
    if not ok:
        raise ValidationError(_("The content of this file does not match its name."))
