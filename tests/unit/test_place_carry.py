"""Placing questions and blocks with each note's facts remembered from the runs before (classify's `_note_facts`)
places them as placing anew does: the same questions, titles, ids and pages (and why), the same blocks, after any
edit: notes changed, added or removed, questions that follow up others, neighbours whose votes change, blocks taken
as askings of a question in another note or no longer."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb import classify as classify_module
from kb.classify import classify
from kb.memory import Tables, merged, remembering
from kb.model import Config, Handbook, ParsedNote
from tests.unit.random_notes import edited_and_back, strategies
from tests.unit.random_notes import parsed as _parsed

_LINES = (
    "kubernetes -> cluster -> nodes -> pods = hosting docker containers inside pods", "is cluster physically exist ?",
    "does node use memory available in cluster or node has its own memory ?", "ci vs cd", "task -> pod",
    "what is docker", "what is a pod", "what is a node", "what ctc", "what is a cluster", "=====",
    "why do we need vector db\n\twhat makes csv or excel worse for this", "what makes csv or excel worse for this",
    "what is p-value?", "p-value vs alpha", "what is sigmoid?", "what is zip?", "zip?", "- zip - https://example.org/zip\n- sigmoid",
    "what is data drift?", "data drift / model drift / concept drift", "how to avoid data drift?", "why cant we store them in csv",
    "Vector DB\n- stores embeddings", "drift is when the data changes", "expected ctc?\n- 20 lpa",
)
"""Paragraphs of notes: questions whose own words tell their page or not, follow-ups, runs of one subject and a
separator, private questions, blocks that may repeat a question asked elsewhere, answers."""

_NOTE, _EDIT = strategies(_LINES)


def _shape(handbook: Handbook) -> object:
    questions = [(q.id, q.title, q.placement, [a.source for a in q.asked]) for q in handbook.questions]
    blocks = [(b.id, b.title, b.placement, b.block.source) for b in handbook.blocks]
    return questions, blocks, handbook.notes


def _runs(config: Config, *versions: tuple[ParsedNote, ...]) -> tuple[list[object], list[int]]:
    """The handbook of each version of the notes, each run remembering from the one before; and how many notes' facts
    each run worked out."""
    known: Tables = {}
    shapes, worked = [], []
    for parsed in versions:
        with remembering((config, config.glossary), known) as memory:
            shapes.append(_shape(classify(parsed, config)))
        worked.append(len(memory.worked.get(classify_module._FACTS, {})))
        known = merged(known, memory.used)  # (as the pipeline keeps what runs before worked out)
    return shapes, worked


_START = {"a.txt": ["what is docker", "what is a pod", "ci vs cd", "what is a node", "what is p-value?"],
          "b.txt": ["why do we need vector db\n\twhat makes csv or excel worse for this", "- zip - https://example.org/zip\n- sigmoid",
                    "what is a cluster"],
          "c.txt": ["kubernetes -> cluster -> nodes -> pods = hosting docker containers inside pods", "is cluster physically exist ?",
                    "=====", "ci vs cd", "task -> pod"]}


@settings(max_examples=120, deadline=None)
@given(st.dictionaries(st.sampled_from([f"n{k}.txt" for k in range(6)]), _NOTE, min_size=1, max_size=5),
       st.lists(_EDIT, min_size=1, max_size=3), st.lists(_EDIT, max_size=3))
@example(_START, [("set", 0, 1, "what ctc", [])], [])  # a neighbour turns private: 'ci vs cd' loses a vote
@example(_START, [("delete", 1, 0, "", [])], [("insert", 1, 0, "why do we need vector db", [])])  # a follow-up loses its question
@example(_START, [("add", 3, 0, "", ["what is zip?"])], [("remove", 3, 0, "", [])])  # b.txt's list item taken as an asking, then no longer
@example(_START, [("delete", 2, 2, "", [])], [])  # the separator goes: c.txt's 'ci vs cd' joins the run before it
def test_placing_with_the_facts_remembered_is_placing_anew(config: Config, start: dict[str, list[str]],
                                                           edits: list[tuple[str, int, int, str, list[str]]],
                                                           more: list[tuple[str, int, int, str, list[str]]]) -> None:
    versions = edited_and_back(start, edits, more)
    parsed = [_parsed(notes, config) for notes in versions]
    remembered, _ = _runs(config, *parsed)
    assert remembered == [_shape(classify(notes, config)) for notes in parsed]  # (no memory: all worked out anew)


def test_after_one_note_changed_only_its_facts_are_worked_out(config: Config) -> None:
    edited = {**_START, "c.txt": [*_START["c.txt"], "what is p-value?"]}
    shapes, worked = _runs(config, _parsed(_START, config), _parsed(edited, config), _parsed(_START, config))
    assert worked == [3, 1, 0]
    assert shapes[1] == _shape(classify(_parsed(edited, config), config))


@pytest.mark.parametrize("edit", [
    {"a.txt": ["what is docker", "what ctc", "ci vs cd", "what is a node", "what is p-value?"]},  # the neighbours' votes change
    {"d.txt": ["what is zip?"]},  # a list item in an unchanged note is taken as an asking
    {"c.txt": ["kubernetes -> cluster -> nodes -> pods = hosting docker containers inside pods", "is cluster physically exist ?", "ci vs cd"]},
])
def test_edits_that_change_an_unchanged_notes_placements(config: Config, edit: dict[str, list[str]]) -> None:
    before, after = _parsed(_START, config), _parsed({**_START, **edit}, config)
    shapes, _ = _runs(config, before, after, before)
    assert shapes == [_shape(classify(notes, config)) for notes in (before, after, before)]
    assert shapes[1] != shapes[0]
