"""Run czkawka's similar-image search (PyPI ``czkawka``, Python bindings of czkawka_core)
on a folder, in its own venv; print JSON on stdout.

    python photos_czkawka.py FOLDER SIMILARITY

czkawka keeps a hash cache in the user's cache folder: each run gets an empty one (a
fresh ``XDG_CACHE_HOME``), so the time is a first run's, like Ménage's fresh cache.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time


def main() -> None:
    folder, similarity = sys.argv[1], int(sys.argv[2])
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache
        os.environ["HOME"] = cache
        from czkawka import ImageSimilarity  # type: ignore[import-not-found]

        start = time.perf_counter()
        finder = ImageSimilarity()
        finder.set_directories([folder])
        finder.set_similarity(similarity)
        groups = finder.find_similar()
        seconds = time.perf_counter() - start
    json.dump(
        {"seconds": seconds, "groups": [[os.path.basename(str(p)) for p in g] for g in groups]},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
