"""Cross-links, glossary terms, related questions and missing terms in the generated Markdown (the built HTML is in site/test_links.py)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kb.link import term_pattern
from kb.model import Config, Slug
from kb.pipeline import Build, build
from tests.conftest import ROOT


def test_terms_in_code_headings_and_links_are_left_alone(tmp_path: Path, config_texts: dict[str, str]):
    note = (
        "# Sequence models\n\n"
        "## Why does an LSTM beat a plain RNN?\n\n"
        "See [LSTM paper](https://example.org/lstm) first. The `LSTM` class keeps state.\n\n"
        "```python\nmodel = LSTM(128)  # LSTM in code\n```\n\n"
        "An LSTM has gates, and an LSTM cell keeps its memory; a GRU has fewer gates.\n"
    )
    page = build([("seq.md", note.encode())], config_texts).files["deep-learning-and-nlp/deep-learning.md"]
    answer = page.split('<details class="success">', 1)[1].split("</details>", 1)[0]  # the answer, as HTML
    code = re.search(r"<pre>.*?</pre>", answer, re.DOTALL).group(0)
    assert re.sub(r"<[^>]+>", "", code).strip() == "model = LSTM(128)  # LSTM in code"  # the code block is untouched
    assert '<a href="https://example.org/lstm">LSTM paper</a>' in answer and "<code>LSTM</code> class" in answer
    assert re.findall(r'<a href="\.\./glossary\.html#(\w+)"[^>]*>(\w+)</a>', answer) == [("lstm", "LSTM"), ("gru", "GRU")]
    assert answer.count("glossary.html#lstm") == 1  # the first free mention only
    heading = next(line for line in page.splitlines() if line.startswith("### Why does an LSTM"))
    assert "glossary" not in heading
    tags = re.search(r'<p class="kb-tags">(.*?)</p>', page).group(1)
    assert re.findall(r">(\w+)</a>", tags) == ["LSTM", "RNN", "GRU"]  # the question's tags, under its heading


def test_related_questions_are_on_other_pages(corpus: Build):
    links = corpus.links
    assert links is not None
    with_related = [q for q in corpus.handbook.questions if links.related[q.id]]
    assert len(with_related) > 30
    for question in with_related:
        for other in links.related[question.id]:
            assert other.placement.topic != question.placement.topic
    lstm_gru = next(q for q in corpus.handbook.questions if q.title == "Difference between LSTM and GRU")
    assert links.related[lstm_gru.id], "a comparison question gets related questions"
    markdown = (ROOT / "docs" / lstm_gru.placement.topic.path).read_text()
    entry = markdown.split(f"{{ #{lstm_gru.id} }}", 1)[1].split("\n### ", 1)[0]
    see_also = re.search(r'^<p class="kb-related">See also: (.*)</p>$', entry, re.MULTILINE).group(1)
    for other in links.related[lstm_gru.id]:
        assert f'#{other.id}"' in see_also


def test_missing_terms_with_another_runs_memory_are_those_worked_out_afresh(corpus: Build, config_texts: dict[str, str]):
    """Whether a word of the notes is a glossary term is remembered (link._is_term), by the word."""
    from kb.link import _is_term, link
    from kb.memory import remembering

    other = build([("other.md", b"Notes on LoRA, LSTMs, LLMs and FooBar with PyTorch\n")], config_texts)
    with remembering((other.handbook.config, other.handbook.config.glossary)) as first:
        link(other.handbook)
    name = f"{_is_term.__module__}.{_is_term.__qualname__}"
    assert first.used[name]
    config = corpus.handbook.config
    with remembering((config, config.glossary), first.used) as second:
        assert link(corpus.handbook).missing == corpus.links.missing
    taken = first.used[name].keys() & second.used[name].keys()
    assert taken and not taken & second.worked.get(name, {}).keys()  # the words both runs have: taken as they were


def test_missing_terms_are_reported(corpus: Build, config: Config):
    missing = corpus.links.missing
    assert missing and all(not any(term_pattern(t).fullmatch(word) for t in config.glossary) for word in missing)
    assert "LSTM" not in missing and "AI" not in missing  # a term, and an ignored word
    coverage = (ROOT / "docs" / "sources" / "index.md").read_text()
    assert all(f"`{word}`" in coverage for word in missing)


def _related_pairwise(corpus: Build) -> dict[str, tuple[str, ...]]:
    """Related questions as the link stage defines them, by comparing every question with every other."""
    from rapidfuzz import fuzz

    from kb.link import RELATED_QUESTIONS, SIMILAR_WORDING
    from kb.words import question_key

    questions = corpus.handbook.questions
    keys = {q.id: question_key(q.title, corpus.handbook.config) for q in questions}
    terms = {q.id: {t.slug for t in corpus.links.terms[q.id]} for q in questions}
    related = {}
    for question in questions:
        scored = []
        for other in questions:
            if other.placement.topic == question.placement.topic:
                continue
            shared = len(terms[question.id] & terms[other.id])
            if shared:
                scored.append((shared * 100 + fuzz.token_set_ratio(keys[question.id], keys[other.id]), other.id))
        if len(scored) < RELATED_QUESTIONS and keys[question.id]:
            for other in questions:
                if other.placement.topic != question.placement.topic and not terms[question.id] & terms[other.id]:
                    ratio = fuzz.token_set_ratio(keys[question.id], keys[other.id], score_cutoff=SIMILAR_WORDING)
                    if ratio:
                        scored.append((ratio, other.id))
        scored.sort(key=lambda s: (-s[0], s[1]))
        related[question.id] = tuple(i for _, i in scored[:RELATED_QUESTIONS])
    return related


def test_related_questions_found_through_indexes_are_those_of_every_pair(corpus: Build):
    found = {q.id: tuple(o.id for o in corpus.links.related[q.id]) for q in corpus.handbook.questions}
    assert found == _related_pairwise(corpus)
    assert sum(1 for q in found.values() if q) > 30


def test_similar_wording_is_found_through_the_rarest_words():
    from rapidfuzz import fuzz

    from kb.link import SIMILAR_WORDING, _Wording

    keys = ["bias variance tradeoff", "bias tradeoff variance model", "model", "model training", "variance",
            "gradient vanishing", "exploding gradient vanishing", "batch normalization", "normalization layer batch", ""]
    wording = _Wording(keys, [Slug(f"page-{i}") for i in range(len(keys))])  # each on a page of its own
    for i, key in enumerate(keys):
        candidates = wording.candidates(i)
        assert i not in candidates
        for j, other in enumerate(keys):
            words = set(key.split()) & set(other.split())
            shared = " ".join(sorted(words))
            if j != i and words and (fuzz.ratio(shared, key) >= SIMILAR_WORDING or fuzz.ratio(shared, other) >= SIMILAR_WORDING):
                assert j in candidates, (key, other)  # the shared words make up most of one key: always a candidate
    assert 1 in wording.candidates(0) and 6 in wording.candidates(5) and 8 in wording.candidates(7)
    assert 5 not in wording.candidates(0)  # no word in common: never compared
    same_page = _Wording(keys, [Slug("page")] * len(keys))
    assert all(not same_page.candidates(i) for i in range(len(keys)))  # questions on its own page are never related


def test_terms_are_found_where_one_search_of_the_whole_text_finds_them():
    from kb.model import Term
    from kb.terms import mentioned

    top_k = Term("top-k", Slug("top-k"), "", aliases=("top k sampling",))
    rest = Term("REST", Slug("rest"), "", exact=True)
    glossary = (top_k, rest)
    texts = [
        "topology, laptop, stop: then top\\_k and top k sampling",  # the keys occur before the first match
        "top " * 40 + "and top-k",  # the first word of a spelling often, the spelling once
        "the rest of it, a REST call, then rest",
        "stop-k desktop-k",  # keys everywhere, no match
        "Top-K in ASCII, tôp-k and top-k in other text",
        "éa top-k, ÉTOP-K, étop-k, a/top-k, top-kß and a REST-API, -REST, REST_",  # after or before word characters
        "\u017ftop-k, to\u017f-k, top-\u212a, TOP\\_K, top \\- k and rest, R\u0130EST",  # long s, Kelvin sign: k
        "ﬁ top-k İ",  # characters whose lower case is two
    ]
    for text in texts:
        expected = sorted((m.start(), i, t) for i, t in enumerate(glossary) if (m := term_pattern(t).search(text)))
        assert mentioned(text, glossary) == tuple(t for _, _, t in expected), text
    assert mentioned(texts[0], glossary) == (top_k,) and mentioned(texts[3], glossary) == ()


_TRICKY = st.text(alphabet="top-kREST_sampling \\/é\u017f\u212a\u0130ﬁ.\n", max_size=40)


@given(_TRICKY)
@example("t-\u017fne, top-\u212a")  # the long s is an s, the Kelvin sign a k, case aside
@example("\u0130 t-sne top-k")  # a character whose lower case is two: places shift
def test_terms_are_found_as_one_search_per_term_finds_them(text: str) -> None:
    from kb.model import Term
    from kb.terms import _finder, mentioned

    glossary = (Term("top-k", Slug("top-k"), "", aliases=("top k sampling",)), Term("REST", Slug("rest"), "", exact=True),
                Term("k", Slug("k"), ""), Term("t-SNE", Slug("t-sne"), "", aliases=("tsne",)))
    # what the glossary's finder lets through, then searched for the whole pattern from the start
    expected = sorted((m.start(), i) for i in _finder(glossary).candidates(text.lower()) if (m := term_pattern(glossary[i]).search(text)))
    assert mentioned(text, glossary) == tuple(glossary[i] for _, i in expected)


@given(st.text(alphabet="Ab-c d\u017f\u212aé_\n", max_size=30))
@example("ab-c, A\u212a, ab-c-d, ab-\u212a, d-\u017f")  # the long s is an s, the Kelvin sign a k
def test_spellings_are_found_as_one_search_per_spelling_finds_them(text: str) -> None:
    from kb.link import _spelled

    spellings = ("ab", "Ab-c", "ab c", "d", "ék", "-c", "a_b", "ak", "ab-k", "d-s")
    expected = {s for s in spellings if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w])", text, re.IGNORECASE)}
    assert _spelled(text, spellings) == expected


_WORDS = ("bias", "variance", "tradeoff", "model", "gradient", "vanishing", "batch", "norm", "layer", "attention", "head", "a", "ab")
_ASKED = st.builds(
    lambda key, page, terms: (" ".join(sorted(key)), page, tuple(dict.fromkeys(terms))),
    st.lists(st.sampled_from(_WORDS), max_size=5),
    st.sampled_from([Slug("p1"), Slug("p2"), Slug("p3"), None]),
    st.lists(st.sampled_from([Slug("t1"), Slug("t2"), Slug("t3"), Slug("t4")]), max_size=3),
)
_HANDBOOK = st.dictionaries(st.sampled_from([f"q{n:02}" for n in range(30)]), _ASKED, max_size=24)


def _asked(handbook: dict[str, tuple[str, Slug | None, tuple[Slug, ...]]], order: list[str]):
    from kb.link import _Asked

    return [_Asked(i, *handbook[i]) for i in order]


@given(_HANDBOOK, st.lists(st.tuples(st.sampled_from([f"q{n:02}" for n in range(30)]), st.none() | _ASKED), max_size=4), st.randoms(),
       st.sampled_from((1, 2, 32)))
def test_related_questions_worked_out_again_after_an_edit_are_those_worked_out_anew(
        before: dict[str, tuple[str, Slug | None, tuple[Slug, ...]]], edits: list[tuple[str, tuple[str, Slug | None, tuple[Slug, ...]] | None]],
        random, lazy_words: int) -> None:
    """Questions added, removed or changed (key, page, terms), and the others in another order: the lists carried
    over and those worked out again one question at a time (with the prefixes and word counts carried, and the words'
    indexes made for the words asked about or whole) are those of all worked out at once."""
    from kb import link as link_module
    from kb.link import _Related, _related_ids

    after = dict(before)
    for id_, asked in edits:
        if asked is None:
            after.pop(id_, None)
        else:
            after[id_] = asked
    order = list(after)
    random.shuffle(order)
    last = _related_ids(_asked(before, list(before)))
    fresh = _related_ids(_asked(after, order))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(link_module, "LAZY_WORDS", lazy_words)
        assert _related_ids(_asked(after, order), last, up_to=0) == fresh  # each question that may have changed alone
        assert _related_ids(_asked(after, order), last) == fresh  # as many as the run decides
        assert _related_ids(_asked(after, order), _Related({}), up_to=0) == fresh  # every question alone
    assert fresh.counts == Counter(word for key, *_ in after.values() for word in set(key.split()))
    for id_, (*_, related) in fresh.lists.items():
        assert id_ not in related and all(after[r][1] != after[id_][1] for r in related)  # on other pages


def test_only_the_questions_an_edit_may_change_are_worked_out_again(monkeypatch: pytest.MonkeyPatch):
    from kb import link as link_module
    from kb.link import _Asked, _related_ids

    asked = [_Asked(f"q{n}", key, Slug(f"p{n % 3}"), terms) for n, (key, terms) in enumerate([
        ("bias tradeoff variance", (Slug("t1"),)), ("bias variance", (Slug("t1"),)), ("gradient vanishing", ()),
        ("exploding gradient vanishing", ()), ("attention head", (Slug("t2"),)), ("batch norm", ()), ("layer norm", ())])]
    last = _related_ids(asked)
    worked: list[int] = []
    one = link_module._one_related
    monkeypatch.setattr(link_module, "_one_related", lambda i, *rest: worked.append(i) or one(i, *rest))
    assert _related_ids(asked, last, up_to=0) == last and not worked  # nothing changed: nothing worked out
    edited = [*asked[:3], _Asked("q3", "exploding gradient", asked[3].page, ()), *asked[4:]]
    assert _related_ids(edited, last, up_to=0) == _related_ids(edited)
    assert sorted(worked) == [2, 3]  # the edited question and the one it shares words with on another page


def test_related_questions_carried_damaged_are_worked_out_anew(corpus: Build):
    from kb.link import _CARRIED, _Carried, _Related, link
    from kb.memory import remembering

    config = corpus.handbook.config
    with remembering((config, config.glossary)) as memory:
        assert link(corpus.handbook) == corpus.links
    carried = memory.used[_CARRIED][None]
    assert isinstance(carried, _Carried) and set(carried.related.lists) == {q.id for q in corpus.handbook.questions}
    related = carried.related
    for damaged in ("text", _Carried((), {}, {}, _Related({"q": ("too short",)})), _Carried((), {}, {}, _Related([1])),  # type: ignore[arg-type]
                    _Carried((), {}, {}, _Related(related.lists, [])), _Carried((), [], {}, related),  # type: ignore[arg-type]
                    _Carried((), {"q": "x"}, {"b": 1}, related), carried):  # type: ignore[dict-item]
        with remembering((config, config.glossary), {_CARRIED: {None: damaged}}):
            assert link(corpus.handbook) == corpus.links
