"""Golden files: one small note per note style, and the pages the tool makes from it.

Run `pytest tests/test_golden.py --update-golden` to rewrite the expectations after an
intended change, then read the diff before committing it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from kb.pipeline import build

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def render(case: Path, config_texts: dict[str, str]) -> str:
    (note,) = [p for p in case.iterdir() if p.name.startswith("note.")]
    result = build([(note.name, note.read_bytes())], config_texts)
    parts = [f"===== {path}\n{text}" for path, text in sorted(result.files.items())]
    parts += ["===== problems\n" + "".join(f"{p}\n" for p in result.problems)]
    return "\n".join(parts)


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str, config_texts: dict[str, str], request: pytest.FixtureRequest) -> None:
    case = GOLDEN / name
    actual = render(case, config_texts)
    expected_file = case / "expected.txt"
    if request.config.getoption("--update-golden"):
        expected_file.write_text(actual, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "expected", "actual", n=2))
        pytest.fail(f"{name}: output differs from {expected_file.relative_to(GOLDEN.parent)}:\n{diff[:6000]}")


def test_every_note_style_has_a_golden_case() -> None:
    assert CASES == ["markdown-toc", "numbered-qa", "outline-txt", "video-notes", "web-flattened"]
