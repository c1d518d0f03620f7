"""Turn measured runs into the results table and the issue's targets (PASS / FAIL)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.environment import CorpusSpec
from bench.measure import Sample, Spread
from bench.scoring import Score, Truth
from bench.tools import Tool

MiB = 1 << 20
#: the targets of issue 10 (the native core), as ratios within one run
JDUPES_RATIO = 0.5  # fresh scan <= 0.5x jdupes
FCLONES_RATIO = 1.0  # fresh scan <= 1.0x fclones (--hidden: the same files as Ménage)
MEMORY_RATIO = 1.5  # peak memory <= 1.5x jdupes (the target is set at a million files)
RESCAN_RATIO = 1.5  # rescan <= 1.5x `find TREE -printf ...`
#: what a rescan after a crossing does with the last scan's lists (and nothing else)
CROSSED = "old files made again"
MILLION_FILES = 1_000_000
MILLION_PEAK = 1_000_000_000  # "under 1 GB" (decimal: the stricter reading)
TEN_MILLION_FILES = 10_000_000
TEN_MILLION_PEAK = 2_000_000_000  # "under 2 GB" at ten million files
#: "time growing linearly": the wall time a file at most this much above a smaller run's
#: of the same size scale (the disk and the caches are not linear themselves: the
#: floors' own growth is printed beside it)
LINEAR_RATIO = 1.25


@dataclass
class ToolResult:
    """Everything measured about one tool in one bench run."""

    tool: Tool
    samples: list[Sample] = field(default_factory=list)
    score: Score | None = None
    version: str = ""
    #: rescan only: regular files of the tree opened (strace), None when not checked
    content_opens: int | None = None
    #: rescans only: what each counted run did with the last scan's lists (see
    #: bench.duplicates_bench.lists_outcome)
    lists: list[str] = field(default_factory=list)
    parse_error: str = ""

    @property
    def wall(self) -> Spread:
        return Spread.of([s.wall_s for s in self.samples])

    @property
    def peak_rss(self) -> int:
        return max(s.peak_rss for s in self.samples)

    @property
    def cpu(self) -> Spread:
        """User + system seconds: steadier than wall time on a machine shared with others."""
        return Spread.of([s.user_s + s.sys_s for s in self.samples])

    def notes(self, truth: Truth) -> list[str]:
        notes = [self.tool.note] if self.tool.note else []
        codes = sorted({s.exit_code for s in self.samples if s.exit_code != 0})
        if codes:
            notes.append("exit " + "/".join(str(c) for c in codes))
        if any(s.timed_out for s in self.samples):
            notes.append("timed out")
        if self.parse_error:
            notes.append(f"unreadable report: {self.parse_error}")
        if self.content_opens is not None:
            notes.append(
                "reads no content"
                if self.content_opens == 0
                else f"opened {self.content_opens} files"
            )
        for outcome in sorted(set(self.lists)):
            notes.append(f"lists {outcome} ({self.lists.count(outcome)}/{len(self.lists)})")
        s = self.score
        if s is None:
            return notes
        if s.matches_truth(truth):
            notes.append("exact")
        if s.hardlink_only_groups:
            notes.append(f"{s.hardlink_only_groups} hardlink-only groups")
        if s.hardlink_paths_as_copies:
            notes.append(f"{s.hardlink_paths_as_copies} hardlinks listed as copies")
        if s.empty_file_group:
            notes.append(f"groups {s.empty_files_listed} empty files")
        if s.false_positive_files:
            notes.append(f"{s.false_positive_files} false positives")
        if s.symlinks_listed:
            notes.append(f"{s.symlinks_listed} symlinks in groups")
        if s.missing_paths:
            notes.append(f"{s.missing_paths} paths not found")
        return notes


@dataclass(frozen=True)
class Reference:
    """A smaller run's results file, which a run compares its time a file with."""

    path: Path
    files: int
    size_scale: float
    cold: bool
    menage_args: str
    #: tool name -> median wall seconds a file
    per_file: dict[str, float]

    @classmethod
    def load(cls, path: Path) -> Reference:
        document = json.loads(path.read_text(encoding="utf-8"))
        generator = document["corpus"]["generator"]
        files = int(generator["files_arg"])
        per_file = {
            tool["name"]: tool["wall_s"]["median"] / files
            for tool in document["tools"]
            if tool.get("wall_s")
        }
        if "menage" not in per_file:
            raise ValueError("it holds no run of Ménage (fresh index)")
        settings = document["settings"]
        cold, menage_args = bool(settings.get("cold")), str(settings.get("menage_args", ""))
        return cls(path, files, float(generator["size_scale"]), cold, menage_args, per_file)

    def unlike(self, spec: CorpusSpec, cold: bool, menage_args: str) -> str:
        """Why this run cannot be compared with the reference ("" when it can)."""
        if self.size_scale != spec.size_scale:
            scales = f"{self.size_scale:g}, this one's by {spec.size_scale:g}"
            return f"its corpus has sizes scaled by {scales}"
        if self.cold != cold:
            return f"it ran {'cold' if self.cold else 'warm'}, this one would not (--cold)"
        if self.menage_args != menage_args:
            return f"Ménage ran there with --menage-args {self.menage_args!r}, not {menage_args!r}"
        if self.files >= spec.files:
            return f"it has {self.files:,} files, not fewer than this run's {spec.files:,}"
        return ""


@dataclass(frozen=True)
class Target:
    name: str
    passed: bool
    detail: str


def _fmt_s(seconds: float) -> str:
    return f"{seconds:.2f}"


def _fmt_int(n: int) -> str:
    return f"{n:,}"


def fastest_peer(results: list[ToolResult]) -> ToolResult | None:
    peers = [r for r in results if r.tool.peer and r.samples]
    return min(peers, key=lambda r: r.wall.median) if peers else None


def find_result(results: list[ToolResult], name: str) -> ToolResult | None:
    return next((r for r in results if r.tool.name == name and r.samples), None)


def _ratio_target(name: str, mine: ToolResult, other: ToolResult, ratio: float) -> Target:
    limit = ratio * other.wall.median
    return Target(
        f"{name} <= {ratio}x {other.tool.name}",
        mine.wall.median <= limit,
        f"{_fmt_s(mine.wall.median)} s vs limit {_fmt_s(limit)} s"
        f" ({other.tool.name} {_fmt_s(other.wall.median)} s;"
        f" Ménage = {mine.wall.median / other.wall.median:.2f}x;"
        f" CPU {_fmt_s(mine.cpu.median)} s vs {_fmt_s(other.cpu.median)} s)",
    )


def _same_result(name: str, score: Score, truth: Truth) -> Target:
    return Target(
        name, score.matches_truth(truth), f"{score.exact}/{score.truth_groups} groups exact"
    )


def targets(
    results: list[ToolResult], truth: Truth, files_arg: int, reference: Reference | None = None
) -> list[Target]:
    """The issue's targets, each judged on what was measured (absent when not measured)."""
    out: list[Target] = []
    menage = find_result(results, "menage")
    rescan = find_result(results, "menage rescan")
    floor = find_result(results, "find -printf")
    jdupes = find_result(results, "jdupes")
    fclones = find_result(results, "fclones --hidden") or find_result(results, "fclones")
    if menage is not None and menage.score is not None:
        s = menage.score
        out.append(
            Target(
                "exactly the ground truth",
                s.matches_truth(truth),
                f"{s.exact}/{s.truth_groups} groups exact, {s.partial} partial, {s.wrong} wrong,"
                f" {s.missed} missed; {_fmt_int(s.redundant_files)} redundant files"
                f" (truth {_fmt_int(truth.redundant_files)}),"
                f" {_fmt_int(s.redundant_bytes)} bytes (truth {_fmt_int(truth.redundant_bytes)})",
            )
        )
    if menage is not None and jdupes is not None:
        out.append(_ratio_target("fresh scan", menage, jdupes, JDUPES_RATIO))
    if menage is not None and fclones is not None:
        out.append(_ratio_target("fresh scan", menage, fclones, FCLONES_RATIO))
    if menage is not None and jdupes is not None:
        mem_limit = MEMORY_RATIO * jdupes.peak_rss
        out.append(
            Target(
                f"peak memory <= {MEMORY_RATIO}x jdupes's"
                + ("" if files_arg >= MILLION_FILES else " (the target is set at 1M files)"),
                menage.peak_rss <= mem_limit,
                f"{menage.peak_rss / MiB:.0f} MiB vs limit {mem_limit / MiB:.0f} MiB"
                f" (jdupes {jdupes.peak_rss / MiB:.0f} MiB;"
                f" Ménage = {menage.peak_rss / jdupes.peak_rss:.1f}x)",
            )
        )
    if rescan is not None and floor is not None:
        limit = RESCAN_RATIO * floor.wall.median
        reads = rescan.content_opens
        out.append(
            Target(
                f"rescan reads no content and takes <= {RESCAN_RATIO}x `find -printf`",
                rescan.wall.median <= limit and reads == 0,
                f"{_fmt_s(rescan.wall.median)} s vs limit {_fmt_s(limit)} s"
                f" (find {_fmt_s(floor.wall.median)} s;"
                f" rescan = {rescan.wall.median / floor.wall.median:.1f}x find;"
                f" CPU {_fmt_s(rescan.cpu.median)} s vs {_fmt_s(floor.cpu.median)} s);"
                + (
                    " content reads not checked (no strace)"
                    if reads is None
                    else f" {reads} files of the tree opened"
                ),
            )
        )
    if rescan is not None and rescan.score is not None:
        out.append(_same_result("rescan gives the same exact result", rescan.score, truth))
    later = find_result(results, "menage rescan later")
    if later is not None and floor is not None:
        # the usual rescan, days after the last: files crossed the age limit since
        limit = RESCAN_RATIO * floor.wall.median
        crossed = later.lists.count(CROSSED)
        out.append(
            Target(
                f"rescan after files crossed --older-than takes <= {RESCAN_RATIO}x `find -printf`",
                later.wall.median <= limit and crossed == len(later.samples),
                f"{_fmt_s(later.wall.median)} s vs limit {_fmt_s(limit)} s"
                f" (rescan later = {later.wall.median / floor.wall.median:.1f}x find;"
                f" CPU {_fmt_s(later.cpu.median)} s); {crossed}/{len(later.samples)} runs"
                f" made the old files again and took the other lists as stored",
            )
        )
    if later is not None and later.score is not None:
        name = "rescan after a crossing gives the same exact result"
        out.append(_same_result(name, later.score, truth))
    if menage is not None and files_arg >= MILLION_FILES:
        ten = files_arg >= TEN_MILLION_FILES
        limit, limit_text = (TEN_MILLION_PEAK, "2 GB") if ten else (MILLION_PEAK, "1 GB")
        out.append(
            Target(
                f"{_fmt_int(files_arg)} files with peak memory under {limit_text}",
                menage.peak_rss < limit,
                f"{menage.peak_rss / MiB:.0f} MiB ({menage.peak_rss / 1e9:.2f} GB);"
                # "time growing linearly": compare this with a million-file run's
                f" {menage.wall.median / files_arg * 1e6:.1f} µs of wall time per file",
            )
        )
    if menage is not None and reference is not None:
        floors = [r for r in results if r.samples and r.tool.name in ("find -printf", "read floor")]
        out.append(_linear_target(menage, floors, files_arg, reference))
    return out


def _linear_target(
    menage: ToolResult, floors: list[ToolResult], files: int, reference: Reference
) -> Target:
    mine = menage.wall.median / files
    before = reference.per_file["menage"]
    detail = (
        f"{mine * 1e6:.1f} µs a file at {_fmt_int(files)} files vs {before * 1e6:.1f} µs at"
        f" {_fmt_int(reference.files)} = {mine / before:.2f}x ({reference.path.name})"
    )
    for other in floors:
        if other.tool.name in reference.per_file:
            now, then = other.wall.median / files, reference.per_file[other.tool.name]
            detail += (
                f"; {other.tool.name} {now * 1e6:.1f} vs {then * 1e6:.1f} µs a file"
                f" = {now / then:.2f}x"
            )
    return Target(
        f"time grows linearly: the time a file <= {LINEAR_RATIO}x the"
        f" {_fmt_int(reference.files)}-file run's",
        mine <= LINEAR_RATIO * before,
        detail,
    )


HEADERS = (
    "tool",
    "median s",
    "min s",
    "max s",
    "CPU s",
    "peak MiB",
    "vs Ménage",
    "groups exact/partial/wrong/missed",
    "redundant files",
    "redundant bytes",
    "notes",
)


def rows(results: list[ToolResult], truth: Truth) -> list[tuple[str, ...]]:
    menage = find_result(results, "menage")
    table: list[tuple[str, ...]] = []
    for r in results:
        if not r.samples:
            continue
        w = r.wall
        ratio = f"{w.median / menage.wall.median:.2f}x" if menage else "-"
        s = r.score
        groups = f"{s.exact}/{s.partial}/{s.wrong}/{s.missed}" if s else "-"
        table.append(
            (
                r.tool.name,
                _fmt_s(w.median),
                _fmt_s(w.min),
                _fmt_s(w.max),
                _fmt_s(r.cpu.median),
                f"{r.peak_rss / MiB:.0f}",
                ratio,
                groups,
                _fmt_int(s.redundant_files) if s else "-",
                _fmt_int(s.redundant_bytes) if s else "-",
                "; ".join(r.notes(truth)),
            )
        )
    table.append(
        (
            "truth",
            "",
            "",
            "",
            "",
            "",
            "",
            f"{len(truth.groups):,} groups",
            _fmt_int(truth.redundant_files),
            _fmt_int(truth.redundant_bytes),
            "",
        )
    )
    return table


def text_table(table: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in [HEADERS, *table]) for i in range(len(HEADERS))]
    right = {1, 2, 3, 4, 5, 6, 8, 9}

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    return "\n".join([line(HEADERS), line(tuple("-" * w for w in widths)), *map(line, table)])


def markdown_table(table: list[tuple[str, ...]]) -> str:
    align = ["---" if i in (0, 7, 10) else "---:" for i in range(len(HEADERS))]
    lines = ["| " + " | ".join(HEADERS) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table]
    return "\n".join(lines)


def targets_text(found: list[Target], bullet: str = "") -> str:
    return "\n".join(
        f"{bullet}{'PASS' if t.passed else 'FAIL'}  {t.name}: {t.detail}" for t in found
    )


def as_json(r: ToolResult, truth: Truth) -> dict[str, Any]:
    w = r.wall if r.samples else None
    return {
        "name": r.tool.name,
        "argv": list(r.tool.argv),
        "version": r.version,
        "peer": r.tool.peer,
        "runs": [vars(s) for s in r.samples],
        "wall_s": vars(w) if w else None,
        "cpu_s": vars(r.cpu) if r.samples else None,
        "peak_rss_bytes": r.peak_rss if r.samples else None,
        "score": r.score.as_dict() if r.score else None,
        "matches_truth": r.score.matches_truth(truth) if r.score else None,
        "content_opens": r.content_opens,
        "lists": r.lists,
        "notes": r.notes(truth) if r.samples else [],
    }
