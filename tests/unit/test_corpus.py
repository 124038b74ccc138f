"""The five real notes through the pipeline, in memory: nothing lost, nothing invented, the same output every time.

The tests share one build (the `corpus` fixture of tests/conftest.py) and only read it.
"""

from __future__ import annotations

import html
import json
import re

from kb import files
from kb.model import Question
from kb.pipeline import Build, build
from kb.words import looks_like_question
from tests.conftest import ROOT, listing_lines


def corpus_build(config_texts):
    notes, _ = files.read_notes(ROOT / "notes")
    return build(notes, config_texts)


def test_notes_are_the_raw_notes_byte_for_byte():
    shared = ROOT.parent / "shared" / "raw-notes"
    ours = sorted(p.read_bytes() for p in (ROOT / "notes").iterdir())
    if shared.is_dir():  # next to a checkout of the project's shared material
        assert ours == sorted(p.read_bytes() for p in shared.iterdir())
    assert len(ours) == 5


def test_every_nonblank_line_is_accounted_for(corpus: Build):
    result = corpus
    for parsed in result.handbook.notes:
        page = result.files[f"sources/{re.sub(r'[.](txt|md)$', '', parsed.note.name)}.md"]
        listing = listing_lines(page)
        assert sorted(listing) == list(range(1, len(parsed.note.lines) + 1))
        for number, line in enumerate(parsed.note.lines, start=1):
            text, went = listing[number]
            assert html.unescape(text) == line.expandtabs(4).rstrip(), f"{parsed.note.name}:{number}: {text}"
            assert not line.strip() or went, f"{parsed.note.name}:{number} is in no run"


def test_every_question_line_becomes_a_question_entry(corpus: Build):
    result = corpus
    asked_lines = {(q.source.note, q.source.first) for m in result.handbook.questions for q in m.asked}
    for parsed in result.handbook.notes:
        if parsed.note.markdown:
            continue
        for entry in parsed.entries:
            if isinstance(entry, Question):
                assert (entry.source.note, entry.source.first) in asked_lines
        for number, line in enumerate(parsed.note.lines, start=1):
            text = line.strip()
            if line[:1] not in "\t " and text.endswith("?") and looks_like_question(text, result.handbook.config):
                assert (parsed.note.name, number) in asked_lines, f"{parsed.note.name}:{number} {text!r} is not a question entry"


def test_questions_from_the_issue_are_entries_with_their_answers(corpus: Build):
    result = corpus
    by_title = {q.title: q for q in result.handbook.questions}
    lstm = by_title["Difference between LSTM and GRU"]
    assert [a.source.first for a in lstm.asked] == [134, 282]  # asked twice, one entry
    assert lstm.placement.topic.title == "Deep learning"
    assert by_title["What is p-value in simplest term?"].placement.topic.title == "Statistics"
    assert "Mean Squared Error" in json.dumps(result.files["questions.json"])
    vector_db = by_title["Why do we need vector DB?"]
    assert vector_db.asked[0].answer[0].text.value.startswith("own search algo")
    assert vector_db.placement.topic.title == "RAG and vector search"
    unanswered = next(q for title, q in by_title.items() if title.startswith("Describe your experience in using transformer-based models"))
    assert not unanswered.answered


def test_questions_json_describes_every_question(corpus: Build):
    result = corpus
    records = json.loads(result.files["questions.json"])["questions"]
    assert len(records) == len(result.handbook.questions) == result.stats.questions
    for record in records:
        assert set(record) == {"id", "question", "answer", "answer_html", "answered", "url", "topic", "section", "sources", "marks", "tags"}
        assert record["marks"] == sorted(set(record["marks"])) and set(record["marks"]) <= {"E", "M", "H"}
        page, anchor = record["url"].split("#")
        page_text = result.files[page.replace(".html", ".md")]
        assert f"{{ #{anchor} }}" in page_text or f'id="{anchor}"' in page_text  # titles with _x_ get an HTML heading
        assert record["answered"] == bool(record["answer"])
        assert all(s["note"] in {p.note.name for p in result.handbook.notes} for s in record["sources"])


def test_mojibake_and_dropped_lines_are_reported(corpus: Build):
    result = corpus
    assert any("Fréchet" in text for text in result.files.values())
    assert not any("Fr√©chet" in text for path, text in result.files.items() if not path.startswith("sources/"))
    coverage = result.files["sources/index.md"]
    for reason in ("hand-written table of contents", "chat-assistant sign-off", "stray fragment", "web page boilerplate", "separator line"):
        assert reason in coverage


def test_output_is_deterministic(config_texts, corpus: Build):
    assert corpus_build(config_texts).files == corpus.files  # a second build, the same files
