"""The benchmark harness reads every tool's report and scores it right (so it does not rot).

Each report is hand-made in the tool's own format over a small real tree: a group of three
copies (one with a name that is not UTF-8), a pair whose name holds a newline, one file under
three hardlinked names (not a duplicate), empty files, a same-size different file, a symlink.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from bench.duplicates_bench import content_opens_in, main, read_groups
from bench.environment import can_drop_caches
from bench.measure import run_measured
from bench.parsers import (
    _JsonStream,
    parse_blank_line_groups,
    parse_duff_nul,
    parse_menage_json,
    parse_nul_groups,
    parse_rdfind,
    parse_rmlint_json,
    read_menage_json,
)
from bench.scoring import Score, Truth, load_truth, score

LATIN1 = b"tree/caf\xe9.txt"  # not UTF-8
NEWLINE = b"tree/two\nlines.txt"
A, B, TWO = b"tree/a.txt", b"tree/b.txt", b"tree/two.txt"
LINKS = [b"tree/x.dat", b"tree/x-link1.dat", b"tree/x-link2.dat"]
EMPTY = [b"tree/e1.txt", b"tree/e2.txt"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A tree and its truth, laid out like make_corpus.py's (paths relative to the corpus)."""
    root = os.fsencode(tmp_path)

    def write(rel: bytes, data: bytes) -> None:
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)

    os.mkdir(os.path.join(root, b"tree"))
    for name in (A, B, LATIN1):
        write(name, b"three copies\n")
    write(b"tree/unique.txt", b"three cop1es\n")  # same size, other content
    for name in (NEWLINE, TWO):
        write(name, b"a pair")
    write(LINKS[0], b"one file, three names")
    for link in LINKS[1:]:
        os.link(os.path.join(root, LINKS[0]), os.path.join(root, link))
    for name in EMPTY:
        write(name, b"")
    os.symlink(b"a.txt", os.path.join(root, b"tree/link-to-a"))

    def rel(p: bytes) -> str:  # truth paths are relative to tree/, surrogate-escaped
        return os.fsdecode(p.removeprefix(b"tree/"))

    groups = [
        {"size": 13, "inodes": [[rel(A)], [rel(B)], [rel(LATIN1)]]},
        {"size": 6, "inodes": [[rel(NEWLINE)], [rel(TWO)]]},
    ]
    (tmp_path / "ground_truth_groups.jsonl").write_text(
        "".join(json.dumps(g) + "\n" for g in groups), encoding="utf-8"
    )
    summary = {"generator": {"files_arg": 10}, "counts": {}, "duplicates": {"groups": 2}}
    (tmp_path / "ground_truth.json").write_text(json.dumps(summary), encoding="utf-8")
    return tmp_path


@pytest.fixture
def truth(corpus: Path) -> Truth:
    return load_truth(corpus)


def assert_exact(result: Score, truth: Truth) -> None:
    assert (result.exact, result.partial, result.wrong, result.missed) == (2, 0, 0, 0)
    assert result.redundant_files == truth.redundant_files == 3
    assert result.redundant_bytes == truth.redundant_bytes == 2 * 13 + 6


def test_truth_identifies_each_inode(truth: Truth) -> None:
    assert [(g.size, len(g.inodes)) for g in truth.groups] == [(13, 3), (6, 2)]


def test_fdupes_text_with_a_newline_in_a_name(corpus: Path, truth: Truth) -> None:
    report = b"\n".join([A, B, LATIN1]) + b"\n\n" + NEWLINE + b"\n" + TWO + b"\n\n"
    base = os.fsencode(corpus)
    # without the tree the split name cannot be mended: two lines that are not files
    assert parse_blank_line_groups(report)[1] == [b"tree/two", b"lines.txt", TWO]
    groups = parse_blank_line_groups(
        report, exists=lambda p: os.path.lexists(os.path.join(base, p))
    )
    assert groups == [[A, B, LATIN1], [NEWLINE, TWO]]
    result = score(groups, truth, corpus)
    assert_exact(result, truth)
    assert result.matches_truth(truth)


def test_fdupes_report_read_from_a_file_mends_names(corpus: Path, truth: Truth) -> None:
    report = corpus / "fdupes.report"
    report.write_bytes(NEWLINE + b"\n" + TWO + b"\n\n" + b"\n".join([A, B, LATIN1]) + b"\n")
    result = score(read_groups("blank-lines", report, corpus), truth, corpus)
    assert result.matches_truth(truth)


def test_jdupes_nul_output_with_a_hardlink_listed_as_a_copy(corpus: Path, truth: Truth) -> None:
    report = b"\0".join([A, B, LATIN1]) + b"\0\0" + b"\0".join([NEWLINE, TWO]) + b"\0\0"
    groups = parse_nul_groups(report)
    assert groups == [[A, B, LATIN1], [NEWLINE, TWO]]
    assert score(groups, truth, corpus).matches_truth(truth)
    # a second name of an inode listed inside a real group: one file, shown as an over-claim
    with_link = parse_nul_groups(report.replace(A, A + b"\0" + LINKS[0]) + LINKS[1] + b"\0")
    result = score(with_link, truth, corpus)
    assert result.wrong == 1 and result.false_positive_files == 1


def test_fclones_json_in_stfu8_with_hardlinks_listed(corpus: Path, truth: Truth) -> None:
    """fclones writes absolute names, escaping bytes that are not UTF-8 and newlines."""
    base = str(corpus) + "/"
    report = {
        "header": {"version": "0.35.0"},
        "groups": [
            {
                "file_len": 13,
                "files": [base + "tree/a.txt", base + "tree/b.txt", base + "tree/caf\\xE9.txt"],
            },
            {"file_len": 6, "files": [base + "tree/two\\nlines.txt", base + "tree/two.txt"]},
        ],
    }
    path = corpus / "fclones.report"
    path.write_text(json.dumps(report), encoding="utf-8")
    groups = read_groups("fclones-json", path, corpus)
    assert groups[0][2] == os.fsencode(base) + LATIN1
    assert groups[1][0] == os.fsencode(base) + NEWLINE
    assert score(groups, truth, corpus).matches_truth(truth)


def test_rdfind_results_with_a_continued_name(corpus: Path, truth: Truth) -> None:
    report = (
        b"# Automatically generated\n# duptype id depth size device inode priority name\n"
        b"DUPTYPE_FIRST_OCCURRENCE 7 1 13 1 2 5 " + A + b"\n"
        b"DUPTYPE_WITHIN_SAME_TREE -7 1 13 1 3 5 " + B + b"\n"
        b"DUPTYPE_WITHIN_SAME_TREE -7 1 13 1 4 5 " + LATIN1 + b"\n"
        b"DUPTYPE_FIRST_OCCURRENCE 9 1 6 1 5 5 " + NEWLINE + b"\n"
        b"DUPTYPE_WITHIN_SAME_TREE -9 1 6 1 6 5 " + TWO + b"\n"
        b"# end of file\n"
    )
    groups = parse_rdfind(report)
    assert groups == [[A, B, LATIN1], [NEWLINE, TWO]]
    assert score(groups, truth, corpus).matches_truth(truth)


def test_rmlint_json_with_raw_bytes_and_a_hardlink_only_group(corpus: Path, truth: Truth) -> None:
    def entry(path: bytes, twins: int, original: bool) -> bytes:
        # rmlint writes the name's raw bytes inside the JSON string (not valid UTF-8)
        return (
            b'{"type": "duplicate_file", "path": "'
            + path.replace(b"\n", b"\\n")
            + b'", "twins": %d, "is_original": %s}' % (twins, b"true" if original else b"false")
        )

    entries = [entry(A, 3, True), entry(B, 3, False), entry(LATIN1, 3, False)]
    entries += [entry(NEWLINE, 2, True), entry(TWO, 2, False)]
    entries += [entry(p, 3, i == 0) for i, p in enumerate(LINKS)]
    report = b'[{"description": "rmlint json-dump"},\n' + b",\n".join(entries)
    report += b',\n{"aborted": false, "duplicates": 5}]'
    with pytest.raises(UnicodeDecodeError):
        report.decode("utf-8")
    groups = parse_rmlint_json(report)
    assert groups[0] == [A, B, LATIN1] and groups[2] == LINKS
    result = score(groups, truth, corpus)
    assert_exact(result, truth)
    assert result.hardlink_only_groups == 1
    assert not result.matches_truth(truth)  # listing a group that frees nothing is not exact


def test_duff_nul_output_with_an_empty_file_cluster(corpus: Path, truth: Truth) -> None:
    report = (
        b"2 files in cluster 1 (0 bytes, digest da39)\0" + b"\0".join(EMPTY) + b"\0"
        b"3 files in cluster 2 (13 bytes, digest 01)\0" + b"\0".join([A, B, LATIN1]) + b"\0"
        b"2 files in cluster 3 (6 bytes, digest 02)\0" + NEWLINE + b"\0" + TWO + b"\0"
    )
    groups = parse_duff_nul(report)
    assert groups[0] == EMPTY and groups[2] == [NEWLINE, TWO]
    result = score(groups, truth, corpus)
    assert_exact(result, truth)
    assert result.empty_file_group and result.empty_files_listed == 2
    assert not result.matches_truth(truth)
    with pytest.raises(ValueError, match="unexpected header"):
        parse_duff_nul(b"garbage\0" + A + b"\0")


def test_menage_json_round_trips_names_that_are_not_utf8(corpus: Path, truth: Truth) -> None:
    def item(paths: list[bytes]) -> dict[str, object]:
        names = [os.fsdecode(os.path.join(os.fsencode(corpus), p)) for p in paths]
        return {"paths": names, "files": [{"path": n, "links": []} for n in names]}

    document = {"duplicates": {"items": [item([A, B, LATIN1]), item([NEWLINE, TWO])]}}
    report = json.dumps(document).encode("ascii")  # \udce9 stands for the byte 0xE9
    assert b"\\udce9" in report
    groups = parse_menage_json(report)
    assert groups[0][2] == os.path.join(os.fsencode(corpus), LATIN1)
    assert score(groups, truth, corpus).matches_truth(truth)


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_menage_json_read_as_a_stream_whatever_the_cut(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report is read a chunk at a time (gigabytes at ten million files): values, UTF-8
    characters and numbers cut by a chunk's end, the sections before the groups skipped."""
    monkeypatch.setattr(_JsonStream, "CHUNK", chunk)
    groups = [["/t/a", "/t/b"], ["/t/\udce9", "/t/\n", "/t/c"]]
    document = {
        "menage": "1",
        "total": {"files": 1234567, "bytes": 9.5e9},
        "categories": {"Vidéos": {"duplicates": {"items": "not these"}}},
        "duplicates": {"count": 2, "items": [{"paths": g, "size": 123456} for g in groups]},
        "old_files": {"items": [{"path": "/t/x"}] * 5},
    }
    # the names' surrogate escapes as \\udce9, the « é » of a category as two UTF-8 bytes
    report = json.dumps(document).replace("\\u00e9", "é").encode("utf-8")
    assert "é".encode() in report and b"\\udce9" in report
    expected = [[os.fsencode(p) for p in g] for g in groups]
    assert read_menage_json(io.BytesIO(report)) == expected
    empty = json.dumps({"a": [1, 2], "duplicates": {"items": []}}).encode()
    assert read_menage_json(io.BytesIO(empty)) == []
    for damaged, why in (
        (json.dumps({"total": 1}).encode(), "no 'duplicates'"),
        (b'{"duplicates": {"items": [{"paths": ["/a"]} {"paths": []}]}}', "expected ','"),
        (report[: len(report) // 2], "Unterminated string|Expecting"),
    ):
        with pytest.raises(ValueError, match=why):
            read_menage_json(io.BytesIO(damaged))


def test_scorer_sees_partial_missed_wrong_and_symlinks(corpus: Path, truth: Truth) -> None:
    partial = [A, B]  # the third copy is missing
    wrong = [TWO, b"tree/unique.txt"]  # different content put together
    with_link = [NEWLINE, b"tree/link-to-a"]
    result = score([partial, wrong, with_link, [b"tree/no-such-file", A]], truth, corpus)
    assert (result.exact, result.partial, result.missed) == (0, 2, 0)
    assert result.wrong == 3
    assert result.symlinks_listed == 1 and result.missing_paths == 1
    assert result.false_positive_files == 3  # unique.txt, the link, the missing path
    nothing = score([], truth, corpus)
    assert (nothing.missed, nothing.redundant_files) == (2, 0)


def test_strace_count_of_content_opens(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    trace = "\n".join(
        [
            f'1 openat(AT_FDCWD, "{tree}/a.txt", O_RDONLY|O_CLOEXEC) = 3',
            '1 openat(AT_FDCWD, "tree/b.txt", O_RDONLY|O_CLOEXEC) = 4',
            '2 openat(5, "c.txt", O_RDONLY|O_CLOEXEC) = 6',
            '1 openat(AT_FDCWD, "tree/sub", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 7',
            '1 openat(AT_FDCWD, "/usr/lib/python3.11/os.py", O_RDONLY|O_CLOEXEC) = 8',
            '1 openat(AT_FDCWD, "tree/gone.txt", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file)',
        ]
    )
    assert content_opens_in(trace, tree) == 3


def test_run_measured_sees_the_child_peak_memory(tmp_path: Path) -> None:
    code = "b = bytearray(96 << 20)"
    sample = run_measured(
        [sys.executable, "-c", code], cwd=tmp_path, stdout=None, stderr=tmp_path / "err"
    )
    assert sample.exit_code == 0 and not sample.timed_out
    assert sample.peak_rss >= 96 << 20
    assert sample.wall_s > 0


def test_run_measured_kills_a_run_past_its_timeout(tmp_path: Path) -> None:
    sample = run_measured(
        [sys.executable, "-c", "import time; time.sleep(30)"],
        cwd=tmp_path,
        stdout=None,
        stderr=tmp_path / "err",
        timeout_s=0.5,
    )
    assert sample.timed_out and sample.wall_s < 20


def test_whole_bench_on_a_tiny_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Build a corpus with the project's generator, run Ménage and find, score, write JSON."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    argv = ["--corpus", str(corpus), "--files", "300", "--large", "0", "--out", str(out)]
    argv += ["--tools", "menage,menage-rescan,menage-rescan-later,find,read-floor", "--runs", "1"]
    argv += ["--warmup", "0"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "exactly the ground truth" in printed and "rescan reads no content" in printed
    (result_file,) = out.glob("duplicates-corpus-*.json")
    document = json.loads(result_file.read_text(encoding="utf-8"))
    tools = {t["name"]: t for t in document["tools"]}
    if os.geteuid() == 0:  # the corpus has chmod-000 entries: only root reads all of the truth
        assert tools["menage"]["matches_truth"] and tools["menage rescan"]["matches_truth"]
    assert tools["menage"]["peak_rss_bytes"] > 0
    assert tools["read floor"]["runs"][0]["exit_code"] == 0
    # each rescan's run says what it did with the last scan's lists
    assert tools["menage rescan"]["lists"] == ["taken as stored"]
    assert len(tools["menage rescan later"]["lists"]) == 1
    assert document["corpus"]["groups"] == len(load_truth(corpus).groups)
    # the same corpus with other arguments is refused, not silently reused
    assert main([*argv[:4], "--files", "301", "--out", str(out)]) == 1

    # "time growing linearly": a bigger corpus of the same scale compared with this run
    bigger = ["--corpus", str(tmp_path / "bigger"), "--files", "600", "--large", "0"]
    bigger += ["--out", str(tmp_path / "out2"), "--tools", "menage,find,read-floor", "--runs", "1"]
    bigger += ["--warmup", "0", "--linear-against", str(result_file)]
    assert main(bigger) == 0
    printed = capsys.readouterr().out
    assert "time grows linearly: the time a file <= 1.25x the 300-file run's" in printed
    assert "µs a file at 600 files vs" in printed and "; find -printf " in printed
    assert "; read floor " in printed
    # not comparable: another size scale, another cache setting, not a smaller run
    for wrong, why in (
        (["--size-scale", "0.5"], "sizes scaled by 1, this one's by 0.5"),
        (["--cold"], "it ran warm, this one would not"),
        (["--files", "300"], "not fewer than this run's 300"),
        (["--menage-args", "--disk ssd"], "Ménage ran there with --menage-args '', not"),
    ):
        with pytest.raises(SystemExit):
            main([*bigger, *wrong])
        error = capsys.readouterr().err
        if wrong != ["--cold"] or can_drop_caches():
            assert why in error


def test_ten_million_option_picks_its_corpus_tools_and_memory_limit() -> None:
    from bench.duplicates_bench import parse_args, select_tools
    from bench.measure import Sample
    from bench.report import ToolResult, targets

    if not can_drop_caches():  # the run is cold: it empties the kernel's caches as root
        with pytest.raises(SystemExit):
            parse_args(["--ten-million"])
        pytest.skip("--ten-million needs root: /proc/sys/vm/drop_caches")
    args = parse_args(["--ten-million"])
    assert args.cold
    assert (args.spec.files, args.spec.size_scale, args.spec.large) == (10_000_000, 0.01, 0)
    assert (args.tools, args.runs, args.warmup) == ("menage,find,read-floor", 1, 0)
    with pytest.raises(SystemExit):
        parse_args(["--ten-million", "--million"])

    (menage,) = select_tools("menage")
    truth = Truth(groups=[], summary={})

    def judged(files: int, peak: int) -> tuple[str, bool]:
        result = ToolResult(menage, samples=[Sample(100.0, 90.0, 10.0, peak, 0)])
        (found,) = [t for t in targets([result], truth, files) if "peak memory" in t.name]
        return found.name, found.passed

    # 1.5 GB: too much at a million files, within the limit at ten million
    assert judged(1_000_000, 1_500_000_000) == (
        "1,000,000 files with peak memory under 1 GB",
        False,
    )
    assert judged(10_000_000, 1_500_000_000) == (
        "10,000,000 files with peak memory under 2 GB",
        True,
    )
    assert judged(10_000_000, 2_100_000_000)[1] is False


def test_cold_run_reads_after_the_caches_are_emptied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    argv = ["--corpus", str(corpus), "--files", "200", "--large", "0", "--out", str(out)]
    # one run: emptying the caches writes back every filesystem and slows the other tests
    argv += ["--tools", "find", "--runs", "1", "--warmup", "0", "--cold"]
    if not can_drop_caches():
        with pytest.raises(SystemExit):
            main(argv)
        assert "needs root to write /proc/sys/vm/drop_caches" in capsys.readouterr().err
        return
    assert main(argv) == 0
    assert "cold: the kernel's caches emptied before each run" in capsys.readouterr().err
    (result_file,) = out.glob("duplicates-corpus-*.json")
    document = json.loads(result_file.read_text(encoding="utf-8"))
    assert document["settings"]["cold"] is True
    assert len(document["tools"][0]["runs"]) == 1


def test_menage_args_go_to_each_timed_scan_and_its_note() -> None:
    from bench.duplicates_bench import select_tools, with_menage_args

    menage, find = select_tools("menage,find")
    given = with_menage_args(menage, "--disk ssd --threads 16")
    assert given.argv[-4:] == ("--disk", "ssd", "--threads", "16")
    assert given.note.endswith("; --disk ssd --threads 16")
    assert with_menage_args(find, "--disk ssd") is find
    assert with_menage_args(menage, "") is menage


def test_a_scan_dated_back_makes_the_next_rescan_one_after_a_crossing(tmp_path: Path) -> None:
    """bench/backdated_scan.py records the CLI's scan with its clock set back: a file whose
    age crossed --older-than since makes the next rescan make the old files again, and
    the one after takes every list as stored."""
    import time

    from bench.backdated_scan import backdated_scan
    from bench.duplicates_bench import lists_outcome
    from bench.report import CROSSED

    tree, index = tmp_path / "tree", tmp_path / "index.sqlite"
    tree.mkdir()
    for n in range(3):
        (tree / f"{n}.txt").write_bytes(b"same")
    turned = time.time() - (3 * 365.25 + 10) * 86_400  # old for 10 days, not 30 days ago
    os.utime(tree / "0.txt", (turned, turned))
    backdated_scan(str(tree), str(index), 30)
    assert lists_outcome(index) == "made"
    backdated_scan(str(tree), str(index), 0)
    assert lists_outcome(index) == CROSSED
    backdated_scan(str(tree), str(index), 0)
    assert lists_outcome(index) == "taken as stored"
    (tree / "new.txt").write_bytes(b"changed")
    backdated_scan(str(tree), str(index), 0)
    assert lists_outcome(index) == "made again"
