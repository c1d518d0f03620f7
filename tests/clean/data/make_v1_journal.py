"""Make a cleanup run with the Ménage that writes journal format 1, for the upgrade tests.

Journal format 1 is what Ménage wrote up to commit ``V1_COMMIT`` (below). This script
drives that version through its command line only (``python -m menage``: scan, plan,
apply), so whatever the version on ``PYTHONPATH`` is writes the journal and moves the
files, exactly as a user's run did::

    git archive V1_COMMIT src | tar -x -C /tmp/v1          # the v1 code
    PYTHONPATH=/tmp/v1/src python tests/clean/data/make_v1_journal.py WORK [--copy OUT]

It makes ``WORK/tree`` (duplicates, one of them as a hardlink action, a temporary
file, an empty folder), cleans it with ``MENAGE_HOME=WORK/home``, and prints the
version of the journal it left. ``--copy OUT`` also writes a self-contained copy of
the journal (no WAL file beside it) to OUT: that is how ``v1-journal.sqlite``, kept
beside this script, was made (``--copy tests/clean/data/v1-journal.sqlite``).

``tests/clean/test_journal_upgrade.py`` runs it on the v1 code taken from git, then
undoes and purges that run with the current code.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

V1_COMMIT = "013499e"
#: the last commit writing format 2 (an action's path required): the same script, run
#: on that code, made ``v2-journal.sqlite`` (``--copy tests/clean/data/v2-journal.sqlite``)
V2_COMMIT = "98d5df1"
OLD = 1_500_000_000


def write(path: Path, content: bytes, mtime: int, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.chmod(path, mode)
    os.utime(path, (mtime, mtime))


def make_tree(tree: Path) -> None:
    write(tree / "docs" / "report.pdf", b"R" * 5000, OLD)
    write(tree / "downloads" / "report.pdf", b"R" * 5000, OLD + 100, 0o600)
    write(tree / "backup" / "report-copy.pdf", b"R" * 5000, OLD + 200)
    write(tree / "photos" / "cat.jpg", b"C" * 3000, OLD + 50)
    write(tree / "photos" / "cat (1).jpg", b"C" * 3000, OLD + 60)
    write(tree / "docs" / "notes.txt~", b"backup of notes", OLD)
    write(tree / "docs" / "unique.txt", b"unique content", OLD)
    (tree / "old project" / "nothing").mkdir(parents=True)


def menage(home: Path, *args: str) -> None:
    env = dict(os.environ, MENAGE_HOME=str(home), LANGUAGE="en", LC_ALL="C.UTF-8")
    done = subprocess.run(
        [sys.executable, "-m", "menage", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"menage {' '.join(args)} failed ({done.returncode}): {done.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("work", type=Path, help="an empty folder to work in")
    parser.add_argument("--copy", type=Path, help="also copy the journal, self-contained")
    args = parser.parse_args()
    work: Path = args.work.resolve()
    tree, home = work / "tree", work / "home"
    make_tree(tree)
    menage(home, "scan", str(tree), "--json")
    plan = work / "plan.jsonl"
    menage(home, "plan", "--duplicates", "--temp", "--empty", "-o", str(plan))
    # one duplicate as a hardlink: its original stays linked in the quarantine
    cat = str(tree / "photos" / "cat (1).jpg")
    text = plan.read_text()
    marker = '"action": "quarantine", "path": "' + cat
    if marker not in text:
        marker = '"action": "quarantine", "path": "' + str(tree / "photos" / "cat.jpg")
    plan.write_text(text.replace(marker, marker.replace("quarantine", "hardlink", 1)))
    menage(home, "apply", str(plan), "--yes")
    journal = home / "journal.sqlite"
    db = sqlite3.connect(journal)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if args.copy is not None:
        args.copy.unlink(missing_ok=True)
        out = sqlite3.connect(args.copy)
        db.backup(out)
        out.execute("PRAGMA journal_mode=DELETE")
        out.close()
    db.close()
    print(version)


if __name__ == "__main__":
    main()
