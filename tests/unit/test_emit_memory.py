"""Emit remembers each topic page whole and each note's pieces from one run to the next (emit/pieces.py) under a digest
of what they show (emit/digests.py), a page with its entries' pieces packed beside it: a remembered page or piece is taken
as it was, a run with the last run's memory writes what a run without it writes, and after an edit only the pages it
touched are put together again, from pieces of which only those it touched are worked out again."""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb import files
from kb.emit import emit
from kb.emit.digests import Parts, add_content
from kb.emit.layout import page_entries
from kb.emit.pieces import NOTE, PAGE, Page, _unpack
from kb.memory import Memory, Tables, remembering
from kb.model import Code, Content, Item, ItemList, Label, Link, Links, Paragraph, Slug, Text
from kb.model.marks import NAV_FILES
from kb.model.names import GLOSSARY_PAGE, PRACTICE_DATA, PRACTICE_PAGE, QUESTIONS_FILE, SOURCES_DIR, TAGS_PAGE
from kb.pipeline import Build, build
from tests.conftest import ROOT


def _emit(result: Build, known: Tables | None = None) -> tuple[dict[str, str], Memory]:
    """The build's files emitted again, with the memory of the text functions and pieces starting from known."""
    config = result.handbook.config
    with remembering((config, config.glossary), known) as memory:
        texts, digests = emit(result.handbook, result.links)
    assert digests == {path: files.digest(texts[path]) for path in digests}  # each page and listing with its text's digest
    assert set(texts) - set(digests) == {GLOSSARY_PAGE, TAGS_PAGE, QUESTIONS_FILE, PRACTICE_PAGE, PRACTICE_DATA, f"{SOURCES_DIR}/index.md",
                                         *(path for path in texts if path.endswith(NAV_FILES))}  # the files made anew each run
    return texts, memory


def _pages(memory: Memory | Tables) -> dict[str, Page]:
    """The topic pages remembered, by name (PAGE and the page's path)."""
    tables = memory.used if isinstance(memory, Memory) else memory
    return {name: table[None] for name, table in tables.items() if name.startswith(PAGE + ":")}  # type: ignore[misc]


def test_a_run_with_the_last_runs_pieces_writes_the_same_files_and_works_nothing_out(corpus: Build):
    first, memory = _emit(corpus)
    assert first == corpus.files
    pages = _pages(memory)
    assert {name.removeprefix(PAGE + ":") for name in pages} == {topic.path for topic in page_entries(corpus.handbook)}
    assert all(_unpack(page[4]) for page in pages.values()) and memory.used[NOTE]
    again, second = _emit(corpus, memory.used)
    assert again == corpus.files
    assert not second.changed  # every page and note taken from the memory


def _known(memory: Memory) -> Tables:
    return {name: dict(table) for name, table in memory.used.items()}


def test_an_unchanged_page_is_taken_whole_as_it_was(corpus: Build):
    _, memory = _emit(corpus)
    known = _known(memory)
    name, (key, text, records, cards, packed, _, places) = next(iter(_pages(known).items()))
    text += "Remembered, not put together\n"
    known[name][None] = (key, text, records.replace('"id"', '"ID"'), cards.replace('"id"', '"ID"'), packed, files.digest(text), places)
    out, later = _emit(corpus, known)
    assert out[name.removeprefix(PAGE + ":")].endswith("Remembered, not put together\n")
    assert '"ID"' in out["questions.json"] and '"ID"' in out["assets/javascripts/practice-data.js"]
    assert not later.changed


def test_a_changed_page_is_put_together_from_the_pieces_remembered(corpus: Build):
    _, memory = _emit(corpus)
    known = _known(memory)
    question = next(q for q in corpus.handbook.questions if q.placement and q.placement.topic != corpus.handbook.config.inbox)
    name = f"{PAGE}:{question.placement.topic.path}"
    key, text, records, cards, packed, text_digest, places = known[name][None]  # type: ignore[misc]
    pieces = _unpack(packed)
    found, (section, *where) = next((k, v) for k, v in pieces.items() if k[:1] == b"q" and f"{{ #{question.id} }}" in v[0])  # type: ignore[index, misc]
    pieces[found] = (section + "\nRemembered, not worked out\n", *where)
    known[name][None] = (b"another page", text, records.replace('"id"', '"ID"'), cards.replace('"id"', '"ID"'), zlib.compress(marshal.dumps(pieces)),
                         text_digest, places)
    out, later = _emit(corpus, known)
    assert "Remembered, not worked out" in out[question.placement.topic.path]
    # the record and the card cut from the last run's
    assert f'"ID": "{question.id}"' in out["questions.json"] and f'"ID":"{question.id}"' in out["assets/javascripts/practice-data.js"]
    assert set(later.worked) == {name}  # the page put together again, from pieces all known
    assert _unpack(_pages(later)[name][4]) == pieces


@pytest.mark.parametrize("damage", [
    lambda page: None, lambda page: "text", lambda page: (*page[:4],), lambda page: (*page[:6],), lambda page: (*page[:4], "packed", *page[5:]),
    lambda page: (*page[:5], b"digest", page[6]),
    lambda page: (b"another page", *page[1:4], b"not zlib", *page[5:]), lambda page: (b"another page", *page[1:4], zlib.compress(b"not marshal"), *page[5:]),
    lambda page: (b"another page", *page[1:4], zlib.compress(marshal.dumps([1, 2])), *page[5:]),
    lambda page: (*page[:6], [1, 2]), lambda page: (*page[:6], {"a.md": "not bytes"}), lambda page: (*page[:6], {1: b"x"}),
    lambda page: (*page[:6], {}), lambda page: (*page[:6], dict.fromkeys(page[6], b"wrong")),  # wrong places: the notes' pieces made again
])
def test_a_damaged_page_in_the_memory_is_made_again(corpus: Build, damage: Callable[[Page], object]):
    _, memory = _emit(corpus)
    known = _known(memory)
    for table in known.values():
        if None in table:
            table[None] = damage(table[None])  # type: ignore[arg-type]
    out, later = _emit(corpus, known)
    assert out == corpus.files
    assert all(_unpack(page[4]) for page in _pages(later).values())


def _changed_links(links: Links, slug: Slug, question: str, change: str) -> Links:
    """links with one thing a topic page (slug) or one of its questions shows changed."""
    if change == "mentioned_in":
        return replace(links, mentioned_in={**links.mentioned_in, slug: links.mentioned_in[slug][1:]})
    if change == "mentioned_in title":
        (page, entry, title), *rest = links.mentioned_in[slug]
        return replace(links, mentioned_in={**links.mentioned_in, slug: ((page, entry, title + " again"), *rest)})
    if change == "related_topics":
        return replace(links, related_topics={**links.related_topics, slug: links.related_topics[slug][::-1]})
    if change == "related":
        return replace(links, related={**links.related, question: links.related[question][1:]})
    assert change == "terms"
    return replace(links, terms={**links.terms, question: links.terms[question][1:]})


@pytest.mark.parametrize("change", ["mentioned_in", "mentioned_in title", "related_topics", "related", "terms"])
def test_a_page_whose_links_changed_is_made_again(corpus: Build, change: str):
    _, memory = _emit(corpus)
    links = corpus.links
    slug = next(s for s in links.mentioned_in if len(links.related_topics.get(s, ())) > 1)
    question = next(q.id for q in corpus.handbook.questions if q.placement and q.placement.topic.slug == slug and links.related.get(q.id)
                    and links.terms.get(q.id))
    changed = _changed_links(links, slug, question, change)
    config = corpus.handbook.config
    with remembering((config, config.glossary)):
        expected = emit(corpus.handbook, changed).files
    assert expected != corpus.files
    with remembering((config, config.glossary), memory.used) as later:
        assert emit(corpus.handbook, changed).files == expected
    assert later.changed


@pytest.fixture(scope="module")
def corpus_notes() -> list[tuple[str, bytes]]:
    found, _ = files.read_notes(ROOT / "notes")
    return found


def test_after_an_edit_only_what_it_touched_is_worked_out_again(corpus: Build, corpus_notes: list[tuple[str, bytes]],
                                                                config_texts: dict[str, str]):
    name, data = corpus_notes[0]
    edited = build([(name, data + b"\n\nWhat does a warm rebuild re-read?\n"), *corpus_notes[1:]], config_texts)
    _, memory = _emit(corpus)
    out, warm = _emit(edited, memory.used)
    assert out == edited.files  # as a run without memory writes them
    assert "What does a warm rebuild re-read?" in out["questions.json"]
    assert len(warm.worked[NOTE]) == 1  # the edited note's listing and coverage
    changed = [page for page in warm.worked if page.startswith(PAGE)]
    assert 1 <= len(changed) <= len(_pages(warm)) // 2  # the new question's page, and any whose entries' links changed
    before, after = _pages(memory), _pages(warm)
    new = [piece for page in changed for piece in _unpack(after[page][4]).keys() - _unpack(before[page][4]).keys()]
    assert 1 <= sum(piece[:1] == b"q" for piece in new) <= len(edited.handbook.questions) // 10  # the new question, and any whose related ones changed
    assert sum(piece[:1] == b"b" for piece in new) <= len(edited.handbook.blocks) // 10
    assert not [piece for piece in new if piece[:1] == b"a"]  # no answer changed


# --- any edit, any memory: the same files as without it ------------------------------------------------------------

_UNITS = [
    "Q: What is LoRA in a transformer?\nA: Low-rank adapters for attention.\n\n```python\nx = lora(1)\ny = 2\n```",
    "Q: What is attention?\nA: Weighted sums over embeddings.\n\n```python\nz = 3\n```",
    "Q: How are transformers trained?\nA: With a loss:\n\n```\nloss.backward()\nstep()\nzero()\n```",
    "Q: What is RAG?\nA: Retrieval before generation, see https://example.com/rag",
    "Q: What is LoRA in a transformer?\nA: Adapters, asked again.",
    "- What is RAG?\n- How does the embedding work?\n- What is attention?",
    "# Transformers", "## Retrieval", "What is a vector database?",
    "Notes on LSTM and GPU memory\n- a point about attention\n  - a detail",
    "Q: What is attention?\nA: Weighted sums of embeddings, said otherwise.\n\n```python\nz = 4\n```",
]
"""Pieces of notes: answers with code (numbered through their page), questions asked twice (merged), lists, headings, and
an answer said otherwise on as many lines (its question's own lines the same)."""
_notes = st.lists(st.lists(st.integers(0, len(_UNITS) - 1), min_size=1, max_size=8), min_size=1, max_size=3)
_edit = st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.integers(0, 2), st.integers(0, 8), st.integers(0, len(_UNITS) - 1))


def _built(notes: list[list[int]], config_texts: dict[str, str]) -> Build:
    return build([(f"note-{n}.md", "\n\n".join(_UNITS[u] for u in units).encode()) for n, units in enumerate(notes)], config_texts)


def _edited(before: list[list[int]], edits: list[tuple[str, int, int, int]]) -> list[list[int]]:
    """The notes (each a list of units) after the edits, as a person makes them: a piece added, taken out or rewritten."""
    after = [list(units) for units in before]
    for kind, note, at, unit in edits:
        units = after[note % len(after)]
        if kind == "insert":
            units.insert(at, unit)
        elif units:
            del units[at % len(units)]
            if kind == "replace":
                units.insert(at % (len(units) + 1), unit)
    return after


@settings(max_examples=min(25, settings.default.max_examples), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=_notes, edits=st.lists(_edit, min_size=1, max_size=3))
@example(before=[[0, 1, 2]], edits=[("delete", 0, 0, 0)])  # the answers after it number their code lines from 0 now
@example(before=[[9, 8], [6, 9, 9, 5]], edits=[("insert", 0, 0, 3)])  # a question the others are related to now
@example(before=[[1, 2]], edits=[("replace", 0, 0, 10)])  # an answer rewritten on the same lines
def test_emit_with_another_runs_memory_writes_what_emit_without_it_writes(before: list[list[int]], edits: list[tuple[str, int, int, int]],
                                                                         config_texts: dict[str, str]):
    after = _edited(before, edits)
    first, second = _built(before, config_texts), _built([units for units in after if units], config_texts)
    _, memory = _emit(first)
    out, _ = _emit(second, memory.used)
    assert out == second.files
    _, memory = _emit(second)
    out, _ = _emit(first, memory.used)  # and back
    assert out == first.files


# --- the digests ---------------------------------------------------------------------------------------------------------

_text = st.builds(Text, st.sampled_from(["", "a", "b", "a\x00", "1"]), st.booleans())
_leaf = st.one_of(
    st.builds(Paragraph, _text),
    st.builds(Label, _text, st.integers(0, 2)),
    st.builds(Code, st.sampled_from(["", "x", "a"]), st.sampled_from(["", "python"])),
    st.builds(Link, st.sampled_from(["", "a", "https://a"])),
)
_content: st.SearchStrategy[tuple[Content, ...]] = st.recursive(
    st.lists(_leaf, max_size=2).map(tuple),
    lambda children: st.lists(st.one_of(_leaf, st.builds(
        ItemList,
        st.lists(st.builds(Item, _text, children, st.sampled_from([None, "", "a"])), max_size=2).map(tuple),
        st.booleans(), st.integers(0, 2),
    )), max_size=2).map(tuple),
    max_leaves=6,
)


def _flat(pieces: tuple[Content, ...]) -> bytes:
    parts: Parts = []
    add_content(pieces, parts)
    return marshal.dumps(parts, 2)


@given(_content, _content)
def test_content_digests_alike_exactly_when_it_is_alike(a: tuple[Content, ...], b: tuple[Content, ...]):
    assert (_flat(a) == _flat(b)) == (a == b)


@given(_content)
def test_a_change_to_any_field_of_content_changes_its_digest(pieces: tuple[Content, ...]):
    for index, piece in enumerate(pieces):
        for changed in _changes(piece):
            assert _flat(pieces[:index] + (changed,) + pieces[index + 1:]) != _flat(pieces)


def _changes(piece: Content) -> list[Content]:
    """The piece with each of its fields changed in turn (lists: each item's fields)."""
    if isinstance(piece, Paragraph):
        return [Paragraph(replace(piece.text, value=piece.text.value + "?")), Paragraph(replace(piece.text, markdown=not piece.text.markdown))]
    if isinstance(piece, Label):
        return [replace(piece, text=Text(piece.text.value + "?", piece.text.markdown)), replace(piece, level=piece.level + 1)]
    if isinstance(piece, Code):
        return [replace(piece, text=piece.text + "?"), replace(piece, language=piece.language + "?")]
    if isinstance(piece, Link):
        return [replace(piece, url=piece.url + "?")]
    assert isinstance(piece, ItemList)
    out: list[Content] = [replace(piece, ordered=not piece.ordered), replace(piece, start=piece.start + 1),
                          replace(piece, items=(*piece.items, Item(Text(""))))]
    for k, item in enumerate(piece.items):
        for other in (replace(item, text=Text(item.text.value + "?", item.text.markdown)), replace(item, text=Text(item.text.value, not item.text.markdown)),
                      replace(item, label=(item.label or "") + "?"), replace(item, children=(*item.children, Link("x")))):
            out.append(replace(piece, items=(*piece.items[:k], other, *piece.items[k + 1:])))
    return out


# --- the parses' stand-ins (pipeline: each note's parse key, each entry's place in it) -------------------------------------


@settings(max_examples=min(15, settings.default.max_examples), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                                      HealthCheck.function_scoped_fixture])
@given(before=_notes, edits=st.lists(_edit, min_size=1, max_size=3))
@example(before=[[1, 2]], edits=[("replace", 0, 0, 10)])  # an answer rewritten on the same lines: the entry's place is the same
@example(before=[[0, 1], [1, 0]], edits=[("replace", 0, 1, 10)])  # another note's entry in that place is the same
def test_a_run_whose_memory_was_made_with_the_parses_stand_ins_writes_what_a_cold_run_writes(
        before: list[list[int]], edits: list[tuple[str, int, int, int]], config_texts: dict[str, str], tmp_path_factory: pytest.TempPathFactory):
    after = _edited(before, edits)
    cache = files.NoteCache(tmp_path_factory.mktemp("cache"))

    def notes(which: list[list[int]]) -> list[tuple[str, bytes]]:
        return [(f"note-{n}.md", "\n\n".join(_UNITS[u] for u in units).encode()) for n, units in enumerate(which)]

    for which in (before, after, before):
        warm = build(notes(which), config_texts, cache=cache)
        assert warm.files == build(notes(which), config_texts).files
        assert warm.digests == {path: files.digest(warm.files[path]) for path in warm.digests}


def test_the_parses_own_pieces_are_flattened_only_when_their_note_changed(corpus_notes: list[tuple[str, bytes]], config_texts: dict[str, str],
                                                                          tmp_path: Path):
    from kb.emit import digests

    cache = files.NoteCache(tmp_path)
    first = build(corpus_notes, config_texts, cache=cache)
    flattened: list[object] = []
    with pytest.MonkeyPatch.context() as patch:
        for name in ("_asking_parts", "_block_parts", "_note_parts"):
            real = getattr(digests, name)
            patch.setattr(digests, name, lambda piece, real=real: flattened.append(piece) or real(piece))
        name, data = corpus_notes[0]
        edited = [(name, data + b"\n\nWhat does a warm rebuild re-read?\n"), *corpus_notes[1:]]
        warm = build(edited, config_texts, cache=cache)
    assert warm.files == build(edited, config_texts).files
    others = [p for p in flattened if p not in warm.handbook.notes and p.source.note != name]  # type: ignore[attr-defined]
    assert [p for p in warm.handbook.notes if p.note.name == name][0] in flattened  # the edited note and its entries
    askings = [a for q in first.handbook.questions for a in q.asked if a.source.note != name]
    assert len(others) < len(askings) // 10  # of the other notes, only what classify made


def test_entries_of_one_note_stand_apart(config_texts: dict[str, str], tmp_path: Path):
    cache = files.NoteCache(tmp_path)
    note = ("a.md", b"Q: What is alpha?\nA: First answer.\n\nQ: What is beta?\nA: Second answer.\n\nSome notes on gamma\n\nOther notes on delta\n")
    before = ("0.md", b"Q: What is zeta?\nA: With code:\n\n```python\nx = 1\n```\n")  # numbers code lines before the others
    for notes in ([note], [before, note], [note]):  # their sections made again (their answers' numbering moved), from their answers
        warm = build(notes, config_texts, cache=cache)
        assert warm.files == build(notes, config_texts).files


@pytest.mark.parametrize("damage", [None, (), (b"x",), "digests"])
def test_damaged_content_digests_in_the_memory_are_worked_out_again(corpus_notes: list[tuple[str, bytes]], config_texts: dict[str, str],
                                                                    tmp_path: Path, damage: object):
    from kb import memory
    from kb.emit.digests import CONTENT

    real = memory.recall

    def damaged(name: str, key: object, using: object, work: Callable[[], object]) -> object:
        return damage if name == CONTENT else real(name, key, using, work)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kb.emit.digests.recall", damaged)
        assert build(corpus_notes, config_texts, cache=files.NoteCache(tmp_path)).files == build(corpus_notes, config_texts).files
