"""`menage apply` and `menage undo` end to end, and the checks made before acting."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.clean.conftest import (
    OLD,
    make_plan,
    plan_lines,
    scan,
    snapshot,
    write,
)


@pytest.fixture
def planned(menage, tree, tmp_path):
    scan(menage, tree)
    return make_plan(menage, tmp_path / "plan.json", "--duplicates", "--temp", "--empty")


def history(menage):
    result = menage("history", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_apply_then_undo_restores_everything(menage, tree, planned, menage_home):
    before = snapshot(tree)
    result = menage("apply", planned, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "Run 1: 8 done" in result.stdout
    for line in plan_lines(planned):
        assert not os.path.lexists(line["path"])
    quarantined = (
        menage_home / "quarantine" / "run-1" / str(tree / "downloads" / "report.pdf").lstrip("/")
    )
    assert quarantined.read_bytes() == b"R" * 5000
    assert (tree / "docs" / "report.pdf").exists() and (tree / "photos" / "cat.jpg").exists()

    runs = history(menage)
    assert runs[0]["status"] == "done"
    assert runs[0]["freed"] == {"files": 7, "folders": 1, "bytes": 5000 * 2 + 3000 + 900 + 19}
    assert runs[0]["by_finding"]["duplicates"] == {"files": 4, "bytes": 13900}
    assert runs[0]["by_category"]["documents"]["files"] == 4  # 2 pdf, docx, txt

    result = menage("undo", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "8 items put back" in result.stdout
    assert snapshot(tree) == before
    assert not (menage_home / "quarantine" / "run-1").exists()
    assert history(menage)[0]["status"] == "undone"
    again = menage("undo", "--yes")
    assert again.exit_code == 1 and "nothing to undo" in again.stderr
    assert "already been undone" in again.stderr


def test_undo_restores_mode_and_times(menage, tree, planned):
    target = tree / "downloads" / "report.pdf"
    os.utime(target, ns=(1_000_000_123, target.stat().st_mtime_ns))
    st = target.stat()
    menage("apply", planned, "--yes")
    menage("undo", "--yes")
    again = target.stat()
    assert (again.st_mode, again.st_mtime_ns, again.st_atime_ns) == (
        st.st_mode,
        st.st_mtime_ns,
        1_000_000_123,
    )


def test_undo_never_overwrites(menage, tree, planned):
    menage("apply", planned, "--yes")
    write(tree / "downloads" / "report.pdf", b"a new file, made after the cleanup")
    result = menage("undo", "--yes")
    assert result.exit_code == 0
    assert (tree / "downloads" / "report.pdf").read_bytes() == b"a new file, made after the cleanup"
    assert (tree / "downloads" / "report (restored).pdf").read_bytes() == b"R" * 5000
    assert "was put back as" in result.stdout and "report (restored).pdf" in result.stdout


def test_undo_recreates_missing_folders(menage, tree, planned):
    menage("apply", planned, "--yes")
    # the user removed the folder the cleanup left empty
    os.rmdir(tree / "downloads")
    assert menage("undo", "--yes").exit_code == 0
    assert (tree / "downloads" / "report.pdf").read_bytes() == b"R" * 5000


def test_undo_chosen_run(menage, tree, tmp_path):
    scan(menage, tree)
    first = make_plan(menage, tmp_path / "a.json", "--temp")
    menage("apply", first, "--yes")
    scan(menage, tree)
    second = make_plan(menage, tmp_path / "b.json", "--duplicates")
    menage("apply", second, "--yes")
    result = menage("undo", "1", "--yes")
    assert result.exit_code == 0
    assert (tree / "docs" / "notes.txt~").exists()
    assert not (tree / "downloads" / "report.pdf").exists()
    assert menage("undo", "9", "--yes").exit_code == 1


CHANGES = [
    pytest.param(lambda p: p.unlink(), "no longer there", id="deleted"),
    pytest.param(
        lambda p: os.utime(p, (OLD + 7, OLD + 7)), "modified since the scan", id="touched"
    ),
    pytest.param(lambda p: p.write_bytes(b"R" * 4999), "size changed", id="size-changed"),
    pytest.param(
        # the old file is kept elsewhere, so that its inode number is not reused at once
        lambda p: (p.rename(p.parent / "old.pdf"), write(p, b"R" * 5000, mtime=OLD + 100)),
        "replaced by another file",
        id="replaced",
    ),
    pytest.param(
        lambda p: (p.unlink(), p.symlink_to("/etc/passwd")),
        "no longer a regular file",
        id="now-a-symlink",
    ),
]


@pytest.mark.parametrize(("change", "reason"), CHANGES)
def test_file_changed_between_plan_and_apply_is_skipped(menage, tree, planned, change, reason):
    target = tree / "downloads" / "report.pdf"
    change(target)
    state = snapshot(tree)
    result = menage("apply", planned, "--yes")
    assert result.exit_code == 3, "an incomplete run says so"
    assert f"{target}: {reason}" in result.stderr
    # the changed file is left exactly as it was; the others were cleaned
    after = snapshot(tree)
    for key in (os.fsencode(target), os.fsencode(target.parent / "old.pdf")):
        assert after.get(key) == state.get(key)
    assert not (tree / "backup" / "report-copy.pdf").exists()
    assert history(menage)[0]["skipped"] == 1


def _same_size_same_mtime_other_bytes(path):
    st = path.stat()
    with open(path, "r+b") as handle:
        handle.write(b"X")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


KEEP_CHANGES = [
    pytest.param(lambda k, p: k.unlink(), "is no longer there", id="keep-deleted"),
    pytest.param(
        _same_size_same_mtime_other_bytes, "content differs from the kept copy", id="keep-content"
    ),
    pytest.param(
        lambda k, p: [k.unlink(), k.hardlink_to(p)],
        "the kept copy is the same file",
        id="keep-now-hardlink",
    ),
    pytest.param(lambda k, p: k.unlink() or k.mkdir(), "not a regular file", id="keep-now-folder"),
]


@pytest.mark.parametrize(("change", "reason"), KEEP_CHANGES)
def test_kept_copy_checked_byte_for_byte(menage, tree, tmp_path, change, reason):
    scan(menage, tree)
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates")
    keep = tree / "photos" / "cat.jpg"
    victim = tree / "reference" / "cat.jpg"
    if change is _same_size_same_mtime_other_bytes:
        change(keep)
    else:
        change(keep, victim)
    result = menage("apply", plan, "--yes")
    assert result.exit_code == 3
    assert reason in result.stderr
    assert victim.read_bytes() == b"C" * 3000


def test_other_file_changed_in_content_only(menage, tree, tmp_path):
    scan(menage, tree)
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates")
    victim = tree / "reference" / "cat.jpg"
    _same_size_same_mtime_other_bytes(victim)
    result = menage("apply", plan, "--yes")
    assert "content differs" in result.stderr
    assert victim.read_bytes().startswith(b"X")


def test_dry_run_changes_nothing(menage, tree, planned):
    before = snapshot(tree)
    (tree / "downloads" / "report.pdf").unlink()
    result = menage("apply", planned, "--dry-run")
    assert result.exit_code == 0
    assert "7 actions would be carried out" in result.stdout
    assert "no longer there" in result.stderr
    assert "Nothing was changed" in result.stdout
    before.pop(os.fsencode(tree / "downloads" / "report.pdf"))
    before[os.fsencode(tree / "downloads")] = snapshot(tree)[os.fsencode(tree / "downloads")]
    assert snapshot(tree) == before
    assert history(menage) == []


def test_no_terminal_needs_yes(menage, tree, planned):
    before = snapshot(tree)
    result = menage("apply", planned)
    assert result.exit_code == 8
    assert "add --yes" in result.stderr
    assert snapshot(tree) == before


@pytest.mark.parametrize(
    ("language", "answers", "code"),
    [
        ("en", [b"y"], 0),
        ("en", [b"n"], 8),
        ("fr", [b"o"], 0),
        ("fr", [b"oui"], 0),
        ("fr", [b"Oui "], 0),
        ("fr", [b"non"], 8),
        ("fr", [b""], 8),
        ("fr", [b"yes"], 0),
        ("fr", [b"peut-\xc3\xaatre", b"o"], 0),
    ],
)
def test_confirmation_on_a_real_terminal(
    tree, planned, menage_home, monkeypatch, language, answers, code
):
    import pty

    monkeypatch.setenv("MENAGE_LANG", language)
    prompt = b"[y/N]" if language == "en" else b"[o/N]"
    before = snapshot(tree)
    pid, fd = pty.fork()
    if pid == 0:  # the child: menage on a terminal
        os.execv(
            sys.executable,
            [sys.executable, "-m", "menage", "apply", str(planned), "--keep-empty-folders"],
        )
    output = b""
    for answer in answers:
        while output.count(prompt) < answers.index(answer) + 1:
            output += os.read(fd, 4096)
        os.write(fd, answer + b"\n")
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == code, output.decode()
    if len(answers) > 1:  # an answer that is neither: asked again, in French
        assert "répondez o ou n".encode() in output
    if language == "en":
        assert b"8 actions" in output and b"For example" in output
    if code == 8:
        assert snapshot(tree) == before
        assert (b"cancelled" if language == "en" else "annulé".encode()) in output
    else:
        assert not (tree / "downloads" / "report.pdf").exists()


def test_apply_twice_says_so_in_one_line(menage, tree, planned):
    menage("apply", planned, "--yes")
    result = menage("apply", planned, "--yes")
    assert result.exit_code == 3
    assert result.stderr.strip().splitlines() == [
        "Error: this plan was already applied by run 1: nothing to do. "
        "`menage undo 1` puts its files back."
    ]
    assert len(history(menage)) == 1  # no empty run recorded
    # undone, the same plan can be applied again
    assert menage("undo", "--yes").exit_code == 0
    assert menage("apply", planned, "--yes").exit_code == 0
    assert [run["status"] for run in history(menage)] == ["undone", "done"]


def test_another_plan_over_moved_files_names_the_run(menage, tree, planned, tmp_path):
    menage("apply", planned, "--yes")
    other = tmp_path / "other-plan.jsonl"
    other.write_bytes(planned.read_bytes() + b"\n")  # same actions, another plan file
    result = menage("apply", other, "--yes")
    assert result.exit_code == 3
    assert "already moved by run 1" in result.stderr


def test_apply_json_output(menage, tree, planned):
    result = menage("apply", planned, "--yes", "--json")
    data = json.loads(result.stdout)
    assert data["run"] == 1 and data["freed"]["files"] == 7


def test_hardlinks_of_a_removed_copy_all_go(menage, tmp_path):
    root = tmp_path / "t"
    write(root / "a.txt", b"data" * 100, mtime=OLD)
    write(root / "b.txt", b"data" * 100, mtime=OLD + 5)
    os.link(root / "b.txt", root / "b-link.txt")
    scan(menage, root)
    plan = make_plan(menage, tmp_path / "p.json", "--duplicates")
    assert sorted(os.path.basename(x["path"]) for x in plan_lines(plan)) == ["b-link.txt", "b.txt"]
    menage("apply", plan, "--yes")
    run = history(menage)[0]
    assert run["freed"] == {"files": 2, "folders": 0, "bytes": 400}
    before_undo = snapshot(root)
    assert len(before_undo) == 1
    menage("undo", "--yes")
    assert os.stat(root / "b.txt").st_ino == os.stat(root / "b-link.txt").st_ino


def test_clean_in_one_step_shows_the_rate(menage, tree):
    before = snapshot(tree)
    result = menage("clean", tree, "--duplicates", "--keep", "oldest", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "Duplicate rate:" in result.stdout and "→ 0.0%" in result.stdout
    assert re.search(r"→ 0\.0%, −[\d.]+ pts \(scans", result.stdout), result.stdout
    runs = history(menage)
    assert runs[0]["command"] == "clean"
    assert runs[0]["scan_before"] == 1 and runs[0]["scan_after"] == 2
    compare = json.loads(menage("scans", "--compare", "1", "2", "--json").stdout)
    assert compare["rate_before"] > 0 and compare["rate_after"] == 0
    assert menage("undo", "--yes").exit_code == 0
    assert snapshot(tree) == before


def test_clean_dry_run_and_refusal(menage, tree):
    before = snapshot(tree)
    result = menage("clean", tree, "--duplicates", "--dry-run")
    assert result.exit_code == 0 and "would be carried out" in result.stdout
    assert menage("clean", tree, "--duplicates").exit_code == 8
    assert menage("clean", tree).exit_code == 1
    assert snapshot(tree) == before


def test_interrupted_run_is_carried_on(menage, tree, planned, menage_home):
    """A run marked interrupted (as after a kill) is resumed by applying the same plan."""
    from menage.clean import Journal, default_journal_path

    menage("apply", planned, "--yes")
    menage("undo", "--yes")
    # forge the state a kill leaves: run 2 started, nothing done yet
    scan(menage, tree)
    plan = make_plan(menage, planned.parent / "again.json", "--duplicates")
    digest = __import__("hashlib").sha256(plan.read_bytes()).hexdigest()
    from menage.clean import read_plan

    with Journal(default_journal_path()) as journal:
        run = journal.start_run(read_plan(plan), digest, str(plan), "apply")
    result = menage("apply", plan, "--yes")
    assert "interrupted cleanup was settled" in result.stderr
    assert f"Run {run.id}: 4 done" in result.stdout
    assert [r["run"] for r in history(menage)] == [1, 2]


def test_subprocess_apply_is_quiet_when_piped(tree, planned):
    done = subprocess.run(
        [sys.executable, "-m", "menage", "apply", str(planned), "--yes"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert "\x1b[" not in done.stderr  # no progress bar drawn into a pipe
