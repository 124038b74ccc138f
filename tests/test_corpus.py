"""The five real notes: nothing lost, nothing invented, the same output every time."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kb import files
from kb.cli import main
from kb.model import Question
from kb.pipeline import build
from kb.words import looks_like_question

ROOT = Path(__file__).resolve().parent.parent


def corpus_build(config_texts):
    notes, _ = files.read_notes(ROOT / "notes")
    return build(notes, config_texts)


def test_notes_are_the_raw_notes_byte_for_byte():
    shared = ROOT.parent / "shared" / "raw-notes"
    ours = sorted(p.read_bytes() for p in (ROOT / "notes").iterdir())
    if shared.is_dir():  # next to a checkout of the project's shared material
        assert ours == sorted(p.read_bytes() for p in shared.iterdir())
    assert len(ours) == 5


def test_every_nonblank_line_is_accounted_for(config_texts):
    result = corpus_build(config_texts)
    for parsed in result.handbook.notes:
        page = result.files[f"sources/{re.sub(r'[.](txt|md)$', '', parsed.note.name)}.md"]
        for number, line in enumerate(parsed.note.lines, start=1):
            row = next(r for r in page.splitlines() if r.startswith(f"| [{number}](#L{number})"))
            where = row.rsplit(" | ", 1)[1]
            assert bool(line.strip()) == (where.strip(" |") != ""), f"{parsed.note.name}:{number}: {row}"


def test_every_question_line_becomes_a_question_entry(config_texts):
    result = corpus_build(config_texts)
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


def test_questions_from_the_issue_are_entries_with_their_answers(config_texts):
    result = corpus_build(config_texts)
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


def test_questions_json_describes_every_question(config_texts):
    result = corpus_build(config_texts)
    records = json.loads(result.files["questions.json"])["questions"]
    assert len(records) == len(result.handbook.questions) == result.stats.questions
    for record in records:
        assert set(record) == {"id", "question", "answer", "answered", "url", "topic", "section", "sources"}
        page, anchor = record["url"].split("#")
        assert f"{{ #{anchor} }}" in result.files[page.replace(".html", ".md")]
        assert record["answered"] == bool(record["answer"])
        assert all(s["note"] in {p.note.name for p in result.handbook.notes} for s in record["sources"])


def test_mojibake_and_dropped_lines_are_reported(config_texts):
    result = corpus_build(config_texts)
    assert any("Fréchet" in text for text in result.files.values())
    assert not any("Fr√©chet" in text for path, text in result.files.items() if not path.startswith("sources/"))
    coverage = result.files["sources/index.md"]
    for reason in ("hand-written table of contents", "chat-assistant sign-off", "stray fragment", "web page boilerplate", "separator line"):
        assert reason in coverage


def test_output_is_deterministic(config_texts):
    assert corpus_build(config_texts).files == corpus_build(config_texts).files


def test_committed_docs_are_fresh():
    assert main(["--root", str(ROOT), "normalize", "--check", "--quiet"]) == 0


def test_second_run_changes_nothing_and_hand_written_pages_survive(project, capsys):
    home = (project / "docs" / "index.md").read_text()
    hand = project / "docs" / "my-page.md"
    hand.write_text("# Mine\n")
    assert main(["--root", str(project), "normalize"]) == 0
    before = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    assert main(["--root", str(project), "normalize"]) == 0
    assert "already up to date" in capsys.readouterr().out
    after = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    assert after == before and {p: p.stat().st_mtime_ns for p in after} == mtimes
    assert hand.read_text() == "# Mine\n"
    assert (project / "docs" / "index.md").read_text() == home  # stats already current
