#!/usr/bin/env python3
"""Benchmark: Ménage's photo analysis and imagededup's PHash, side by side.

    python bench/run_photos.py            # labelled set + 48 JPEGs of 12 MP, 2 runs
    python bench/run_photos.py --help

What is measured and how to read it: bench/README.md, "Photos".
"""

import sys
from pathlib import Path

if not __package__:  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.photos_bench import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
