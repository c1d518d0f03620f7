"""Benchmarks of Ménage against the peers (not part of the installed package).

Run ``make bench`` or ``python bench/run_duplicates.py --help``; see ``bench/README.md``.
"""
