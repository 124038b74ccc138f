"""Golden files: one small note per note style, and the pages the tool makes from it.

Each case is a folder beside this file:

- note.txt or note.md: the note;
- config/: the case's own config, cut from the project's config/ to what the note uses (the topics its
  entries land on and the inbox, the glossary terms it mentions, the corrections, spellings and cleanup
  rules its lines meet). The cases never read the project's config/, so editing it rewrites no expectation;
- expected.txt: every file the pipeline makes from the note, then its problems;
- SOURCE.md: where the note comes from (and its licence);
- counts.yml: a careful hand count of its questions, how many are answered, and where each starts.

Run `pytest tests/golden --update-golden` to rewrite the expectations after an intended change, then read
the diff before committing it.
"""

from __future__ import annotations

import difflib
import html
from pathlib import Path

import pytest
import yaml

from kb import files
from kb.model import Question
from kb.pipeline import build
from kb.read import read_note
from tests.conftest import listing_lines

GOLDEN = Path(__file__).parent
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
REQUIRED_CONFIG = ("topics.yml", "corrections.yml", "cleanup.yml")
"""The config files kb cannot do without (glossary.yml is optional: without it there is no glossary)."""


def notes(case: Path) -> list[Path]:
    return [p for p in case.iterdir() if p.name in ("note.txt", "note.md")]


def render(case: Path) -> str:
    config = case / "config"
    assert config.is_dir(), f"{case.name}: no config/ folder; each golden case carries its own config"
    (note,) = notes(case)
    result = build([(note.name, note.read_bytes())], files.read_config(config))
    parts = [f"===== {path}\n{text}" for path, text in sorted(result.files.items())]
    parts += ["===== problems\n" + "".join(f"{p}\n" for p in result.problems)]
    return "\n".join(parts)


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str, request: pytest.FixtureRequest) -> None:
    case = GOLDEN / name
    actual = render(case)
    expected_file = case / "expected.txt"
    if request.config.getoption("--update-golden"):
        expected_file.write_text(actual, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "expected", "actual", n=2))
        pytest.fail(f"{name}: output differs from {expected_file.relative_to(GOLDEN.parent)}:\n{diff[:6000]}")


def test_every_case_folder_is_complete() -> None:
    assert CASES, f"no golden cases in {GOLDEN}"
    incomplete = []
    for name in CASES:
        case = GOLDEN / name
        found = [p.name for p in notes(case)]
        if len(found) != 1:
            incomplete.append(f"{name}: needs one note.txt or note.md, has {found or 'none'}")
        config = case / "config"
        missing = [f"config/{f}" for f in REQUIRED_CONFIG if not (config / f).is_file()]
        missing += [f for f in ("expected.txt", "SOURCE.md", "counts.yml") if not (case / f).is_file()]
        if missing:
            incomplete.append(f"{name}: missing {', '.join(missing)}")
        elif not (case / "SOURCE.md").read_text(encoding="utf-8").strip():
            incomplete.append(f"{name}: SOURCE.md should say where the note comes from")
    assert not incomplete, "\n".join(incomplete)


@pytest.mark.parametrize("name", CASES)
def test_expected_output_lists_every_note_line_and_where_it_went(name: str) -> None:
    """The source listing in expected.txt has every line of the note; each non-blank line is in a run that says
    where it went (or why it was left out), and the listing shows it as written."""
    case = GOLDEN / name
    (note,) = notes(case)
    read, _ = read_note(note.name, note.read_bytes())
    assert read is not None
    lines = read.lines  # as decoded and repaired
    listing = listing_lines((case / "expected.txt").read_text(encoding="utf-8").split("===== sources/note.md\n", 1)[1].split("\n===== ", 1)[0])
    assert sorted(listing) == list(range(1, len(lines) + 1))
    for number, line in enumerate(lines, start=1):
        text, went = listing[number]
        assert html.unescape(text) == line.expandtabs(4).rstrip(), f"{name}/{note.name}:{number}: {text}"
        assert not line.strip() or went, f"{name}/{note.name}:{number} is in no run"


@pytest.mark.parametrize("name", CASES)
def test_questions_match_the_hand_count(name: str) -> None:
    """No error, no line left unrecognized, and the questions a careful reader counts (counts.yml):
    their number and the number answered within 15%, and no question where the reader counts none."""
    case = GOLDEN / name
    counts = yaml.safe_load((case / "counts.yml").read_text(encoding="utf-8"))
    (note,) = notes(case)
    result = build([(note.name, note.read_bytes())], files.read_config(case / "config"))
    assert not [p for p in result.problems if p.fatal or "not recognized" in p.message or "could not be read" in p.message]
    found = [e for parsed in result.handbook.notes for e in parsed.entries if isinstance(e, Question)]
    assert abs(len(found) - counts["questions"]) <= 0.15 * counts["questions"], f"{name}: {len(found)} questions, the hand count is {counts['questions']}"
    answered = sum(1 for q in found if q.answer)  # whether a trailing link or image answers is a judgement call: one either way
    assert abs(answered - counts["answered"]) <= max(1, 0.15 * counts["answered"]), f"{name}: {answered} answered, the hand count is {counts['answered']}"
    starts = {q.source.first for q in found}
    missed = [line for line in counts["lines"] if line not in starts and line - 1 not in starts]  # a <details> may open a line early
    assert len(missed) <= 0.15 * counts["questions"], f"{name}: no question starts on lines {missed}"
