"""The plan file: hand-edited mistakes get a clear error naming the line; nothing applied."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from menage.clean.errors import PlanInvalid
from menage.clean.plan import Action, Plan
from menage.clean.planfile import format_plan, parse_plan
from tests.clean.conftest import make_plan, scan, snapshot


@pytest.fixture
def planned(menage, tree, tmp_path):
    scan(menage, tree)
    return make_plan(menage, tmp_path / "plan.json", "--duplicates", "--temp", "--empty")


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def first_action_line(text: str) -> int:
    return line_of(text, '{"action"')


def _replace_first_action(text: str, new: str) -> str:
    lines = text.splitlines()
    lines[first_action_line(text) - 1] = new
    return "\n".join(lines) + "\n"


def _edit_first_action(text: str, **changes) -> str:
    lines = text.splitlines()
    n = first_action_line(text) - 1
    data = json.loads(lines[n])
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    lines[n] = json.dumps(data)
    return "\n".join(lines) + "\n"


MISTAKES = [
    pytest.param(
        lambda t: _edit_first_action(t, action="delete"), "unknown action", id="unknown-action"
    ),
    pytest.param(
        lambda t: _edit_first_action(t, path="/etc/passwd"),
        "outside the scanned folders",
        id="outside-roots",
    ),
    pytest.param(
        lambda t: _replace_first_action(t, '{"action": "quarantine", "path": '),
        "not valid JSON",
        id="malformed-json",
    ),
    pytest.param(
        lambda t: _replace_first_action(t, "[1, 2]"), "expected a JSON object", id="not-an-object"
    ),
    pytest.param(
        lambda t: _edit_first_action(t, inode=None),
        '"inode" must be a whole number',
        id="missing-inode",
    ),
    pytest.param(
        lambda t: _edit_first_action(t, size="big"), '"size" must be a whole number', id="bad-size"
    ),
    pytest.param(
        lambda t: _edit_first_action(t, colour="red"), "unknown field", id="unknown-field"
    ),
    pytest.param(
        lambda t: _edit_first_action(t, finding="fun"), "unknown finding", id="unknown-finding"
    ),
    pytest.param(
        lambda t: _edit_first_action(t, keep=None),
        "needs its kept copy",
        id="duplicate-without-keep",
    ),
    pytest.param(
        lambda t: _edit_first_action(t, path="relative/file"), "not an absolute", id="relative-path"
    ),
    pytest.param(
        lambda t: _edit_first_action(t, action="hardlink", finding="temp_files", keep=None),
        "only for duplicates",
        id="hardlink-temp",
    ),
]


@pytest.mark.parametrize(("mistake", "message"), MISTAKES)
def test_mistake_names_the_line_and_nothing_is_applied(menage, tree, planned, mistake, message):
    text = planned.read_text()
    planned.write_text(mistake(text))
    before = snapshot(tree)
    result = menage("apply", planned, "--yes")
    assert result.exit_code == 6, result.stderr
    line = first_action_line(text)
    assert f"line {line}:" in result.stderr
    assert message in result.stderr
    assert "Nothing was applied" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tree) == before
    assert menage("history", "--json").stdout.strip() == "[]"


def test_several_mistakes_are_counted(menage, tree, planned):
    lines = planned.read_text().splitlines()
    actions = [n for n, line in enumerate(lines) if line.startswith('{"action"')]
    for n in actions[:3]:
        lines[n] = lines[n].replace('"quarantine"', '"shred"')
    planned.write_text("\n".join(lines) + "\n")
    result = menage("apply", planned, "--yes")
    assert result.exit_code == 6
    assert f"line {actions[0] + 1}:" in result.stderr
    assert f"and 2 more mistakes, on lines {actions[1] + 1}, {actions[2] + 1}" in result.stderr


def test_same_path_twice(menage, planned):
    text = planned.read_text()
    n = first_action_line(text)
    lines = text.splitlines()
    lines.append(lines[n - 1])
    planned.write_text("\n".join(lines) + "\n")
    result = menage("apply", planned, "--yes")
    assert result.exit_code == 6
    assert f"already has an action on line {n}" in result.stderr


def test_kept_copy_cannot_be_removed_too(menage, planned):
    text = planned.read_text()
    lines = text.splitlines()
    first = json.loads(lines[first_action_line(text) - 1])
    other = dict(first, path=first["keep"], keep=first["path"])
    lines.append(json.dumps(other))
    planned.write_text("\n".join(lines) + "\n")
    result = menage("apply", planned, "--yes")
    assert result.exit_code == 6
    assert "kept copy" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "no header line", id="empty-file"),
        pytest.param(b"# only comments\n", "no header line", id="only-comments"),
        pytest.param(b'{"action": "quarantine"}\n', "header", id="no-header"),
        pytest.param(b'{"menage_plan": 99, "roots": ["/x"]}\n', "format 99", id="future-format"),
        pytest.param(b'{"menage_plan": 1}\n', "roots", id="header-without-roots"),
        pytest.param(b"\xff\xfe garbage", "not UTF-8", id="binary"),
    ],
)
def test_broken_plan_files(menage, tmp_path, content, message):
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    result = menage("apply", path, "--yes")
    assert result.exit_code == 6
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_plan_file(menage, tmp_path):
    result = menage("apply", tmp_path / "nope.json", "--yes")
    assert result.exit_code == 1  # not a plan with a mistake (6)
    assert "nope.json: no such file or folder. Nothing was applied." in result.stderr


def test_widened_roots_are_refused(menage, tree, planned):
    text = planned.read_text()
    header = line_of(text, '"menage_plan"')
    lines = text.splitlines()
    data = json.loads(lines[header - 1])
    data["roots"] = ["/"]
    lines[header - 1] = json.dumps(data)
    planned.write_text("\n".join(lines) + "\n")
    result = menage("apply", planned, "--yes")
    assert result.exit_code == 6
    assert f"line {header}: the roots differ from those of scan" in result.stderr


def test_comments_and_deleted_lines_are_fine(menage, tree, planned):
    lines = planned.read_text().splitlines()
    actions = [n for n, line in enumerate(lines) if line.startswith('{"action"')]
    lines[actions[0]] = "# " + lines[actions[0]]
    del lines[actions[1]]
    planned.write_text("\n".join(lines) + "\n\n\n")
    result = menage("apply", planned, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert f"{len(actions) - 2} actions would be carried out" in result.stdout


names = st.binary(min_size=1, max_size=12).filter(
    lambda b: b"/" not in b and b not in (b".", b"..")
)


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(names, min_size=1, max_size=3),
    kind=st.sampled_from(["quarantine", "trash"]),
    numbers=st.tuples(*[st.integers(0, 2**62)] * 4),
)
def test_plan_round_trip_keeps_every_byte(parts, kind, numbers):
    path = b"/root dir/" + b"/".join(parts)
    size, dev, ino, mtime = numbers
    plan = Plan(
        scan_id=4,
        roots=[b"/root dir"],
        actions=[Action(kind, path, "temp_files", size, dev, ino, mtime, detail="cache")],
    )
    text = format_plan(plan)
    if os.path.normpath(path) != path:
        with pytest.raises(PlanInvalid):
            parse_plan(text.encode())
        return
    parsed = parse_plan(text.encode())
    action = parsed.actions[0]
    assert (action.path, action.size, action.device, action.inode, action.mtime_ns) == (
        path,
        size,
        dev,
        ino,
        mtime,
    )
    assert text.encode("utf-8")  # always valid UTF-8 text, whatever the names
