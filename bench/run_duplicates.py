#!/usr/bin/env python3
"""Benchmark: Ménage and the peer duplicate finders on the generated corpus.

    python bench/run_duplicates.py                 # 200,000 files, every tool, 1 warm-up + 5 runs
    python bench/run_duplicates.py --million       # memory check on 1,000,000 files
    python bench/run_duplicates.py --help

What is measured and how to read it: bench/README.md.
"""

import sys
from pathlib import Path

if not __package__:  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.duplicates_bench import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
