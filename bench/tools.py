"""The duplicate finders compared, each in its report-only mode, and how to read its report.

Every command runs inside the corpus folder on the relative path ``tree`` (as in the research
that measured the peers), so the tools see the same paths. ``{out}`` is the report file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Debian package of each peer (``make bench`` installs them when it runs as root)
DEBIAN_PACKAGES = ("jdupes", "rdfind", "fdupes", "rmlint", "duff")
#: where ``make bench`` installs fclones (``cargo install``; git-ignored, never committed)
FCLONES_VERSION = "0.35.0"
BENCH_TOOLS = Path(__file__).resolve().parent / "tools" / "bin"


@dataclass(frozen=True)
class Tool:
    """One way of running one duplicate finder."""

    name: str
    #: argv; "{out}" is replaced by the report path, "{index}" by Ménage's index path
    argv: tuple[str, ...]
    #: parser name in bench.parsers.PARSERS (None: the output is not a duplicate report)
    format: str | None
    #: the report is the command's stdout (else the command writes "{out}" itself)
    stdout_report: bool = True
    #: what a user should know when reading this tool's row
    note: str = ""
    #: a peer (counts for "the fastest peer"), or Ménage / a reference floor
    peer: bool = True

    @property
    def program(self) -> str:
        return self.argv[0]


def menage_program() -> str:
    """The ``menage`` installed next to the Python running the bench (the project's .venv)."""
    beside = Path(sys.executable).parent / "menage"
    if beside.exists():
        return str(beside)
    return shutil.which("menage") or "menage"


def fclones_program() -> str:
    """fclones from the bench's own folder (``make bench`` builds it), else from PATH."""
    local = BENCH_TOOLS / "fclones"
    if local.exists():
        return str(local)
    return shutil.which("fclones") or str(local)


def peer_tools() -> list[Tool]:
    hidden_note = "skips hidden files by default"
    fclones = fclones_program()
    return [
        Tool("jdupes", ("jdupes", "-r", "-q", "-0", "tree"), "nul-groups"),
        Tool(
            "rdfind",
            ("rdfind", "-dryrun", "true", "-outputname", "{out}", "tree"),
            "rdfind",
            stdout_report=False,
        ),
        Tool("fdupes", ("fdupes", "-r", "-q", "tree"), "blank-lines"),
        Tool("duff", ("duff", "-r", "-0", "tree"), "duff-nul", note=hidden_note),
        Tool("duff -a", ("duff", "-r", "-a", "-0", "tree"), "duff-nul"),
        Tool(
            "rmlint",
            ("rmlint", "-T", "df", "-o", "json:{out}", "tree"),
            "rmlint-json",
            stdout_report=False,
            note=hidden_note,
        ),
        Tool(
            "rmlint --hidden",
            ("rmlint", "-T", "df", "--hidden", "-o", "json:{out}", "tree"),
            "rmlint-json",
            stdout_report=False,
        ),
        Tool(
            "fclones",
            (fclones, "group", "-f", "json", "-o", "{out}", "tree"),
            "fclones-json",
            stdout_report=False,
            note="skips hidden files and .gitignore'd ones by default",
        ),
        Tool(
            "fclones --hidden",
            (fclones, "group", "--hidden", "--no-ignore", "-f", "json", "-o", "{out}", "tree"),
            "fclones-json",
            stdout_report=False,
        ),
    ]


def _menage_scan(name: str, note: str) -> Tool:
    """``menage scan tree --json`` with the index the bench gives the tool."""
    argv = (menage_program(), "scan", "tree", "--json", "--index", "{index}")
    return Tool(name, argv, "menage-json", note=note, peer=False)


def menage_tool() -> Tool:
    return _menage_scan("menage", "fresh index each run")


def menage_rescan_tool() -> Tool:
    return _menage_scan("menage rescan", "unchanged tree, same index")


def menage_rescan_later_tool() -> Tool:
    return _menage_scan(
        "menage rescan later",
        "unchanged tree, index of a scan dated 30 days back: files crossed --older-than",
    )


def find_floor_tool() -> Tool:
    return Tool(
        "find -printf",
        ("find", "tree", "-printf", "%s %i %T@\\n"),
        None,
        note="walk-and-stat floor",
        peer=False,
    )


#: readers of the read floor, as many as Ménage's with ``--disk ssd --threads 16``
READ_FLOOR_READERS = 16


def read_floor_tool() -> Tool:
    """Every byte of every regular file read once, by 16 ``cat`` at a time: what the disk
    gives at this tree's scale, read cold (``--cold``). Not a bound on Ménage, which reads
    only the files that share a size, and their heads first."""
    command = (
        f"find tree -type f -print0 | xargs -0 -r -P {READ_FLOOR_READERS} -n 2000 cat > /dev/null"
    )
    note = f"every file read once, {READ_FLOOR_READERS} readers"
    return Tool("read floor", ("sh", "-c", command), None, note=note, peer=False)


def available(tool: Tool) -> bool:
    return shutil.which(tool.program) is not None or Path(tool.program).exists()


def is_fclones(tool: Tool) -> bool:
    return Path(tool.program).name == "fclones"


def version_of(program: str) -> str:
    """The version line a tool prints about itself (best effort, for the record)."""
    for flag in ("--version", "-v", "-V"):
        try:
            done = subprocess.run(
                [program, flag], capture_output=True, timeout=10, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.TimeoutExpired):
            return "?"
        text = (done.stdout or done.stderr).decode("utf-8", "replace").strip()
        if done.returncode == 0 and text:
            return text.splitlines()[0]
    return "?"


def debian_version(package: str) -> str:
    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.decode().strip() if done.returncode == 0 else ""
