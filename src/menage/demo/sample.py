"""A realistic sample folder to try Ménage on, made on the fly.

It looks like a home folder after a few years: documents and photos, the same
files downloaded twice, an old backup copy of a folder, Office lock files and
thumbnail databases, a browser cache, empty files and folders, and a big video.
Everything is generated (same seed, same bytes): nothing is downloaded.
"""

from __future__ import annotations

import os
import random
import shutil
import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from menage.errors import MenageError
from menage.i18n import N_

YEAR = 365.25 * 86400

_WORDS = (
    "compte rendu réunion budget projet quartier atelier numérique sobriété citoyens "
    "association mairie école collecte réemploi ordinateur téléphone données stockage "
    "messagerie photos famille vacances facture contrat assurance impôts santé travail"
).split()


class DemoFolderNotEmpty(MenageError):
    template = N_("{path} exists and is not empty; choose a new folder or add --force.")


class NotASample(MenageError):
    template = N_(
        "{path} holds {name}, which no sample folder has: --force only replaces a sample "
        "folder made by `menage demo-data`. Nothing was changed."
    )


#: what a sample folder holds at its top; --force replaces nothing else
_TOP = {
    "Documents", "Images", "Bureau", "Téléchargements", "Sauvegarde clé USB 2019", ".cache",
    "Projets", "Musique", "Vidéos",
}  # fmt: skip


@dataclass
class SampleSummary:
    files: int
    bytes: int
    duplicate_files: int


def _text(rng: random.Random, n_words: int) -> bytes:
    lines = []
    for _ in range(max(1, n_words // 12)):
        lines.append(" ".join(rng.choice(_WORDS) for _ in range(12)).capitalize() + ".")
    return ("\n".join(lines) + "\n").encode()


def _png(rng: random.Random, width: int, height: int) -> bytes:
    """A valid PNG with a coloured gradient and noise, like a small photo."""
    r0, g0, b0 = rng.randrange(256), rng.randrange(256), rng.randrange(256)
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            noise = rng.randrange(24)
            rows += bytes(((r0 + x + noise) % 256, (g0 + y + noise) % 256, (b0 + x + y) % 256))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 6))
        + chunk(b"IEND", b"")
    )


def make_sample(
    target: str | os.PathLike[str], seed: int = 2024, force: bool = False, now: float | None = None
) -> SampleSummary:
    """Create the sample folder at ``target``.

    Raises:
        DemoFolderNotEmpty: ``target`` holds files and ``force`` is not set.
        NotASample: ``force`` is set but ``target`` holds what no sample has.
    """
    root = Path(target)
    if root.exists() and any(root.iterdir()):
        if not force:
            raise DemoFolderNotEmpty(path=str(root))
        # never `rm -rf` a folder that is not a sample (`menage demo-data ~ --force`)
        for entry in root.iterdir():
            if entry.name not in _TOP or entry.is_symlink() or not entry.is_dir():
                raise NotASample(path=str(root), name=entry.name)
        shutil.rmtree(root)
    rng = random.Random(seed)
    now = time.time() if now is None else now
    written: list[tuple[Path, float]] = []
    duplicates = 0

    def write(relative: str, data: bytes, age_years: float) -> Path:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append((path, now - age_years * YEAR))
        return path

    documents = {}
    for year in (2019, 2021, 2023, 2025):
        for n in range(6):
            name = f"Documents/{year}/{rng.choice(_WORDS)}-{n + 1}.txt"
            documents[name] = write(name, _text(rng, rng.randrange(200, 3000)), 2026 - year)
        for n in range(2):
            name = f"Documents/{year}/présentation-{n + 1}.pdf"
            body = b"%PDF-1.4\n" + _text(rng, 4000) * rng.randrange(20, 60)
            documents[name] = write(name, body, 2026 - year)
    photos = []
    for n in range(24):
        name = f"Images/Vacances 2023/IMG_{1000 + n}.png"
        photos.append(write(name, _png(rng, rng.randrange(120, 260), rng.randrange(90, 200)), 2.5))
    # the same photos copied to the desktop and downloaded again
    for path in photos[:8]:
        write(f"Bureau/photos à trier/{path.name}", path.read_bytes(), 1)
        duplicates += 1
    for path in list(documents.values())[:10]:
        copy = f"Téléchargements/{path.stem} (1){path.suffix}"
        write(copy, path.read_bytes(), 0.5)
        duplicates += 1
    # an old backup of a whole folder, forgotten
    for path in (root / "Documents" / "2019").iterdir():
        write(f"Sauvegarde clé USB 2019/Documents 2019/{path.name}", path.read_bytes(), 6)
        duplicates += 1
    # temporary and cache files
    write("Documents/2025/~$budget-1.docx", b"\x00" * 162, 0.1)
    write("Documents/2025/.~lock.budget-1.odt#", b"user,host,2025\n", 0.1)
    write("Images/Vacances 2023/Thumbs.db", bytes(rng.randrange(256) for _ in range(40000)), 2)
    write("Images/.DS_Store", bytes(rng.randrange(256) for _ in range(6148)), 2)
    write("Téléchargements/installeur.exe.crdownload", b"\x7f" * 250_000, 0.2)
    for n in range(30):
        write(f".cache/navigateur/Cache_Data/f_{n:06x}", _text(rng, 300) * 20, 0.3)
    write("Documents/brouillon.txt~", _text(rng, 200), 1)
    # empty files and folders
    write("Documents/notes vides.txt", b"", 1)
    write("Bureau/nouveau document.txt", b"", 0.2)
    (root / "Projets/ancien projet/vide").mkdir(parents=True, exist_ok=True)
    (root / "Musique").mkdir(parents=True, exist_ok=True)
    # one big video and its copy
    video = bytes(rng.randrange(256) for _ in range(4096)) * 5000
    write("Vidéos/anniversaire.mp4", video, 4)
    write("Téléchargements/anniversaire.mp4", video, 1)
    duplicates += 1
    for path, mtime in written:
        os.utime(path, (mtime, mtime))
    total = sum(path.stat().st_size for path, _mtime in written)
    return SampleSummary(files=len(written), bytes=total, duplicate_files=duplicates)
