"""Linking with what the run before carried (each entry's terms by the parses it was made from, the related questions,
how many keys hold each word) links as linking anew does, after any edit: notes changed, added or removed, questions
merged or no longer, terms mentioned or no longer, questions whose wording comes closer to others'."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb import link as link_module
from kb.classify import classify
from kb.link import StandIns, link
from kb.memory import Tables, merged, remembering
from kb.model import Config, Links
from tests.unit.random_notes import edited_and_back, strategies
from tests.unit.random_notes import parsed as _parsed

_LINES = (
    "what is LSTM?", "LSTM vs GRU", "why do LSTM and GRU beat a plain RNN?", "what is attention in a transformer?",
    "explain RAG with a vector database", "what is a vector database?", "what is docker", "what is a kubernetes pod",
    "docker vs kubernetes", "what is LoRA fine-tuning?", "LoRA vs QLoRA", "what is data drift?", "data drift vs concept drift",
    "how to avoid data drift?", "what is p-value?", "p-value vs alpha", "what is BERT", "BERT vs GPT embeddings",
    "what is a pod", "expected ctc?\n- 20 lpa", "Vector DB\n- stores embeddings for RAG", "- LSTM\n- what is GRU",
    "## What is PCA?\nPCA projects data; see SVM too", "what is the learning rate", "learning rate schedule warmup",
    "what is gradient descent", "vanishing gradient in RNN", "=====", "GRU gates explained",
)
"""Paragraphs of notes: questions sharing glossary terms and words across pages, repeated questions that merge, blocks
that mention terms or repeat a question, answers."""

_NOTE, _EDIT = strategies(_LINES)


def _stand_ins(notes: dict[str, list[str]], config: Config) -> StandIns:
    """The notes parsed, each with a key that stands for it (as the pipeline's cache key does: its name and text)."""
    parsed = _parsed(notes, config)
    return [(hashlib.sha256("\0".join((p.note.name, *p.note.lines)).encode()).hexdigest(), p) for p in parsed]


def _shape(links: Links) -> object:
    """All of the links, with the order of every dict (which pages follow)."""
    return (list(links.terms.items()), list(links.related.items()), list(links.home.items()), list(links.mentioned_in.items()),
            list(links.related_topics.items()), list(links.uses.items()), links.missing)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from([f"n{k}.txt" for k in range(6)]), _NOTE, min_size=1, max_size=5),
       st.lists(_EDIT, min_size=1, max_size=3), st.lists(_EDIT, max_size=3),
       st.sampled_from((0, 8)), st.sampled_from((1, 32)), st.booleans())
@example({"a.txt": ["what is LSTM?", "LSTM vs GRU"], "b.txt": ["what is GRU?", "what is docker"]},
         [("set", 0, 1, "what is attention in a transformer?", [])], [], 0, 1, True)  # a term no longer mentioned
@example({"a.txt": ["what is data drift?", "what is docker"], "b.txt": ["data drift vs concept drift"]},
         [("add", 2, 0, "", ["how to avoid data drift?"])], [("remove", 0, 0, "", [])], 0, 32, True)  # words counted again
def test_linking_with_what_was_carried_is_linking_anew(config: Config, start: dict[str, list[str]], edits: list[tuple[str, int, int, str, list[str]]],
                                                      more: list[tuple[str, int, int, str, list[str]]], up_to: int, lazy_words: int,
                                                      with_parses: bool) -> None:
    versions = edited_and_back(start, edits, more)
    known: Tables = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(link_module, "REWORK_UP_TO", up_to)  # 0: what changed is always worked out again one at a time
        patch.setattr(link_module, "LAZY_WORDS", lazy_words)  # 1: the words' indexes made whole at the second word
        for notes in versions:
            stand_ins = _stand_ins(notes, config)
            parsed = tuple(p for _, p in stand_ins)
            with remembering((config, config.glossary), known) as memory:
                handbook = classify(parsed, config)
                carried = link(handbook, stand_ins if with_parses else None)
            known = merged(known, memory.used)  # (as the pipeline keeps what runs before worked out)
            assert _shape(carried) == _shape(link(handbook, stand_ins))  # (no memory: all worked out anew)


def test_after_one_note_changed_only_its_entries_terms_are_found_again(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = {"a.txt": ["what is LSTM?", "LSTM vs GRU", "what is docker"], "b.txt": ["what is a vector database?", "BERT vs GPT embeddings"],
             "c.txt": ["Vector DB\n- stores embeddings for RAG", "what is p-value?"]}
    known: Tables = {}
    found: list[str] = []
    text_of = link_module._question_text
    monkeypatch.setattr(link_module, "_question_text", lambda question: found.append(question.title) or text_of(question))
    for version in (notes, {**notes, "b.txt": [*notes["b.txt"], "what is LoRA fine-tuning?"]}):
        stand_ins = _stand_ins(version, config)
        found.clear()
        with remembering((config, config.glossary), known) as memory:
            link(classify(tuple(p for _, p in stand_ins), config), stand_ins)
        known = merged(known, memory.used)
    assert sorted(found) == ["BERT vs GPT embeddings", "What is LoRA fine-tuning?", "What is a vector database?"]  # b.txt's questions only
