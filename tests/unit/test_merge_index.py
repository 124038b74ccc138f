"""The merge index's bit filters change nothing: the same askings are found, in the same order, as by the plain
prefix index (kept here as the reference), whatever the words' bits, even when words share bits."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest

from kb.classify.merge import _Asking, _Index, _may_merge, same_question
from kb.model import Question, Source
from kb.words import Meaning, meaning


class _PlainIndex:
    """The index as it was before the bit filters: every asking filed under the prefix words is tried, in order."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts
        self.exact: dict[str, list[tuple[int, _Asking]]] = defaultdict(list)
        self.filed: dict[str, dict[tuple[int, int, int], list[tuple[int, _Asking]]]] = defaultdict(dict)

    def _prefix(self, m: Meaning) -> list[tuple[str, int, int]]:
        words = sorted(m.words | m.optional, key=lambda w: (self.counts[w], w))
        outside, inside = len(m.words), len(m.optional)
        prefix = []
        for word in words[: len(words) - (len(m.words) + 1) // 2 + 1]:
            prefix.append((word, outside, inside))
            outside, inside = (outside - 1, inside) if word in m.words else (outside, inside - 1)
        return prefix

    def add(self, number: int, asking: _Asking) -> None:
        if not asking.meaning.words:
            return
        self.exact[asking.meaning.key].append((number, asking))
        size = len(asking.meaning.words)
        for word, outside, inside in self._prefix(asking.meaning):
            self.filed[word].setdefault((outside, inside, size), []).append((number, asking))

    def matches(self, m: Meaning, slot: tuple[int, int], containment: bool) -> dict[int, tuple[float, _Asking, str]]:
        found: dict[int, tuple[float, _Asking, str]] = {}
        if not m.words:
            return found
        candidates = list(self.exact.get(m.key, ()))
        size = len(m.words)
        for word, outside, inside in self._prefix(m):
            for (other_outside, other_inside, other_size), askings in self.filed.get(word, {}).items():
                if _may_merge((size, outside, inside), (other_size, other_outside, other_inside), containment):
                    candidates.extend(askings)
        done: set[int] = set()
        for number, other in candidates:
            if number in found or id(other) in done:
                continue
            done.add(id(other))
            next_to = other.slot[0] == slot[0] and abs(other.slot[1] - slot[1]) <= 1
            verdict = same_question(m, other.meaning, next_to, containment)
            if verdict is not None:
                found[number] = (verdict[0], other, verdict[1])
        return found


def _titles(count: int, seed: int) -> list[str]:
    """Questions from a small vocabulary (many share words), some with a copy's tag word (near-twins that differ
    in one word), words in parentheses, comparisons, bare prompts and repeats."""
    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(16)]
    starts = ["what is", "how to", "why", "", "difference between", "when to use"]
    titles: list[str] = []
    for _ in range(count):
        if titles and rng.random() < 0.15:
            titles.append(rng.choice(titles))
            continue
        words = rng.sample(vocabulary, rng.randint(1, 8))
        if rng.random() < 0.4:
            words.append(f"zz{rng.randint(0, 5)}")
        if rng.random() < 0.25:
            words.insert(rng.randint(0, len(words)), f"({' '.join(rng.sample(vocabulary, rng.randint(1, 3)))})")
        joiner = " vs " if rng.random() < 0.15 else " "
        titles.append(f"{rng.choice(starts)} {joiner.join(words)}".strip())
    return titles


@pytest.mark.parametrize(("bits", "own_bits"), [(_Index.BITS, _Index.OWN_BITS), (10, 3), (1, 0)])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_index_finds_what_trying_every_filed_asking_finds(config, monkeypatch, bits, own_bits, seed):
    monkeypatch.setattr(_Index, "BITS", bits)
    monkeypatch.setattr(_Index, "OWN_BITS", own_bits)
    rng = random.Random(seed)
    meanings = [meaning(t, config) for t in _titles(500, seed)]
    counts: Counter[str] = Counter(w for m in meanings for w in m.words | m.optional)
    index, plain = _Index(counts), _PlainIndex(counts)
    note, entry, numbers, found_any = 0, 0, 0, 0
    for n, m in enumerate(meanings):
        if rng.random() < 0.1:
            note, entry = note + 1, 0
        entry += rng.choice((1, 1, 2))
        asking = _Asking(Question(str(n), (), Source("n.txt", (n + 1,))), m, (note, entry))
        for containment in (True, False):
            expected = plain.matches(m, asking.slot, containment)
            got = index.matches(m, asking.slot, containment)
            assert list(got.items()) == list(expected.items()), (n, m)  # same groups, same order, same askings and why
            found_any += bool(got)
        number = min(expected) if expected and rng.random() < 0.7 else numbers
        numbers += number == numbers
        index.add(number, asking)
        plain.add(number, asking)
    assert found_any > 50  # the check saw many merges, not only misses


def test_bits_leave_most_near_misses_to_no_one(config):
    """Near-twins that share all words but their tags are ruled out before `same_question`."""
    titles = [f"how to handle class imbalance in fraud data zz{n}" for n in range(100)]
    meanings = [meaning(t, config) for t in titles]
    assert same_question(meanings[0], meanings[1]) is None  # 5 of 6 words shared: two questions
    counts: Counter[str] = Counter(w for m in meanings for w in m.words)
    index = _Index(counts)
    for n, m in enumerate(meanings):
        asking = _Asking(Question(titles[n], (), Source("n.txt", (n + 1,))), m, (n, 0))
        assert not index.matches(m, asking.slot, containment=True)
        index.add(n, asking)
    assert index.compared < 10, index.compared



def test_bits_rule_out_near_misses_even_when_two_of_their_words_share_a_bit(config):
    """When two words of an asking have the same bit, it may share one bit fewer than words with another: still
    enough to tell near-twins (the same words but a tag, rarer than the tag) apart without `same_question`."""
    titles = [f"how to a{q} b{q} c{q} d{q} e{q} zz{t}" for t in range(10) for q in range(30)]
    meanings = [meaning(t, config) for t in titles]
    assert same_question(meanings[0], meanings[30]) is None  # 5 of 6 words shared: two questions
    counts: Counter[str] = Counter(w for m in meanings for w in m.words)
    index = _Index(counts)
    index.bits["a0"] = index.bits["b0"]  # two words of the askings of one question on one bit
    for n, m in enumerate(meanings):
        asking = _Asking(Question(titles[n], (), Source("n.txt", (n + 1,))), m, (n, 0))
        assert not index.matches(m, asking.slot, containment=True)
        index.add(n, asking)
    assert index.compared < 5, index.compared
