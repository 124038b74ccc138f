"""Emit's shortcuts after an edit (emit/digests.py, emit/pieces.py) write what a run without memory writes: a topic page
taken whole under one flat digest of its inputs, the askings' and blocks' digests remembered per parse and listing page,
the notes' listings keyed by the digests of their entries' places on each page (which the pages remember), over random
edits, notes added and removed, and notes whose listing page moves (names that slug alike)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb import files
from kb.emit.home_stats import nonblank_lines
from kb.pipeline import build
from tests.unit.random_notes import edited, strategies

_LINES = (
    "Q: What is LoRA in a transformer?\nA: Low-rank adapters for attention.\n\n```python\nx = lora(1)\ny = 2\n```",
    "Q: What is attention?\nA: Weighted sums over embeddings.", "What is RAG?", "what is docker", "what is a pod",
    "- What is RAG?\n- How does the embedding work?", "# Transformers", "Notes on LSTM and GPU memory\n- a point about attention",
    "Q: What is attention?\nA: Said otherwise.\n\n```\nz = 4\n```", "kubernetes -> cluster -> nodes -> pods", "=====",
)
"""Paragraphs of notes: answers with code, questions asked in several notes (merged), lists, headings, blocks."""
_NOTE, _EDIT = strategies(_LINES)
_NAMES = ("a.md", "a.txt", "A.md", "b.md")
"""Note names, three of which slug alike: their listing pages are a, a-2, a-3 in name order, so adding or removing one
moves the others' listing pages while their bytes (and parse keys) stay."""


def _notes(notes: dict[str, list[str]]) -> list[tuple[str, bytes]]:
    return [(name, "\n\n".join(lines).encode()) for name, lines in sorted(notes.items())]


@settings(max_examples=min(20, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.sampled_from(_NAMES), min_size=1, max_size=4, unique=True), start=st.lists(_NOTE, min_size=4, max_size=4),
       edits=st.lists(_EDIT, min_size=1, max_size=3))
@example(names=["a.md", "a.txt"], start=[["what is docker"], ["what is a pod"], ["x"], ["y"]], edits=[("remove", 0, 0, "", [])])
def test_a_run_with_the_last_runs_memory_writes_what_a_run_without_it_writes(
        names: list[str], start: list[list[str]], edits: list[tuple[str, int, int, str, list[str]]], config_texts: dict[str, str],
        tmp_path_factory: pytest.TempPathFactory):
    before = {name: lines for name, lines in zip(names, start, strict=False)}
    after = edited(before, edits)
    cache = files.NoteCache(tmp_path_factory.mktemp("cache"))
    for notes in (before, after, before):
        warm = build(_notes(notes), config_texts, cache=cache)
        cold = build(_notes(notes), config_texts)
        assert warm.files == cold.files
        assert warm.digests == {path: files.digest(warm.files[path]) for path in warm.digests}


def test_a_note_whose_listing_page_moved_links_to_its_new_page(config_texts: dict[str, str], tmp_path: Path):
    cache = files.NoteCache(tmp_path)
    kept = ("a.txt", b"Q: What is docker?\nA: Containers.\n\nNotes on pods\n- a pod holds containers\n")
    for notes in ([("a.md", b"What is a pod?\n"), kept], [kept], [("a.md", b"What is a pod?\n"), kept]):
        warm = build(notes, config_texts, cache=cache)
        assert warm.files == build(notes, config_texts).files
    assert "sources/a-2.md" in warm.files


@given(st.lists(st.text(st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\u200bax"), max_size=4), max_size=6).map(tuple))
def test_nonblank_lines_counts_the_lines_strip_leaves_something_of(lines: tuple[str, ...]):
    assert nonblank_lines(lines) == sum(1 for line in lines if line.strip())
