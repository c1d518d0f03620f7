"""The shape of the code: no import cycles, and a library that never prints.

The import graph is read from the source with ``ast``, every import counted: at the
top of a module, inside functions (lazy imports), and under ``TYPE_CHECKING``. An
import of ``a.b.c`` is an edge to ``a.b.c``; the implicit import of a parent package
is not counted (``a/__init__.py`` importing its own modules is how packages work).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).parents[1] / "src"


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "menage").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(module imported, line) for every import in the module, wherever it is."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield (full if full in known else base), node.lineno


def graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: {target for target, _line in imported(name, path, known) if target in known} - {name}
        for name, path in known.items()
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_cycles():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_lazy_and_type_checking_imports_are_counted(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from menage.files import scan\n"
        "def f():\n    import menage.report.json\n"
    )
    targets = {t for t, _line in imported("menage.m", module, modules())}
    assert {"menage.files.scan", "menage.report.json"} <= targets


def test_no_import_cycles():
    found = cycles(graph())
    assert not found, "import cycles: " + "; ".join(" ↔ ".join(c) for c in found)


def _prints(name: str, path: Path, known: dict[str, Path]) -> list[str]:
    problems = []
    for target, line in imported(name, path, known):
        if target.split(".")[0] in ("click", "rich"):
            problems.append(f"{name}:{line} imports {target}")
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("print", "input"):
                problems.append(f"{name}:{node.lineno} calls {node.func.id}()")
    return problems


def test_only_the_command_line_prints():
    """Library code returns what it found; printing and click belong to ``menage.cli``."""
    known = modules()
    problems = [
        problem
        for name, path in known.items()
        if not (name == "menage.cli" or name.startswith("menage.cli."))
        for problem in _prints(name, path, known)
    ]
    assert not problems, "\n".join(problems)
