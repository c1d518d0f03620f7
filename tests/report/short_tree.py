"""A home folder like the one the short report was made for (about 300 files): a
project folder copied whole to a backup, part of it copied again to a USB stick, an
archive of old files in year folders, downloads, a cache, photos."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

OLD = time.time() - 8 * 365.25 * 86400
RECENT = time.time() - 30 * 86400


def _write(path: Path, data: bytes, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))


def make_tree(root: Path, seed: int = 17) -> Path:
    rng = random.Random(seed)

    def blob(low: int, high: int) -> bytes:
        return rng.randbytes(rng.randint(low, high))

    projects = root / "Documents" / "Projets"
    for year in (2021, 2022, 2023, 2024, 2025):
        for n in range(10):
            data = blob(2_000, 120_000)
            name = f"{year}/compte-rendu-{n:02}.odt"
            _write(projects / name, data, RECENT)
            # the whole folder copied to a backup: the same names and contents
            _write(root / "Sauvegarde 2019" / "Projets" / name, data, RECENT)
            if year == 2022 and n < 6:
                # and part of one year copied again to a USB stick
                _write(root / "Clé USB" / f"compte-rendu-{n:02}.odt", data, RECENT)
    # an archive of old files in year folders, two subfolders each
    for year in range(2010, 2016):
        for part in ("courriers", "factures"):
            for n in range(10):
                _write(
                    root / "Archives" / str(year) / part / f"{part}-{n:02}.pdf",
                    blob(1_000, 40_000),
                    OLD - rng.randint(0, 400) * 86400,
                )
    downloads = root / "Téléchargements"
    for n in range(8):
        _write(downloads / f"document-{n}.pdf", blob(5_000, 60_000), RECENT)
    report = (projects / "2024" / "compte-rendu-03.odt").read_bytes()
    _write(downloads / "compte-rendu-03 (1).odt", report, RECENT)
    _write(downloads / "installeur.exe.part", blob(50_000, 80_000), RECENT)
    for n in range(30):
        _write(
            root / ".cache" / "navigateur" / "Cache_Data" / f"f_{n:06}", blob(500, 9_000), RECENT
        )
    for n in range(40):
        _write(root / "Images" / "Vacances" / f"IMG_{n:04}.jpg", blob(30_000, 200_000), RECENT)
    _write(root / "Images" / "Thumbs.db", blob(3_000, 4_000), RECENT)
    _write(root / "Documents" / "~$budget.docx", b"lock", RECENT)
    _write(root / "Vidéos" / "film.mp4", blob(2_000_000, 2_000_000), RECENT)
    return root
