"""The package's shape: stages side by side over the model, the disk layer at the bottom, no circles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KB = Path(__file__).resolve().parents[2] / "tools" / "kb"
STAGES = ("read", "parse", "classify", "privacy", "link", "emit")
SHARED = ("model", "words", "terms", "memory", "sharing")
"""What every stage may import: the model, the shared text helpers and their memory, and how a stage's works are shared
among processes (the stage gets the sharing from the pipeline)."""


def _unit(path: Path) -> str:
    """The top-level unit of kb a file belongs to: 'parse' for parse/recognizers/x.py, 'files' for files.py."""
    return path.relative_to(KB).parts[0].removesuffix(".py")


def _imports() -> dict[str, set[str]]:
    """Unit -> the kb units it imports."""
    graph: dict[str, set[str]] = {}
    for path in KB.rglob("*.py"):
        unit = _unit(path)
        depth = len(path.relative_to(KB).parts) - 1  # how many dots lead back to kb/
        found = graph.setdefault(unit, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                if node.level == depth + 1:  # from ..x import y  -> kb.x (or kb.y when x is empty)
                    targets = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
                    found.update(t for t in targets if t != unit)
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kb."):
                found.add(node.module.split(".")[1])
    return graph


def test_stages_import_only_the_model_and_shared_helpers() -> None:
    graph = _imports()
    for stage in STAGES:
        assert graph[stage] <= set(SHARED), f"{stage} imports {sorted(graph[stage] - set(SHARED))}"


def test_the_model_and_the_disk_layer_import_no_stage() -> None:
    graph = _imports()
    assert graph["model"] == set(), graph["model"]
    assert graph["collector"] == set(), graph["collector"]  # the cycle collector's pause, for the disk layer and the pipeline
    assert graph["files"] <= {"model", "collector"}, graph["files"]


def test_no_circles() -> None:
    graph = _imports()
    state: dict[str, int] = {}

    def visit(unit: str, path: tuple[str, ...]) -> None:
        if state.get(unit) == 1:
            pytest.fail("import circle: " + " -> ".join((*path, unit)))
        if state.get(unit) == 2:
            return
        state[unit] = 1
        for target in sorted(graph.get(unit, ())):
            visit(target, (*path, unit))
        state[unit] = 2

    for unit in sorted(graph):
        visit(unit, ())
