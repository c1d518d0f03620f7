"""Ménage and the peer duplicate finders side by side on the generated corpus.

Every tool runs in one sitting, round-robin (one warm-up round, then the counted rounds), on a
warm page cache; each run is measured from outside (wall clock, and the child's own rusage for
the peak memory), and each tool's report is scored against the corpus ground truth by inode.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

from bench.environment import (
    BENCH_DIR,
    DEFAULT_FILES,
    DROP_CACHES,
    CorpusError,
    CorpusSpec,
    can_drop_caches,
    drop_caches,
    ensure_corpus,
    git_commit,
    machine,
    prime_page_cache,
)
from bench.measure import run_measured
from bench.parsers import PARSERS, parse_blank_line_groups, read_menage_json
from bench.report import (
    CROSSED,
    LINEAR_RATIO,
    Reference,
    ToolResult,
    as_json,
    markdown_table,
    rows,
    targets,
    targets_text,
    text_table,
)
from bench.scoring import Truth, load_truth, score
from bench.tools import (
    DEBIAN_PACKAGES,
    Tool,
    available,
    debian_version,
    find_floor_tool,
    is_fclones,
    menage_rescan_later_tool,
    menage_rescan_tool,
    menage_tool,
    peer_tools,
    read_floor_tool,
    version_of,
)

MILLION_SPEC = CorpusSpec(files=1_000_000, size_scale=0.1, large=0)
MILLION_TOOLS = "jdupes,fclones-hidden,menage,menage-rescan,menage-rescan-later,find"
#: ten million files: the memory and linearity check, Ménage and the two floors only
#: (jdupes would take most of an hour); sizes scaled down so that the tree fits the disk
TEN_MILLION_SPEC = CorpusSpec(files=10_000_000, size_scale=0.01, large=0)
TEN_MILLION_TOOLS = "menage,find,read-floor"


def slug(tool: Tool) -> str:
    """``rmlint --hidden`` -> ``rmlint-hidden``: the name ``--tools`` takes."""
    return re.sub(r"[\s-]+", "-", tool.name.replace("-printf", "")).strip("-")


def all_tools() -> list[Tool]:
    return [
        *peer_tools(),
        menage_tool(),
        menage_rescan_tool(),
        menage_rescan_later_tool(),
        find_floor_tool(),
        read_floor_tool(),
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    names = ", ".join(slug(t) for t in all_tools())
    ap = argparse.ArgumentParser(
        prog="bench/run_duplicates.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Results: a table on stdout, and JSON + Markdown in --out. See bench/README.md.",
    )
    ap.add_argument("--corpus", type=Path, help="corpus folder (default: bench/data/corpus...)")
    ap.add_argument("--files", type=int, help=f"corpus size in files (default {DEFAULT_FILES})")
    ap.add_argument("--size-scale", type=float, help="corpus file size factor (default 1.0)")
    ap.add_argument("--large", type=int, help="number of 50-200 MB files slots in the corpus")
    ap.add_argument("--seed", type=int, help="corpus seed (default: the generator's)")
    ap.add_argument(
        "--million",
        action="store_true",
        help="the memory check: 1,000,000 files (--size-scale 0.1 --large 0), tools"
        f" {MILLION_TOOLS}, one run, no warm-up (each can still be given)",
    )
    ap.add_argument(
        "--ten-million",
        action="store_true",
        help="the scale check: 10,000,000 files (--size-scale 0.01 --large 0; about 50 GB"
        f" and 10.5 million inodes, 40 minutes to make), tools {TEN_MILLION_TOOLS}, one run",
    )
    ap.add_argument("--tools", help=f"comma-separated subset of: {names} (default: all)")
    ap.add_argument("--runs", type=int, help="counted runs of each tool (default 5)")
    ap.add_argument("--warmup", type=int, help="warm-up runs, not counted (default 1)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds before a run is killed")
    ap.add_argument("--out", type=Path, default=BENCH_DIR / "out", help="where results go")
    ap.add_argument("--no-prime", action="store_true", help="do not read the corpus first")
    ap.add_argument(
        "--cold",
        action="store_true",
        help="empty the kernel's caches before every run (needs root), so that each tool reads"
        " the tree from the disk; the default with --ten-million, whose tree the page cache"
        " cannot hold",
    )
    ap.add_argument(
        "--menage-args",
        default="",
        metavar="ARGS",
        help='options added to each timed `menage scan`, e.g. "--disk ssd --threads 16"'
        " (a virtual disk that says it is rotational, read cold)",
    )
    ap.add_argument(
        "--linear-against",
        type=Path,
        metavar="RESULTS.json",
        help="a results file of a smaller run of the same size scale (and --cold alike): the"
        " time a file must not grow by more than"
        f' {LINEAR_RATIO}x from it ("time growing linearly")',
    )
    ap.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    args = ap.parse_args(argv)
    if args.million and args.ten_million:
        ap.error("--million and --ten-million are two different corpora: choose one")
    # a scale check picks its corpus, its tools and one run; the default, every tool
    if args.ten_million:
        base, preset_tools = TEN_MILLION_SPEC, TEN_MILLION_TOOLS
    elif args.million:
        base, preset_tools = MILLION_SPEC, MILLION_TOOLS
    else:
        base, preset_tools = CorpusSpec(), None
    big = preset_tools is not None
    corpus_args = (args.files, args.size_scale, args.large, args.seed)
    # --corpus alone takes the corpus as it is; with corpus arguments it must match them
    args.check_spec = args.corpus is None or big or any(a is not None for a in corpus_args)
    args.spec = CorpusSpec(
        files=args.files if args.files is not None else base.files,
        size_scale=args.size_scale if args.size_scale is not None else base.size_scale,
        large=args.large if args.large is not None else base.large,
        seed=args.seed,
    )
    if args.tools is None:
        args.tools = preset_tools or names.replace(" ", "")
    if args.runs is None:
        args.runs = 1 if big else 5
    if args.warmup is None:
        args.warmup = 0 if big else 1
    if args.runs < 1 or args.warmup < 0:
        ap.error("--runs must be >= 1 and --warmup >= 0")
    args.cold = args.cold or args.ten_million
    if args.cold and not can_drop_caches():
        ap.error(f"a cold run empties the kernel's caches: it needs root to write {DROP_CACHES}")
    args.reference = None
    if args.linear_against is not None:
        try:
            args.reference = Reference.load(args.linear_against)
        except (OSError, ValueError, KeyError) as error:
            ap.error(f"--linear-against {args.linear_against}: {error}")
        why = args.reference.unlike(args.spec, args.cold, args.menage_args)
        if why:
            ap.error(f"--linear-against {args.linear_against}: {why}")
    return args


def with_menage_args(tool: Tool, extra: str) -> Tool:
    """``tool`` with ``extra`` options when it is a ``menage scan`` (said in its note)."""
    if not extra or not tool.name.startswith("menage"):
        return tool
    return replace(tool, argv=(*tool.argv, *shlex.split(extra)), note=f"{tool.note}; {extra}")


def select_tools(wanted: str) -> list[Tool]:
    by_slug = {slug(t): t for t in all_tools()}
    chosen: list[Tool] = []
    for name in (n.strip() for n in wanted.split(",") if n.strip()):
        if name not in by_slug:
            raise SystemExit(f"unknown tool {name!r}; choose among {', '.join(by_slug)}")
        chosen.append(by_slug[name])
    return chosen


@dataclass(frozen=True)
class Workspace:
    """Where one bench run keeps the tools' reports and Ménage's state."""

    raw: Path
    env: dict[str, str]

    @classmethod
    def create(cls, out: Path) -> Workspace:
        raw = out / "raw"
        if raw.exists():
            shutil.rmtree(raw)
        (raw / "menage-home").mkdir(parents=True)
        env = dict(os.environ, MENAGE_HOME=str(raw / "menage-home"), MENAGE_LANG="en")
        return cls(raw, env)

    def report(self, tool: Tool) -> Path:
        return self.raw / f"{slug(tool)}.report"

    def index(self, tool: Tool) -> Path:
        return self.raw / f"{slug(tool)}.sqlite"

    def argv(self, tool: Tool) -> list[str]:
        out, index = str(self.report(tool)), str(self.index(tool))
        return [a.replace("{out}", out).replace("{index}", index) for a in tool.argv]

    def drop_index(self, tool: Tool) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self.index(tool)) + suffix).unlink(missing_ok=True)


def measure_all(
    tools: list[Tool],
    ws: Workspace,
    corpus: Path,
    runs: int,
    warmup: int,
    timeout: float,
    cold: bool = False,
) -> list[ToolResult]:
    """Round-robin: every tool once per round, so drift of the machine hits them alike.

    ``cold``: the kernel's caches are emptied just before each run (after its untimed
    preparation), so that every run reads the tree from the disk.
    """
    results = [ToolResult(tool) for tool in tools]
    total = warmup + runs
    for round_no in range(total):
        label = "warm-up" if round_no < warmup else f"run {round_no - warmup + 1}/{runs}"
        for result in results:
            tool = result.tool
            if tool.name == "menage":
                ws.drop_index(tool)  # the cold-index case: a fresh index every run
            if tool.name == "menage rescan later":
                backdate(tool, ws, corpus, timeout)  # untimed
            if cold:
                drop_caches()
            sample = run_measured(
                ws.argv(tool),
                cwd=corpus,
                stdout=ws.report(tool) if tool.stdout_report else None,
                stderr=ws.raw / f"{slug(tool)}.stderr",
                env=ws.env,
                timeout_s=timeout,
            )
            if round_no >= warmup:
                result.samples.append(sample)
                if tool.name in RESCANS:
                    result.lists.append(lists_outcome(ws.index(tool)))
            print(
                f"  [{label}] {tool.name}: {sample.wall_s:.2f} s,"
                f" {sample.peak_rss / (1 << 20):.0f} MiB, exit {sample.exit_code}",
                file=sys.stderr,
                flush=True,
            )
    return results


def compile_menage() -> None:
    """Compile Ménage's modules once, as an installed package ships them.

    Without it, a shell that sets ``PYTHONDONTWRITEBYTECODE`` (this machine's does) makes
    every ``menage`` process compile its ~300 modules again: 0.5 s of CPU in every run.
    """
    import importlib.util

    spec = importlib.util.find_spec("menage")
    if spec is None or not spec.submodule_search_locations:
        return
    package = list(spec.submodule_search_locations)[0]
    command = [sys.executable, "-m", "compileall", "-q", package]
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL)


def prepare_rescan(tool: Tool, ws: Workspace, corpus: Path, timeout: float) -> None:
    """The rescan measures an unchanged tree against an index that already knows it."""
    ws.drop_index(tool)
    sample = run_measured(
        ws.argv(tool),
        cwd=corpus,
        stdout=None,
        stderr=ws.raw / "menage-rescan-prepare.stderr",
        env=ws.env,
        timeout_s=timeout,
    )
    print(f"  [prepare] first scan into the rescan index: {sample.wall_s:.2f} s", file=sys.stderr)


def backdate(tool: Tool, ws: Workspace, corpus: Path, timeout: float) -> None:
    """A new index holding the scan ``menage scan`` would have made 30 days ago
    (bench/backdated_scan.py): the files whose age crossed ``--older-than`` since make the
    next run a rescan after a crossing, as a user's rescan days later is."""
    ws.drop_index(tool)
    with open(ws.raw / "menage-rescan-later-prepare.stderr", "wb") as stderr:
        subprocess.run(
            [sys.executable, str(BENCH_DIR / "backdated_scan.py"), "tree", str(ws.index(tool))],
            cwd=corpus,
            env=ws.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            timeout=timeout,
            check=True,
        )


#: the tools that rescan a tree their index knows
RESCANS = ("menage rescan", "menage rescan later")


def lists_outcome(index: Path) -> str:
    """What the last scan in ``index`` did with the lists of the scan before it: took them
    as stored, made only the old files again (:data:`CROSSED`), or made them all."""
    with closing(sqlite3.connect(f"file:{index}?mode=ro", uri=True)) as db:
        found = db.execute(
            "SELECT scans.lists, report_lists.base FROM scans"
            " JOIN report_lists ON report_lists.id = scans.lists ORDER BY scans.id DESC LIMIT 2"
        ).fetchall()
    if len(found) < 2:
        return "made"
    (last, base), (before, _base) = found
    if last == before:
        return "taken as stored"
    return CROSSED if base is not None else "made again"


def count_content_opens(tool: Tool, ws: Workspace, corpus: Path) -> int | None:
    """Files of the tree a rescan opens (not folders), seen by strace; None without strace.

    A rescan of an unchanged tree must take every hash from the index: any regular file of
    the tree it opens is content it did not need to read.
    """
    if shutil.which("strace") is None:
        return None
    trace = ws.raw / "menage-rescan.strace"
    subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=open,openat,openat2", "-o", str(trace)]
        + ws.argv(tool),
        cwd=corpus,
        env=ws.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return content_opens_in(trace.read_text(encoding="utf-8", errors="replace"), corpus / "tree")


_OPEN = re.compile(r'open(?:at2?)?\((?:[^,]+, )?"((?:[^"\\]|\\.)*)", ([^)]*)\) = (-?\d+)')


def content_opens_in(strace_text: str, tree: Path) -> int:
    """Successful opens, other than of folders, of a path in ``tree`` (relative or absolute)."""
    inside = str(tree.resolve()) + "/"
    count = 0
    for match in _OPEN.finditer(strace_text):
        path, flags, result = match.groups()
        if int(result) < 0 or "O_DIRECTORY" in flags:
            continue
        if not path.startswith("/") or path.startswith(inside):
            count += 1
    return count


def read_groups(fmt: str, report: Path, corpus: Path) -> list[list[bytes]]:
    if fmt == "menage-json":  # gigabytes at ten million files: read as a stream
        with report.open("rb") as stream:
            return read_menage_json(stream)
    data = report.read_bytes()
    if fmt != "blank-lines":
        return PARSERS[fmt](data)
    base = os.fsencode(corpus)  # mend names holding a newline: the tree is at hand
    return parse_blank_line_groups(data, exists=lambda p: os.path.lexists(os.path.join(base, p)))


def score_reports(results: list[ToolResult], ws: Workspace, corpus: Path, truth: Truth) -> None:
    for result in results:
        fmt = result.tool.format
        if fmt is None or not result.samples:
            continue
        try:
            groups = read_groups(fmt, ws.report(result.tool), corpus)
        except (OSError, ValueError, KeyError) as error:
            result.parse_error = f"{type(error).__name__}: {error}"
            continue
        result.score = score(groups, truth, corpus)


def record_versions(results: list[ToolResult]) -> None:
    for result in results:
        program = result.tool.program
        if result.tool.name.startswith("menage"):
            result.version = f"menage {git_commit()}"
        elif is_fclones(result.tool):
            result.version = version_of(program)
        elif program in DEBIAN_PACKAGES:
            result.version = f"{version_of(program)} (Debian {debian_version(program)})"
        else:
            result.version = version_of(program)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    spec: CorpusSpec = args.spec
    corpus: Path = (args.corpus or spec.default_dir()).resolve()
    try:
        summary = ensure_corpus(corpus, spec if args.check_spec else None)
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    tools = [with_menage_args(t, args.menage_args) for t in select_tools(args.tools)]
    missing = [t for t in tools if not available(t)]
    if missing:
        packages = sorted({t.program for t in missing if t.program in DEBIAN_PACKAGES})
        print(
            f"Not installed, left out: {', '.join(t.name for t in missing)}."
            + (f" Install with: apt-get install {' '.join(packages)}" if packages else ""),
            file=sys.stderr,
        )
    tools = [t for t in tools if t not in missing]
    counts = summary["counts"]
    print(
        f"Corpus {corpus}: {counts['regular_file_paths']:,} paths, {counts['inodes']:,} files,"
        f" {counts['total_bytes'] / 1e9:.2f} GB; truth {summary['duplicates']['groups']:,}"
        f" groups. Tools: {', '.join(t.name for t in tools)};"
        f" {args.warmup} warm-up + {args.runs} runs each.",
        file=sys.stderr,
    )
    truth = load_truth(corpus)
    load = os.getloadavg()
    print(f"  load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    ws = Workspace.create(args.out)
    if args.cold:
        print("  cold: the kernel's caches emptied before each run", file=sys.stderr)
    elif not args.no_prime:
        started = time.perf_counter()
        prime_page_cache(corpus)
        print(f"  page cache primed in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if any(t.name.startswith("menage") for t in tools):
        compile_menage()
    opens: int | None = None
    rescan = next((t for t in tools if t.name == "menage rescan"), None)
    if rescan is not None:
        prepare_rescan(rescan, ws, corpus, args.timeout)
        opens = count_content_opens(rescan, ws, corpus)
    results = measure_all(tools, ws, corpus, args.runs, args.warmup, args.timeout, args.cold)
    for result in results:
        if result.tool is rescan:
            result.content_opens = opens
    score_reports(results, ws, corpus, truth)
    record_versions(results)
    return write_results(args, corpus, summary, truth, results, load)


def write_results(
    args: argparse.Namespace,
    corpus: Path,
    summary: dict[str, object],
    truth: Truth,
    results: list[ToolResult],
    load: tuple[float, float, float],
) -> int:
    table = rows(results, truth)
    generator = summary.get("generator")
    files_arg = generator.get("files_arg", 0) if isinstance(generator, dict) else 0
    found = targets(results, truth, int(files_arg), args.reference)
    print()
    print(text_table(table))
    print()
    print("Targets (issue 10):")
    print(targets_text(found))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = f"duplicates-{corpus.name}-{stamp}"
    document = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {**machine(corpus), "load_average_at_start": [round(x, 2) for x in load]},
        "corpus": {"path": str(corpus), "generator": summary.get("generator"), **_truth(truth)},
        "settings": {
            "runs": args.runs,
            "warmup": args.warmup,
            "tools": args.tools,
            "cold": args.cold,
            "menage_args": args.menage_args,
        },
        "tools": [as_json(r, truth) for r in results],
        "targets": [vars(t) for t in found],
    }
    (args.out / f"{name}.json").write_text(json.dumps(document, indent=1), encoding="utf-8")
    (args.out / f"{name}.md").write_text(
        markdown_table(table) + "\n\n" + targets_text(found, bullet="- ") + "\n", encoding="utf-8"
    )
    print(f"\nResults: {args.out / name}.json (and .md); tools' reports in {args.out / 'raw'}")
    return 1 if args.check and not all(t.passed for t in found) else 0


def _truth(truth: Truth) -> dict[str, int]:
    return {
        "groups": len(truth.groups),
        "redundant_files": truth.redundant_files,
        "redundant_bytes": truth.redundant_bytes,
    }
