"""The rooms and their floors: a lower floor never imports a higher one, and no module hides
an import inside a function to dodge that (DEVELOPERS.md, 'The rooms')."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOORS = {
    "core": 0,
    "warehouse": 1,
    "metrics": 2,
    "queries": 3,
    "charts": 4,
    "auth": 5,
    "figures": 6,
    "startup": 7,
    "ui": 8,
    "views": 9, "app": 9, "manage": 9, "server": 9,
}
APP_CODE = [p for p in ROOT.rglob("*.py")
            if p.relative_to(ROOT).parts[0] in FLOORS or p.parent == ROOT
            if "migrations" not in p.parts]


def room(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in FLOORS else None


def _imports(tree: ast.AST):
    """(module imported, line, at module level?) for every import in the file."""
    top_level = {id(n) for n in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, id(node) in top_level
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno, id(node) in top_level


def _file_room(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


@pytest.mark.parametrize("path", APP_CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_go_down_only_and_sit_at_the_top(path):
    here = _file_room(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for module, line, top in _imports(tree):
        there = room(module)
        if there is None:
            continue
        if not top:
            problems.append(f"line {line}: 'import {module}' inside a function or block")
        if there != here and FLOORS[there] >= FLOORS[here]:
            problems.append(f"line {line}: {here} (floor {FLOORS[here]}) imports {module} "
                            f"(floor {FLOORS[there]})")
    assert problems == []


def test_the_check_sees_a_violation(tmp_path):
    """The test above would notice an upward import and a hidden one."""
    tree = ast.parse("import ui.data\n\ndef f():\n    from auth import users\n")
    found = [(m, top) for m, _, top in _imports(tree)]
    assert found == [("ui.data", True), ("auth", False)]
    assert FLOORS[room("ui.data")] > FLOORS["queries"]


def test_every_room_is_covered():
    rooms = {_file_room(p) for p in APP_CODE}
    assert {"core", "warehouse", "metrics", "queries", "charts", "auth", "figures", "startup",
            "ui", "views", "app", "manage", "server"} <= rooms


def test_only_the_release_reads_unprotected_counts():
    """queries.run.fetch_unprotected hands out raw counts; queries/release.py protects them
    before they leave, and nothing else may call it."""
    callers = sorted(str(p.relative_to(ROOT)) for p in APP_CODE
                     if "fetch_unprotected" in p.read_text(encoding="utf-8"))
    assert callers == ["queries/release.py", "queries/run.py"]
