"""What a file is, by its name: category, temporary or cache file.

The list of temporary and cache files is deliberately conservative: each entry is
something its own program recreates or never needs again (lock files of closed
documents, thumbnail databases, partial downloads, caches). It is documented in the
README; anything Ménage flags is moved to a quarantine, never deleted, and a plan
can always be edited before it is applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from menage.i18n import N_

CATEGORIES = ("documents", "images", "video", "audio", "archives", "code", "other")

CATEGORY_LABELS = {
    "documents": N_("Documents"),
    "images": N_("Images"),
    "video": N_("Video"),
    "audio": N_("Audio"),
    "archives": N_("Archives and disk images"),
    "code": N_("Code"),
    "other": N_("Other"),
}

_EXTENSIONS = {
    "documents": "pdf doc docx odt ott rtf txt md tex xls xlsx ods csv ppt pptx odp key pages "
    "numbers epub mobi djvu xps eml msg mbox vcf ics log",
    "images": "jpg jpeg png gif bmp tif tiff webp heic heif avif svg ico psd xcf ai eps raw "
    "cr2 cr3 nef arw dng orf rw2 raf",
    "video": "mp4 m4v mov avi mkv wmv flv webm mpg mpeg 3gp mts m2ts vob ogv",
    "audio": "mp3 wav flac ogg oga opus m4a aac wma aiff aif mid midi",
    "archives": "zip tar gz tgz bz2 tbz xz txz zst 7z rar iso img dmg vmdk vdi qcow2 cab "
    "deb rpm apk jar war",
    "code": "py pyc js mjs ts tsx jsx c h cc cpp hpp java kt go rs rb php pl sh bash zsh "
    "html htm css scss sass less json yml yaml toml ini cfg xml sql ipynb r swift cs vue",
}
_CATEGORY_OF = {
    ext.encode(): category for category, exts in _EXTENSIONS.items() for ext in exts.split()
}


def category(name: bytes) -> str:
    """The category of a file from its extension."""
    dot = name.rfind(b".")
    if dot <= 0:
        return "other"
    return _CATEGORY_OF.get(name[dot + 1 :].lower(), "other")


@dataclass(frozen=True)
class TempRule:
    kind: str
    pattern: str
    description: str


#: name patterns (shell-style, matched on the file name, case-insensitive)
TEMP_NAME_RULES = (
    TempRule("office-lock", "~$*", N_("Microsoft Office owner file of an open document")),
    TempRule("office-lock", ".~lock.*#", N_("LibreOffice lock file")),
    TempRule("thumbnail-db", "Thumbs.db", N_("Windows thumbnail cache")),
    TempRule("thumbnail-db", "ehthumbs*.db", N_("Windows Media Center thumbnail cache")),
    TempRule("system", ".DS_Store", N_("macOS folder view settings")),
    TempRule("temporary", "*.tmp", N_("temporary file")),
    TempRule("temporary", "*.temp", N_("temporary file")),
    TempRule("editor-backup", "*~", N_("editor backup copy")),
    TempRule("editor-backup", "*.bak", N_("backup copy made by a program")),
    TempRule("editor-backup", "*.swp", N_("Vim swap file")),
    TempRule("editor-backup", "*.swo", N_("Vim swap file")),
    TempRule("editor-backup", "#*#", N_("Emacs auto-save file")),
    TempRule("partial-download", "*.crdownload", N_("unfinished Chrome download")),
    TempRule("partial-download", "*.part", N_("unfinished Firefox download")),
    TempRule("partial-download", "*.partial", N_("unfinished download")),
    TempRule("crash-dump", "*.dmp", N_("crash dump")),
    TempRule("bytecode", "*.pyc", N_("compiled Python, rebuilt on demand")),
    TempRule("bytecode", "*.pyo", N_("compiled Python, rebuilt on demand")),
)

#: folder names (or name/name) whose whole content is a cache, matched anywhere in the path
TEMP_DIR_RULES = (
    TempRule("cache", ".cache", N_("application cache (XDG cache folder)")),
    TempRule("cache", "__pycache__", N_("compiled Python, rebuilt on demand")),
    TempRule("thumbnail-db", ".thumbnails", N_("thumbnail cache")),
    TempRule("cache", "cache2", N_("Firefox cache")),
    TempRule("cache", "Code Cache", N_("browser code cache")),
    TempRule("cache", "GPUCache", N_("browser GPU cache")),
    # Chrome's and Chromium's disk cache sits in the profile as plain "Cache": only the
    # default profile's path is certain enough (a folder of one's own may be "Cache")
    TempRule("cache", "Default/Cache", N_("Chrome or Chromium cache")),
    TempRule("cache", "Default/Service Worker/CacheStorage", N_("browser service worker cache")),
    TempRule("cache", "INetCache", N_("Windows internet cache")),
    TempRule("cache", "Temporary Internet Files", N_("Windows internet cache")),
)


def _glob_to_regex(pattern: str) -> str:
    out = []
    for char in pattern:
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(char))
    return "".join(out)


_NAME_RE = re.compile(
    "|".join(
        f"(?P<n{n}>{_glob_to_regex(r.pattern)})" for n, r in enumerate(TEMP_NAME_RULES)
    ).encode(),
    re.IGNORECASE | re.DOTALL,
)
_DIR_NAMES = [(b"/" + r.pattern.encode() + b"/", r) for r in TEMP_DIR_RULES]
#: whether any folder rule can match: one search for most folders, which match none
_ANY_DIR = re.compile(b"|".join(re.escape(needle) for needle, _rule in _DIR_NAMES))


def name_temp_kind(path: bytes) -> TempRule | None:
    """The name rule matching the last component of ``path``, if any."""
    match = _NAME_RE.fullmatch(path, path.rfind(b"/") + 1)
    if match is None or match.lastgroup is None:
        return None
    return TEMP_NAME_RULES[int(match.lastgroup[1:])]


def folder_temp_kind(folder: bytes) -> TempRule | None:
    """The folder rule making everything inside ``folder`` a cache, if any."""
    folder = folder + b"/"
    if _ANY_DIR.search(folder) is None:
        return None
    for needle, rule in _DIR_NAMES:
        if needle in folder:
            return rule
    return None
