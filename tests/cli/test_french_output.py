"""The main commands, run in French on a small tree, speak French: no English word is left and
every « : » has its non-breaking space.

Each command runs as a subprocess with ``--lang fr`` (help texts are translated when the
modules are imported). Paths, command names, option names, JSON keys and factor keys are
taken out before the words are read.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

LANGUAGE_VARIABLES = ("MENAGE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
NBSP = "\u00a0"
NNBSP = "\u202f"

# Words that are English and not French: one of them in French output is a message left
# untranslated. Words spelt the same in both languages (plan, message, total, date, type,
# action, options, note, source, code…) are not in it.
ENGLISH = set(
    """
    the and of with from to for in by at is are was were be been will would can cannot
    this that these those not nothing none no yes all any each every more less than older
    larger file files folder folders found done skipped failed size scanned duplicate
    duplicates copy kept keep moved removed deleted freed space disk run runs back
    put left read written report cleanup restored quarantined empty temporary reclaimable
    biggest largest oldest newest groups item items bytes byte days day years year
    months month weeks week hours hour error warning show exit help default which
    what when where why how your you it its their there here use used using per mail mails
    sent received storage devices device manufacturing electricity water avoided estimate
    old big new first last between only also already still yet then now
    """.split()
)
# English words a French output may hold, with the reason
ALLOWED = {
    "mail": "« boîte mail » and « mail » are French too",
    "box": "« box internet », the French name of the device",
    "oldest": "a --keep rule, typed as such",
    "newest": "a --keep rule, typed as such",
    "duplicates": "a finding's id for --pick (duplicates/3), typed as such",
}

_STRIP = (
    re.compile(r"(?:/[^\s:,;)»\"']+)+/?"),  # paths and URL paths
    re.compile(r"https?://\S+"),
    re.compile(r"`[^`]*`"),  # commands quoted in messages
    re.compile(r"'[^'\n]*'"),  # values to type: --keep 'in DOSSIER'
    re.compile(r"\bmenage(?: [a-z-]+)*"),  # command lines
    re.compile(r"(?<!\w)--?[a-z][\w-]*(?:\s[A-ZÉ]+\b)?"),  # option names and metavars
    re.compile(r"\d[\s\u00a0\u202f]*(?:To|Go|Mo|ko)\b"),  # « 1 924 To » is not "to"
    re.compile(r"Digital Cleanup Day"),  # a proper name
    re.compile(r"\b\w*[_\d]\w*\b"),  # factor keys, ids, numbers
    re.compile(r"\[[^\]]*\]"),  # [x>=0], [par défaut : …]
)


def english_words(text: str) -> set[str]:
    for pattern in _STRIP:
        text = pattern.sub(" ", text)
    words = {word.lower() for word in re.findall(r"[^\W\d_]+", text)}
    return {word for word in words if word in ENGLISH and word not in ALLOWED}


def colon_mistakes(text: str) -> list[str]:
    """Lines with an ordinary (or no) space before a clause-ending « : » or before ; ! ?."""
    text = re.sub(r"https?://\S+|[A-Za-z]:\\\S*", " ", text)
    wrong = []
    for line in text.splitlines():
        if re.search(r"[^\u00a0\"]:(?=\s|$)", line) or re.search(r"[^\u202f][;!?](?=\s|$)", line):
            wrong.append(line)
    return wrong


def test_checkers_see_english_and_bad_spaces():
    assert english_words("3 fichiers were skipped in /tmp/the/files") == {"were", "skipped", "in"}
    assert english_words("menage scan --older-than DURÉE `menage undo 3` dup_1 [x>=0]") == set()
    assert colon_mistakes("Erreur : non\nFin\u00a0: oui\nVraiment ?\nhttp://a:80/ ok") == [
        "Erreur : non",
        "Vraiment ?",
    ]


@pytest.fixture
def french(tmp_path, menage_home):
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    env.update(COLUMNS="100", MENAGE_HOME=str(menage_home))

    def run(*args: str | Path, ok: tuple[int, ...] = (0,)) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "menage", "--lang", "fr", *map(str, args)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )
        assert out.returncode in ok, (args, out.stdout, out.stderr)
        return out.stdout + out.stderr

    return run


def small_tree(root: Path) -> Path:
    tree = root / "arbre"
    (tree / "photos").mkdir(parents=True)
    (tree / "copies").mkdir()
    for name in ("photos/vacances.jpg", "copies/vacances.jpg", "copies/vacances (2).jpg"):
        (tree / name).write_bytes(b"P" * 300_000)
    (tree / "vieux.txt").write_text("ancien\n" * 2000)
    old = time.time() - 5 * 365 * 86400
    os.utime(tree / "vieux.txt", (old, old))
    (tree / "brouillon.tmp").write_bytes(b"t" * 100)
    (tree / "vide.txt").write_bytes(b"")
    return tree


MBOX = """From alice@example.org Mon Jan  1 00:00:00 2018
From: Alice <alice@example.org>
To: bob@example.org
Subject: Bonjour
Date: Mon, 1 Jan 2018 10:00:00 +0000
Message-ID: <1@example.org>

Bonjour Bob.

From news@example.com Tue Jan  2 00:00:00 2024
From: Lettre <news@example.com>
To: bob@example.org
Subject: Les nouvelles
Date: Tue, 2 Jan 2024 10:00:00 +0000
Message-ID: <2@example.com>
List-Unsubscribe: <https://example.com/desabonner>

Les nouvelles de la semaine.
"""


@pytest.mark.slow
def test_main_commands_speak_french(tmp_path, french):
    tree = small_tree(tmp_path)
    mbox = tmp_path / "boite.mbox"
    mbox.write_text(MBOX)
    plan = tmp_path / "plan.json"
    outputs = {
        "scan": french("scan", tree),
        "plan": french("plan", "--duplicates", "--temp", "--older-than", "3a", "-o", plan),
        # the plan's comments (its lines are JSON, with English keys)
        "plan-file": "\n".join(
            line for line in plan.read_text(encoding="utf-8").splitlines() if line.startswith("#")
        ),
        "apply": french("apply", plan, "--yes"),
        "history": french("history"),
    }
    # a new file now stands where a quarantined copy was: undo puts it beside, in French
    moved = next(
        path
        for path in (tree / "copies" / "vacances.jpg", tree / "copies" / "vacances (2).jpg")
        if not path.exists()
    )
    moved.write_bytes(b"nouveau")
    outputs["undo"] = french("undo", "--yes")
    beside = moved.with_name(f"{moved.stem} (restauré){moved.suffix}")
    assert beside.read_bytes() == b"P" * 300_000 and moved.read_bytes() == b"nouveau"
    assert f"{beside}" in outputs["undo"]
    outputs |= {
        "scan-again": french("scan", tree),
        "plan-again": french("plan", "--duplicates", "-o", plan),
        "apply-again": french("apply", plan, "--yes"),
        "purge": french("purge", "--all", "--dry-run"),
        "purge-older": french("purge", "--older-than", "30j", "--dry-run"),
        "impact": french("impact", "--storage", "10GB", "--keep-phone", "1a", "--streaming", "2h"),
        "mail": french("mail", "analyse", mbox),
        # the factors' descriptions (their sources and references are citations, as published)
        "impact-sources": "\n".join(
            line
            for line in french("impact", "--sources").splitlines()
            if not line.startswith(("  source", "  référence"))
        ),
        "bad-age": french("plan", "--older-than", "bientôt", ok=(2,)),
    }
    for command in (
        [],
        ["scan"],
        ["plan"],
        ["apply"],
        ["undo"],
        ["purge"],
        ["history"],
        ["scans"],
        ["impact"],
        ["mail"],
        ["mail", "analyse"],
        ["mail", "clean"],
        ["photos"],
        ["clean"],
        ["demo-data"],
    ):
        outputs[" ".join(["help", *command])] = french(*command, "--help")

    english = {
        name: [line for line in text.splitlines() if english_words(line)]
        for name, text in outputs.items()
        if english_words(text)
    }
    assert not english, "\n".join(f"{name}: {lines}" for name, lines in english.items())
    spaces = {name: found for name, text in outputs.items() if (found := colon_mistakes(text))}
    assert not spaces, spaces
    # the things people read, as French writes them
    assert "1er" not in outputs["scan"] or "1er " in outputs["scan"]
    assert "5\u00a0ans" in outputs["scan"] or "3\u00a0ans" in outputs["scan"]
