"""The reader against a hand annotation of our five notes (five-notes.yml, every non-blank line).

The annotation was made by reading each line: `question` (an explicit interview question),
`prompt` (a bare term inside a run of questions), `followup` (joins the question before it),
`answer`, `heading`, `material`; and `repeats`, groups of lines asking the same question.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from kb import files
from kb.model import Question
from kb.pipeline import Build, build

ROOT = Path(__file__).resolve().parent.parent.parent
ANNOTATION = yaml.safe_load((Path(__file__).parent / "five-notes.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built() -> Build:
    notes = [(p.name, p.read_bytes()) for p in sorted((ROOT / "notes").iterdir())]
    return build(notes, files.read_config(ROOT / "config"))


def _lines(kind: str) -> set[tuple[str, int]]:
    return {(note, item["line"]) for note, items in ANNOTATION["files"].items() for item in items if item["kind"] == kind}


def _starts(result: Build) -> dict[tuple[str, int], Question]:
    """Questions by the note line they start on."""
    return {(p.note.name, e.source.first): e for p in result.handbook.notes for e in p.entries if isinstance(e, Question)}


def test_explicit_questions_are_found(built: Build) -> None:
    wanted = _lines("question")
    missed = sorted(wanted - set(_starts(built)))
    assert len(missed) <= 0.02 * len(wanted), f"recall {1 - len(missed) / len(wanted):.3f}, missed {missed}"


def test_bare_prompts_in_question_runs_are_found(built: Build) -> None:
    wanted = _lines("prompt")
    missed = sorted(wanted - set(_starts(built)))
    assert len(missed) <= 0.13 * len(wanted), f"recall {1 - len(missed) / len(wanted):.3f}, missed {missed}"


def test_follow_ups_join_their_question(built: Build) -> None:
    starts = _starts(built)
    for note, line in _lines("followup"):
        assert (note, line) not in starts, f"{note}:{line} stands alone"
        of = next(i["of"] for i in ANNOTATION["files"][note] if i["line"] == line)
        assert line in starts[(note, of)].source.lines, f"{note}:{line} does not join line {of}"


def test_no_question_is_made_of_other_lines(built: Build) -> None:
    asking = _lines("question") | _lines("prompt") | _lines("followup")
    invented = sorted(set(_starts(built)) - asking)
    assert len(invented) <= 1, invented


def test_repeated_questions_are_merged(built: Build) -> None:
    starts = _starts(built)
    entry = {id(a): q.id for q in built.handbook.questions for a in q.asked}
    merged = 0
    for group in ANNOTATION["repeats"]:
        ids = set()
        for ref in group["lines"]:
            note, line = ref.rsplit(":", 1)
            question = starts.get((note, int(line)))
            ids.add(entry.get(id(question)) if question else None)
        merged += len(ids) == 1 and None not in ids
    assert merged >= MERGED_REPEATS, f"{merged} of {len(ANNOTATION['repeats'])} repeated questions merged"


MERGED_REPEATS = 12
"""How many of the annotated groups must come out as one entry."""


def test_every_annotated_line_exists() -> None:
    by_note: dict[str, list[int]] = defaultdict(list)
    for note, items in ANNOTATION["files"].items():
        by_note[note] = [i["line"] for i in items]
    for note, lines in by_note.items():
        text = (ROOT / "notes" / note).read_text(encoding="utf-8", errors="replace").splitlines()
        nonblank = [n for n, line in enumerate(text, start=1) if line.strip()]
        assert sorted(lines) == nonblank, note
