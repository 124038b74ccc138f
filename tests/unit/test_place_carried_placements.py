"""Placing questions with the last run's placements carried (classify's `_Placing.all`) places them as placing anew
does, after any edit: the same pages and whys, the same ids. The merge is carried too and merged again however much
changed (REMERGE_UP_TO at 1), so that most questions are known again and their placements carried: in the tests of
test_place_carry.py, where small handbooks change by a larger share, the merge is mostly made anew, and then nothing
is carried."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb.classify import _Placements, _Placing, classify
from kb.classify import merge as merge_module
from kb.classify.merge import _NoteKey
from kb.memory import Tables, merged, remembering
from kb.model import Config, Handbook, ParsedNote, Placement
from tests.unit.random_notes import edited_and_back, parsed, strategies

_LINES = (
    "what is docker", "what is a pod", "ci vs cd", "ci vs cd\n\tsalary hike", "what is a node", "what ctc", "=====",
    "kubernetes -> cluster -> nodes -> pods = hosting docker containers inside pods", "is cluster physically exist ?",
    "why do we need vector db\n\twhat makes csv or excel worse for this", "what makes csv or excel worse for this",
    "why do we need vector db", "why do we need vector db\n\tsalary hike",
    "why cant we store them in csv", "what is p-value?", "p-value vs alpha", "zip?", "what is zip?",
    "- zip - https://example.org/zip\n- sigmoid", "data drift / model drift / concept drift", "how to avoid data drift?",
    "Vector DB\n- stores embeddings", "task -> pod", "expected ctc?\n- 20 lpa",
)
"""Paragraphs of notes: questions asked in several notes (one question across them), one of them private by its answer
only ('ci vs cd' and its salary), questions whose own words are weak and so follow their neighbours or the question
they follow up, separators, blocks that may repeat a question."""

_NOTE, _EDIT = strategies(_LINES)
_START = {"a.txt": ["what is docker", "what is a pod", "ci vs cd", "what is docker"],
          "b.txt": ["what is a pod", "ci vs cd", "zip?", "what is docker", "what is a node"],
          "c.txt": ["why do we need vector db\n\twhat makes csv or excel worse for this", "why cant we store them in csv", "ci vs cd"],
          "d.txt": ["zip?", "what is p-value?", "p-value vs alpha"]}


def _parsed(notes: dict[str, list[str]], config: Config) -> tuple[ParsedNote, ...]:
    return parsed(notes, config, between="\n\n")  # (each line a paragraph: an answer is on its question's line)


def _shape(handbook: Handbook) -> object:
    return [(q.id, q.title, q.placement, [a.source for a in q.asked]) for q in handbook.questions], [(b.id, b.placement) for b in handbook.blocks]


@contextmanager
def _placed_anew() -> Iterator[list[int]]:
    """How many questions each classify placed anew (rather than carried), in a list that grows as they run."""
    counts: list[int] = []
    place, every = _Placing.place, _Placing.all
    placed = [0]

    def counting_place(self: _Placing, g: int, read: list[int]) -> Placement:
        placed[0] += 1
        return place(self, g, read)

    def counting_all(self: _Placing, keys: list[_NoteKey], was: list[int], made: _Placements) -> list[Placement]:
        placed[0] = 0
        found = every(self, keys, was, made)
        counts.append(placed[0])
        return found

    with patch.object(_Placing, "all", counting_all), patch.object(_Placing, "place", counting_place), \
            patch.object(merge_module, "REMERGE_UP_TO", 1):
        yield counts


def _runs(config: Config, versions: list[tuple[ParsedNote, ...]]) -> list[object]:
    """The handbook of each version of the notes, each run remembering (and carrying) from the one before."""
    known: Tables = {}
    shapes = []
    for notes in versions:
        with remembering((config, config.glossary), known) as memory:
            shapes.append(_shape(classify(notes, config)))
        known = merged(known, memory.used)  # (as the pipeline keeps what runs before worked out)
    return shapes


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from([f"n{k}.txt" for k in range(6)]), _NOTE, min_size=1, max_size=5),
       st.lists(_EDIT, min_size=1, max_size=3), st.lists(_EDIT, max_size=3))
@example(_START, [("set", 0, 2, "ci vs cd\n\tsalary hike", [])], [])  # a question across notes turns private: its neighbours' votes change
@example(_START, [("set", 1, 0, "what ctc", [])], [("set", 1, 0, "what is a node", [])])  # b.txt's 'ci vs cd' loses a vote, then gets it back
@example({"n0.txt": ["what is docker", "what is docker", "what is docker", "what is docker", "what is docker", "expected ctc?\n- 20 lpa"],
          "n1.txt": ["what is docker", "ci vs cd", "what is a node", "ci vs cd", "what is a pod"]},
         [("set", 0, 0, "what is docker", [])], [("set", 0, 5, "what is docker", [])])  # a neighbour placed before changes page, its own vote the same
@example(_START, [("delete", 2, 0, "", [])], [])  # c.txt's follow-up loses the question it follows up
@example({**_START, "a.txt": ["why do we need vector db", "what is docker"]}, [("set", 0, 0, "why do we need vector db\n\tsalary hike", [])],
         [("insert", 0, 0, "what is a pod", [])])  # c.txt's follow-up follows its question, asked first in a.txt, to its new page, then line
@example(_START, [("add", 9, 0, "", ["ci vs cd", "what is a pod"])], [("remove", 0, 0, "", [])])  # a question gets an asking, loses one
@example(_START, [("insert", 3, 1, "=====", [])], [])  # a separator splits d.txt's run
def test_placing_with_placements_carried_is_placing_anew(config: Config, start: dict[str, list[str]],
                                                       edits: list[tuple[str, int, int, str, list[str]]],
                                                       more: list[tuple[str, int, int, str, list[str]]]) -> None:
    versions = edited_and_back(start, edits, more)
    parsed = [_parsed(notes, config) for notes in versions]
    with _placed_anew():
        carried = _runs(config, parsed)
    assert carried == [_shape(classify(notes, config)) for notes in parsed]  # (no memory: all placed anew)


def test_after_one_note_changed_only_what_it_touched_is_placed_anew(config: Config) -> None:
    before = _parsed(_START, config)
    after = _parsed({**_START, "d.txt": [*_START["d.txt"], "what is docker"]}, config)
    with _placed_anew() as counts:
        shapes = _runs(config, [before, after, before])
    questions = len(_shape(classify(before, config))[0])  # type: ignore[index]
    assert counts[0] == questions  # the first run places all
    assert 0 < counts[1] < questions and 0 < counts[2] < questions  # the question in d.txt, and those around it
    assert shapes == [_shape(classify(notes, config)) for notes in (before, after, before)]


def test_a_question_across_notes_turning_private_moves_its_neighbours(config: Config) -> None:
    """'ci vs cd' is asked in a.txt, b.txt and c.txt; made private by its answer in a.txt only, it is one question
    still (its askings known again), and the votes it casts in b.txt and c.txt change: 'what is a node', in b.txt,
    which did not change, has one entry around it fewer that agrees."""
    before = _parsed(_START, config)
    after = _parsed({**_START, "a.txt": ["what is docker", "what is a pod", "ci vs cd\n\tsalary hike", "what is docker"]}, config)
    with _placed_anew():
        shapes = _runs(config, [before, after, before])
    assert shapes == [_shape(classify(notes, config)) for notes in (before, after, before)]
    assert shapes[1] != shapes[0]
    node = next(q for q in classify(after, config).questions if q.title == "What is a node?")
    assert node.placement.why.endswith("2 of 3 entries around it agree")


@pytest.mark.parametrize(("edit", "why"), [
    (["what is docker", "why do we need vector db\n\tsalary hike"], "salary-and-negotiation (a.txt:3)"),  # its page changes
    (["what is a pod", "what is docker", "why do we need vector db"], "rag-and-vector-search (a.txt:5)"),  # its line
])
def test_a_follow_up_in_an_unchanged_note_goes_where_its_question_goes(config: Config, edit: list[str], why: str) -> None:
    """c.txt's 'what makes csv...' follows up 'why do we need vector db', asked first in a.txt; a.txt changes."""
    start = {"a.txt": ["what is docker", "why do we need vector db"],
             "c.txt": ["what is a pod", "why do we need vector db\n\twhat makes csv or excel worse for this"]}
    before, after = _parsed(start, config), _parsed({**start, "a.txt": edit}, config)
    with _placed_anew():
        shapes = _runs(config, [before, after, before])
    assert shapes == [_shape(classify(notes, config)) for notes in (before, after, before)]
    follow_up = next(q for q in classify(after, config).questions if q.title.startswith("What makes"))
    assert f"{follow_up.placement.topic.slug} ({follow_up.placement.why.split('(')[1].split(')')[0]})" == why
