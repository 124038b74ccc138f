"""The merge of repeated questions carried from the run before (classify's `_merge_again`) is the merge made anew
(`_merge_all`): the same questions, of the same askings, in the same order, and the same blocks taken as askings,
after any edit: notes changed, added or removed, askings and offers joining or splitting questions."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb.classify import classify
from kb.classify import merge as merge_module
from kb.classify.merge import _merge
from kb.memory import Tables, remembering
from kb.model import Config, ParsedNote
from tests.unit.random_notes import edited as _edited
from tests.unit.random_notes import parsed as _parsed
from tests.unit.random_notes import strategies

_LINES = (
    "what is data drift?", "what is model drift?", "concept drift vs data drift vs model drift", "how to handle data drift?",
    "how to avoid data drift?", "why do we need a vector db?", "what is a vector db?", "vector db vs sql db", "zip?",
    "what is zip?", "how to measure model drift", "what is drift in data", "what is p-value?", "p-value vs alpha",
    "what is sigmoid?", "data drift / model drift / concept drift", "- zip - https://example.org/zip\n- sigmoid",
    "- vector db", "- data drift\n- model drift / concept drift", "- p-value\n- sigmoid - an activation",
    "drift is when the data changes", "Vector DB\n- stores embeddings", "what is a vector db?\nit stores embeddings",
)
"""Paragraphs of notes: questions that are the same question in other words or not, lists and blocks that may
repeat them (offers: when next to a question), answers."""

_NOTE, _EDIT = strategies(_LINES)
_PARAGRAPHS = "\n\n"
"""What the lines of a note are joined by: each is a paragraph of its own."""


def _shape(merged: tuple[tuple[ParsedNote, ...], list[merge_module._Group]]) -> object:
    notes, groups = merged
    return notes, [[(a.question, a.meaning, a.slot, a.asked) for a in group.askings] for group in groups]


def _runs(config: Config, *versions: tuple[ParsedNote, ...]) -> list[object]:
    """The merge of each version of the notes, each run carrying its merge to the next."""
    known: Tables = {}
    merges = []
    for parsed in versions:
        with remembering((config, config.glossary), known) as memory:
            merges.append(_shape(_merge(parsed, config)))
        known = memory.used
    return merges


@pytest.fixture
def carried_always(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Merging again never falls back to merging anew for touching too much; counts the merges made anew."""
    monkeypatch.setattr(merge_module, "REMERGE_UP_TO", 0)
    anew = [0]
    merge_all = merge_module._merge_all

    def counted(*args: object) -> object:
        anew[0] += 1
        return merge_all(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(merge_module, "_merge_all", counted)
    return anew


_START = {"a.txt": ["what is data drift?", "how to avoid data drift?", "what is zip?"],
          "b.txt": ["how to handle data drift?", "what is a vector db?", "- vector db", "- zip - https://example.org/zip\n- sigmoid"],
          "c.txt": ["concept drift vs data drift vs model drift", "- data drift\n- model drift / concept drift", "zip?"]}


_CHAIN = {"a.txt": ["kappa lambda sigma theta omega rho tau?"], "b.txt": ["kappa lambda sigma theta omega rho phi chi?"],
          "d.txt": ["what is p-value?", "- kappa lambda sigma theta omega rho tau"],
          "e.txt": ["what is zip?", "- kappa lambda sigma theta omega rho tau phi"]}
"""d.txt's list item repeats a.txt's question; e.txt's repeats both, and b.txt's question, which d.txt's does not."""


_BRIDGE = {"a.txt": ["what is data drift?"], "b.txt": ["what is model drift?"], "c.txt": ["data drift / model drift / concept drift"]}
"""c.txt's question is the same as a.txt's, and as b.txt's, which are not the same question."""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # (the fixture only patches)
@given(st.dictionaries(st.sampled_from([f"n{k}.txt" for k in range(6)]), _NOTE, min_size=1, max_size=5),
       st.lists(_EDIT, min_size=1, max_size=3), st.lists(_EDIT, max_size=3), st.sampled_from((8, 1, 0)))
@example(_START, [("set", 0, 0, "what is p-value?", [])], [], 8)  # splits data drift from handling it
@example(_START, [("insert", 1, 2, "drift is when the data changes", [])], [("delete", 1, 2, "", [])], 0)  # a list no longer next to its question
@example(_START, [("remove", 2, 0, "", [])], [("add", 7, 0, "", _START["c.txt"])], 8)  # the offer's question goes, and comes back
@example(_START, [("add", 3, 0, "", ["what is zip?"])], [], 0)  # joins a question and a list item
@example(_CHAIN, [("set", 0, 0, "what is zip?", [])], [], 8)  # a list item no longer taken, joined through a later one
@example(_BRIDGE, [("remove", 2, 0, "", [])], [], 8)  # the question joining two others goes: they split
@example({"n1.txt": _CHAIN["b.txt"], "n9.txt": _CHAIN["d.txt"]}, [("add", 5, 0, "", _CHAIN["e.txt"])], [], 8)  # a new list item taken: a later one too
@example({"a.txt": ["lambda sigma theta?"]}, [("add", 5, 0, "", ["kappa lambda sigma theta?"])], [], 0)  # joins through all but its rarest word
def test_the_merge_carried_through_edits_is_the_merge_made_anew(config: Config, carried_always: list[int], start: dict[str, list[str]],
                                                              first: list[tuple[str, int, int, str, list[str]]],
                                                              then: list[tuple[str, int, int, str, list[str]]], scans: int) -> None:
    edited = _edited(start, first)
    versions = (_parsed(start, config, _PARAGRAPHS), _parsed(edited, config, _PARAGRAPHS), _parsed(_edited(edited, then), config, _PARAGRAPHS))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(merge_module._Postings, "SCANS", scans)  # the askings looked through, or found by their words
        carried = _runs(config, *versions)
    assert carried[1:] == [_shape(_merge(parsed, config)) for parsed in versions[1:]]  # (no memory: merged anew)


def test_an_edit_merges_again_only_what_it_touched(config: Config, carried_always: list[int]) -> None:
    """The fixed examples above take the carried way (else they test nothing), and an offer taken otherwise does not."""
    start = _parsed(_START, config, _PARAGRAPHS)
    joined = _parsed({**_START, "d.txt": ["what is zip?", "why do we need a vector db?"]}, config, _PARAGRAPHS)
    shrunk = _parsed({**_START, "a.txt": ["what is data drift?", "what is p-value?", "what is zip?"]}, config, _PARAGRAPHS)
    for version in (joined, shrunk):
        carried = _runs(config, start, version)
        assert carried_always == [1]  # the first run only
        assert carried[1] == _shape(_merge(version, config))
        carried_always[0] = 0
    before = _parsed({**_START, "d.txt": ["what is p-value?", "- relu"]}, config, _PARAGRAPHS)
    taken_otherwise = _parsed({**_START, "d.txt": ["what is p-value?", "- relu"], "e.txt": ["what is relu?"]}, config, _PARAGRAPHS)
    carried = _runs(config, before, taken_otherwise)
    assert carried_always == [2]  # the list item 'relu', not taken, is now (it repeats a new question): merged anew
    assert carried[1] == _shape(_merge(taken_otherwise, config))
    assert [len(group) for group in carried[1][1]] == [len(group) for group in carried[0][1]] + [2]  # type: ignore[index]
    carried_always[0] = 0
    carried = _runs(config, _parsed(_CHAIN, config, _PARAGRAPHS), _parsed({**_CHAIN, "a.txt": ["what is zip?"]}, config, _PARAGRAPHS))
    assert carried_always == [2]  # d.txt's list item no longer repeats a question: merged anew
    assert [len(group) for group in carried[0][1]] == [4, 1, 1] and [len(group) for group in carried[1][1]] == [2, 2, 1]  # type: ignore[index]
    carried_always[0] = 0
    carried = _runs(config, _parsed(_BRIDGE, config, _PARAGRAPHS), _parsed({**_BRIDGE, "c.txt": ["what is zip?"]}, config, _PARAGRAPHS))
    assert carried_always == [1]  # the question joining the two others changed: they split, merged again
    assert [len(group) for group in carried[0][1]] == [3] and [len(group) for group in carried[1][1]] == [1, 1, 1]  # type: ignore[index]


def test_the_merge_carried_whole_or_damaged(config: Config) -> None:
    """A merge carried damaged, or of another format, is not used: all is merged anew, as it is when asked for whys."""
    parsed = _parsed(_START, config, _PARAGRAPHS)
    full = _shape(_merge(parsed, config))
    digest = merge_module._note_digest(parsed[0])
    looking_whole = (("merge 1", {"a.txt": (digest, (1, 2, 0), (), ())}),  # a note's askings miscounted
                     ("merge 1", {"a.txt": (b"", (0, 2, 5), (1, 0, 2, 0, 0), ("a",))}),  # a note changed
                     ("merge 1", {"a.txt": (digest, (0, 1, 0, 1, 1, 0, 2, 2, 1), (0, -1, 1, 0, 1), ("zip",))}))  # an offer of a question
    for damaged in (("merge 0", {}), ("merge 1", {"a.txt": ((1, 2),)}), ("merge 1", {"a.txt": (b"", (1, 2, "x"), (), ())}), None, 3,
                    *looking_whole):
        with remembering((config, config.glossary), {merge_module._CARRIED: {None: damaged}}):
            assert _shape(_merge(parsed, config)) == full
    known: Tables = {}
    with remembering((config, config.glossary), known) as memory:
        classify(parsed, config)
    with remembering((config, config.glossary), memory.used):
        with_whys = classify(parsed, config, whys=True)
        without = classify(parsed, config)
    assert with_whys.questions == classify(parsed, config).questions  # with whys: merged anew, with them
    assert [dataclasses.replace(q, merged=()) for q in without.questions] == [dataclasses.replace(q, merged=()) for q in with_whys.questions]
    assert any(any(q.merged) for q in with_whys.questions) and not any(any(q.merged) for q in without.questions)
