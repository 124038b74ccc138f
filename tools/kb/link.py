"""Link stage: which glossary terms each entry mentions, and how entries and pages connect.

Pure: a classified Handbook in, Links out. The emitter turns them into term links, tags,
"See also" lines, related topics and "Mentioned in" backlinks.
"""

from __future__ import annotations

import heapq
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from .memory import carried, carry, remembered
from .model import Config, Handbook, Links, MergedQuestion, PlacedBlock, Slug, Term, Topic
from .terms import mentioned, mirrors, term_pattern
from .words import plain_text, question_key

RELATED_QUESTIONS = 3
"""How many "See also" links a question gets at most."""
RELATED_TOPICS = 5
SIMILAR_WORDING = 80
"""rapidfuzz token_set_ratio (0-100) from which two questions without a shared term still relate."""

_BLOCKS = 0x10000
"""The first character of `_Wording.blocks`, past the surrogates' range for up to a million distinct words."""
_CAPITALISED = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:-\d+)?(?![\w])")
"""Words with two or more capitals (LSTM, LoRA, GPT-4, TensorFlow): likely terms."""


def link(handbook: Handbook) -> Links:
    glossary = handbook.config.glossary
    entries = _entries(handbook)
    terms = {entry_id: mentioned(text, glossary) for entry_id, (_, _, text) in entries.items()}
    on_page = {topic.slug for _, topic, _ in entries.values()}
    uses: dict[Slug, list[Topic]] = defaultdict(list)
    for entry_id, (_, topic, _) in entries.items():
        for term in terms[entry_id]:
            if topic not in uses[term.slug]:
                uses[term.slug].append(topic)
    for topic in (*handbook.config.topics, handbook.config.inbox):  # a page's description is linked too
        if topic.slug in on_page:
            for term in mentioned(topic.description, glossary):
                if topic not in uses[term.slug]:
                    uses[term.slug].append(topic)
    chosen = {term.slug: _home(term, uses.get(term.slug, []), on_page, handbook) for term in glossary}
    home = {slug: topic for slug, topic in chosen.items() if topic is not None}
    related = _related_questions(handbook, terms)
    order = _order(handbook)
    mentioned_in: dict[Slug, list[tuple[Topic, str, str]]] = defaultdict(list)
    closeness: dict[Slug, Counter[Slug]] = defaultdict(Counter)
    for entry_id, (title, topic, _) in entries.items():
        homes = {home[t.slug] for t in terms[entry_id] if t.slug in home} - {topic}
        for target in sorted(homes, key=order):
            mentioned_in[target.slug].append((topic, entry_id, title))
            closeness[target.slug][topic.slug] += 1
            closeness[topic.slug][target.slug] += 1
    by_slug = {t.slug: t for t in (*handbook.config.topics, handbook.config.inbox)}
    related_topics = {
        slug: tuple(by_slug[s] for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], order(by_slug[kv[0]])))[:RELATED_TOPICS])
        for slug, counts in closeness.items()
    }
    return Links(
        terms=terms,
        related=related,
        home=home,
        mentioned_in={slug: tuple(found) for slug, found in mentioned_in.items()},
        related_topics=related_topics,
        uses={slug: tuple(topics) for slug, topics in uses.items()},
        missing=_missing(handbook),
    )


# --- helper functions ----------------------------------------------------------------------


def _entries(handbook: Handbook) -> dict[str, tuple[str, Topic, str]]:
    """Entry id -> (title, topic, all its text) for every question and block, in page order."""
    found: dict[str, tuple[str, Topic, str]] = {}
    for question in handbook.questions:
        assert question.placement
        asked = question.asked
        if len(asked) == 1:  # most questions (the same text as below, made without its generators)
            one = asked[0]
            parts = [question.title, *((one.detail,) if one.detail else ()), *((one.context,) if one.context else ()), one.source.original,
                     plain_text(one.answer)]
        else:
            parts = [question.title, *(q.detail for q in asked if q.detail), *(q.context for q in asked if q.context)]
            parts += [q.source.original for q in asked]  # every asking's own wording is on the page ("Asked in ... as")
            parts += [plain_text(q.answer) for q in asked]
        found[question.id] = (question.title, question.placement.topic, "\n".join(parts))
    for block in handbook.blocks:
        found[block.id] = (block.title or _first_line(block), block.placement.topic, block.title + "\n" + plain_text(block.block.body))
    return found


def _first_line(block: PlacedBlock) -> str:
    text = plain_text(block.block.body).strip().split("\n", 1)[0]
    return text if len(text) <= 80 else text[:77].rsplit(" ", 1)[0] + "…"


def _home(term: Term, uses: list[Topic], on_page: set[Slug], handbook: Handbook) -> Topic | None:
    """The topic page that covers a term: the one the glossary names, else the one mentioning it most."""
    topics = {t.slug: t for t in handbook.config.topics}
    if term.topic and term.topic in on_page:
        return topics[term.topic]
    candidates = [t for t in uses if t != handbook.config.inbox]
    return candidates[0] if candidates else None


def _related_questions(handbook: Handbook, terms: dict[str, tuple[Term, ...]]) -> dict[str, tuple[MergedQuestion, ...]]:
    """Up to RELATED_QUESTIONS questions on other pages per question (see `_related_ids`), worked out again only for
    the questions an edit may have changed (the last run's are carried over: kb.memory's `carry`)."""
    questions = handbook.questions
    config = handbook.config
    asked = [_Asked(q.id, _key(q.title, config), q.placement.topic.slug if q.placement else None,
                    tuple(t.slug for t in terms[q.id])) for q in questions]
    last = carried(_CARRIED, config)
    found = _related_ids(asked, last if isinstance(last, _Related) and _whole(last) else None)
    carry(_CARRIED, config, found)
    by_id = {q.id: q for q in questions}
    return {q.id: tuple(by_id[Slug(j)] for j in found.lists[q.id][-1]) for q in questions}


_CARRIED = f"{__name__}._related_questions"


@remembered
def _key(title: str, config: Config) -> str:
    """A question's `question_key`, remembered: worked out for every question in every run."""
    return question_key(title, config)


class _Asked(NamedTuple):
    """What a question's related questions depend on: its id (which orders questions scoring the same), its key,
    its page and its glossary terms."""

    id: str
    key: str
    page: Slug | None
    terms: tuple[Slug, ...]


@dataclass(frozen=True)
class _Related:
    """Each question's related questions by id, with what they were worked out from: (key, page, terms, its prefix
    of rarest words (see `_Wording`), the related questions' ids)."""

    lists: dict[str, tuple[str, Slug | None, tuple[Slug, ...], tuple[str, ...], tuple[str, ...]]]


def _whole(related: _Related) -> bool:
    """Whether related holds what it should (it comes from the cache)."""
    return isinstance(related.lists, dict) and all(type(entry) is tuple and len(entry) == 5 for entry in related.lists.values())


REWORK_UP_TO = 8
"""Related questions are worked out again one question at a time for up to 1/REWORK_UP_TO of the questions; else all
at once (which looks at each pair of questions once rather than from both sides)."""


def _related_ids(asked: list[_Asked], last: _Related | None = None, up_to: int = REWORK_UP_TO) -> _Related:
    """Up to RELATED_QUESTIONS questions on other pages per question: most shared terms first, then closest wording.

    Questions are found through indexes, never by comparing every pair: those sharing a glossary term, and (when
    these are too few) those sharing a word of the question's key, of which the ones with similar wording count.

    With last (what this worked out for the questions of a run before), only the questions that may have other
    related questions now are worked out again: a question's list depends on its key, page and terms, its prefix
    (which decides its candidates by wording), and on those of the questions sharing a term or, as candidates by
    wording, a word with it (ids order the questions scoring the same, and one question's order against another
    is that of their ids, whichever others there are). So a list stays what it was unless the question, or one
    sharing a term or being a candidate by wording with it as it is now or was then, is new, gone or changed. Those are
    worked out again one at a time when they are at most 1/up_to of the questions (0: always)."""
    keys = [a.key for a in asked]
    pages = [a.page for a in asked]
    by_term: dict[Slug, dict[Slug | None, list[int]]] = defaultdict(dict)
    """Term -> page -> the questions on it mentioning the term (a question's own page is skipped as a whole)."""
    for i, a in enumerate(asked):
        for term in a.terms:
            by_term[term].setdefault(a.page, []).append(i)
    wording = _Wording(keys, pages)
    prefixes = [tuple(prefix) for prefix in wording.prefixes]
    lists = {a.id: (a.key, a.page, a.terms, prefixes[i]) for i, a in enumerate(asked)}
    rework = _rework(asked, lists, by_term, wording, last, up_to) if last is not None and len(lists) == len(asked) else None
    if rework is None:
        found = _all_related(asked, by_term, wording)
        return _Related({a.id: (*lists[a.id], tuple(asked[j].id for j in found[i])) for i, a in enumerate(asked)})
    assert last is not None
    kept = last.lists
    result: dict[str, tuple[str, Slug | None, tuple[Slug, ...], tuple[str, ...], tuple[str, ...]]] = {}
    for i, a in enumerate(asked):
        if i in rework:
            result[a.id] = (*lists[a.id], _one_related(i, asked, by_term, wording))
        else:
            result[a.id] = kept[a.id]
    return _Related(result)


def _rework(asked: list[_Asked], lists: dict[str, tuple[str, Slug | None, tuple[Slug, ...], tuple[str, ...]]],
            by_term: dict[Slug, dict[Slug | None, list[int]]], wording: _Wording, last: _Related, up_to: int) -> set[int] | None:
    """The questions whose related questions may differ from last's (see `_related_ids`); None when these are too
    many to work out one at a time."""
    kept = last.lists
    changed: list[tuple[str, Slug | None, tuple[Slug, ...], tuple[str, ...]]] = []
    """The versions, then and now, of the questions new, gone or changed."""
    rework: set[int] = set()
    for i, a in enumerate(asked):
        then = kept.get(a.id)
        now = lists[a.id]
        if then is None or then[:4] != now:
            rework.add(i)
            changed.append(now)
            if then is not None:
                changed.append(then[:4])
    changed += [then[:4] for key, then in kept.items() if key not in lists]
    if len(changed) * up_to > len(asked):
        return None
    for key, page, terms, prefix in changed:
        for term in terms:
            for other, mentioning in by_term.get(term, {}).items():
                if other != page:
                    rework.update(mentioning)
        rework |= wording.near(key.split(), prefix, page)
        if len(rework) * up_to > len(asked):
            return None
    return rework


def _sharing(i: int, asked: list[_Asked], by_term: dict[Slug, dict[Slug | None, list[int]]]) -> Counter[int]:
    """The questions on other pages sharing a term with question i, with how many terms they share."""
    page = asked[i].page
    sharing: Counter[int] = Counter()
    for term in asked[i].terms:
        for other, mentioning in by_term[term].items():
            if other != page:
                sharing.update(mentioning)
    return sharing


def _least(sharing: Counter[int]) -> int:
    """How many terms a question must share to count: a score is 100 x shared terms + a ratio of 0-100, so sharing two
    terms fewer than the third most is never enough."""
    return heapq.nlargest(RELATED_QUESTIONS, sharing.values())[-1] - 1 if len(sharing) > RELATED_QUESTIONS else 0


def _one_related(i: int, asked: list[_Asked], by_term: dict[Slug, dict[Slug | None, list[int]]], wording: _Wording) -> tuple[str, ...]:
    """Question i's related questions by id, worked out for it alone (as `_all_related` does for all)."""
    key = asked[i].key
    sharing = _sharing(i, asked, by_term)
    least = _least(sharing)
    row = sorted((-(count * 100 + fuzz.token_set_ratio(key, asked[j].key)), asked[j].id) for j, count in sharing.items() if count >= least)
    if len(row) < RELATED_QUESTIONS and key:  # too few share a term: wording counts too
        for j in wording.candidates(i) - sharing.keys():
            if wording.close(i, j) and (ratio := fuzz.token_set_ratio(key, asked[j].key, score_cutoff=SIMILAR_WORDING)):
                row.append((-ratio, asked[j].id))
        row.sort()
    return tuple(j for _, j in row[:RELATED_QUESTIONS])


def _all_related(asked: list[_Asked], by_term: dict[Slug, dict[Slug | None, list[int]]], wording: _Wording) -> list[list[int]]:
    """Every question's related questions, by index (see `_related_ids`)."""
    keys = [a.key for a in asked]
    place = {a.id: n for n, a in enumerate(sorted(asked, key=lambda a: a.id))}
    ranks = [place[a.id] for a in asked]
    """Each question's place by id, which orders questions scoring the same."""
    shared: list[Counter[int]] = []
    scored: list[list[tuple[float, int, int]]] = []
    """Per question: (minus its score, rank, index) of the best questions that may relate, best first when sorted
    (only the best few kept: the many tuples of all would make Python's garbage collector walk the handbook)."""
    wanted: list[bool] = []
    """Per question: whether fewer than RELATED_QUESTIONS questions share a term with it, so wording counts too."""
    ratios: dict[int, float] = {}
    """The ratio of i and j > i by i * len(asked) + j, kept for when j gets to i (sharing a term is mutual,
    and so is the ratio)."""
    size = len(asked)
    for i in range(size):
        sharing = _sharing(i, asked, by_term)
        least = _least(sharing)
        row = []
        for j, count in sharing.items():
            if count >= least:
                ratio = ratios.pop(j * size + i, None) if j < i else None
                if ratio is None:
                    ratio = fuzz.token_set_ratio(keys[i], keys[j])
                    if j > i:
                        ratios[i * size + j] = ratio
                row.append((-(count * 100 + ratio), ranks[j], j))
        shared.append(sharing)
        wanted.append(len(row) < RELATED_QUESTIONS and bool(keys[i]))
        scored.append(sorted(row)[:RELATED_QUESTIONS])
    for i, similar in wording.similar(wanted, shared).items():
        scored[i] += [(-ratio, ranks[j], j) for ratio, j in similar]
    return [[j for _, _, j in sorted(row)[:RELATED_QUESTIONS]] for row in scored]


class _Wording:
    """Questions whose keys may have similar wording, found by their rarest words (prefix filtering).

    token_set_ratio counts a pair as similar (SIMILAR_WORDING) mostly when the words the keys share make up most of
    one of them: at least 2/3 of its characters, as "sect" against "sect + rest" scores 80 from there. So the words
    of a key, rarest first, up to where the rest is shorter than that (its prefix), hold a shared word: a key's
    candidates are the keys holding one of its prefix words, and the keys with one of its words in their prefix."""

    def __init__(self, keys: list[str], pages: list[Slug | None]) -> None:
        self.words = [sorted(set(key.split())) for key in keys]
        self.pages = pages
        counts = Counter(word for words in self.words for word in words)
        self.vocabulary = len(counts)
        self.prefixes: list[list[str]] = []
        self.holding: dict[str, dict[Slug | None, list[int]]] = defaultdict(dict)
        self.filed: dict[str, dict[Slug | None, list[int]]] = defaultdict(dict)
        """Word -> page -> keys (a key's own page is skipped as a whole)."""
        for i, words in enumerate(self.words):
            rarest = sorted(words, key=lambda w: (counts[w], w))
            rest = sum(len(w) + 1 for w in words) - 1
            whole = rest
            prefix = []
            for word in rarest:
                if rest < 2 * whole / 3 - 1:
                    break
                prefix.append(word)
                rest -= len(word) + 1
            self.prefixes.append(prefix)
            for word in words:
                self.holding[word].setdefault(pages[i], []).append(i)
            for word in prefix:
                self.filed[word].setdefault(pages[i], []).append(i)
        self.keys = keys
        self.read = [" ".join(words) for words in self.words]
        """Each key as token_set_ratio reads it: its words once each, sorted."""
        self._some_letters: dict[int, str] = {}

    @cached_property
    def letters(self) -> list[str]:
        """Each key's letters (of `read`), sorted."""
        return ["".join(sorted(key)) for key in self.read]

    @cached_property
    def blocks(self) -> list[str] | None:
        """Each key as a run of one character per word, as long as the word and its space, in the words' order:
        the longest common subsequence of two is the length of the words they share and a space."""
        if self.vocabulary > sys.maxunicode - _BLOCKS:
            return None
        ids = {word: n for n, word in enumerate(sorted({word for words in self.words for word in words}))}
        return ["".join(chr(_BLOCKS + ids[word]) * (len(word) + 1) for word in words) for words in self.words]

    def similar(self, wanted: list[bool], apart: list[Counter[int]]) -> dict[int, list[tuple[float, int]]]:
        """For each wanted key, its candidates not apart from it whose wording is similar, with their ratio.

        Each pair is looked at once, from its shorter key, and scored only when two cheap bounds (in rapidfuzz,
        over all the shorter key's candidates at once) leave token_set_ratio room to reach SIMILAR_WORDING. Of
        two keys sharing the words "sect", each with its own other words "a" and "b", it is the highest of
        ratio("sect a", "sect b"), at most the ratio of the two keys' letters sorted (the letters of "sect" are
        in both), and of "sect" to "sect a" or to "sect b", which only reach 80 when sect makes up 2/3 of the
        shorter key (a key's words all shared: 100), as the blocks' longest common subsequence tells."""
        found: dict[int, list[tuple[float, int]]] = defaultdict(list)
        wanting = {i for i, want in enumerate(wanted) if want}
        done: set[int] = set()
        lengths = list(map(len, self.read))
        letters, blocks = self.letters, self.blocks
        for i in sorted(range(len(lengths)), key=lengths.__getitem__):  # shortest first (a stable sort: then by index)
            done.add(i)
            key = self.read[i]
            if not key:
                continue
            others_ = self.candidates(i) - done
            others_.difference_update(apart[i])
            if not wanted[i]:
                others_ &= wanting
            if not others_:
                continue
            others = list(others_)
            close = {k for _, _, k in process.extract(letters[i], list(map(letters.__getitem__, others)), scorer=fuzz.ratio,
                                                     score_cutoff=SIMILAR_WORDING - 1, limit=None)}
            if blocks is None:
                close = set(range(len(others)))
            else:
                most = len(key) * 2 // 3  # the words shared and a space, from where sect makes up 2/3 of the key
                close.update(k for _, _, k in process.extract(blocks[i], list(map(blocks.__getitem__, others)),
                                                              scorer=LCSseq.similarity, score_cutoff=most, limit=None))
            for k in close:
                j = others[k]
                if ratio := fuzz.token_set_ratio(self.keys[i], self.keys[j], score_cutoff=SIMILAR_WORDING):  # the same both ways
                    for one, other in ((i, j), (j, i)):
                        if wanted[one]:
                            found[one].append((ratio, other))
        return found

    def close(self, i: int, j: int) -> bool:
        """Whether `similar` scores the pair of keys i and j (bounds of its shorter key, by length then index)."""
        if self.vocabulary > sys.maxunicode - _BLOCKS:  # no blocks: every pair is scored
            return True
        if fuzz.ratio(self._letters(i), self._letters(j)) >= SIMILAR_WORDING - 1:
            return True
        shorter = min((len(self.read[i]), i), (len(self.read[j]), j))[1]
        shared = set(self.words[i]).intersection(self.words[j])
        return sum(len(word) + 1 for word in shared) >= len(self.read[shorter]) * 2 // 3

    def _letters(self, i: int) -> str:
        """`letters` of key i, worked out for it alone (while there are no `letters` of all)."""
        if "letters" in self.__dict__:
            return self.letters[i]
        found = self._some_letters.get(i)
        if found is None:
            found = self._some_letters[i] = "".join(sorted(self.read[i]))
        return found

    def candidates(self, i: int) -> set[int]:
        """Every key on another page that may have wording similar to key i."""
        return self.near(self.words[i], self.prefixes[i], self.pages[i])

    def near(self, words: Iterable[str], prefix: Iterable[str], page: Slug | None) -> set[int]:
        """Every key on another page than page that may have wording similar to a key of these words and prefix (as
        `candidates`, for a key that may not be one of these)."""
        found: set[int] = set()
        for word in prefix:
            for other, held in self.holding.get(word, {}).items():
                if other != page:
                    found.update(held)
        for word in words:
            for other, held in self.filed.get(word, {}).items():
                if other != page:
                    found.update(held)
        return found


def _missing(handbook: Handbook) -> tuple[str, ...]:
    glossary = handbook.config.glossary
    ignore = {w.lower() for w in handbook.config.glossary_ignore}
    texts = ["\n".join(parsed.note.lines) for parsed in handbook.notes]
    if any("\n" in spelling for spelling in handbook.config.spellings):  # may be found across two notes
        texts = ["\n".join(texts)]
    words = set().union(*(_term_like(text, handbook.config) for text in texts))
    missing = set()
    for word in words:
        singular = word[:-1] if word.endswith("s") and word[:-1] in words else word
        if singular.lower() in ignore or word.lower() in ignore:
            continue
        if not _is_term(word, glossary):
            missing.add(singular)
    return tuple(sorted(missing, key=str.lower))


@remembered
def _is_term(word: str, glossary: tuple[Term, ...]) -> bool:
    """Whether a word of the notes is (a spelling of) a glossary term, remembered: asked of every such word of the
    notes in every run, each time through every term's pattern."""
    return any(term_pattern(t).fullmatch(word) for t in glossary)


@remembered
def _term_like(text: str, config: Config) -> frozenset[str]:
    """The words of a note that may be glossary terms: those with two capitals, and the spellings it uses
    (neither found across a line break: the notes' words are those of each note)."""
    return frozenset(_CAPITALISED.findall(text)) | _spelled(text, config.spellings)


_WORD_START = re.compile(r"(?<![\w-])\w+")
_LEAD = re.compile(r"\w+")


def _spelled(text: str, spellings: tuple[str, ...]) -> set[str]:
    r"""The spellings the text uses as words, case aside: those `(?<![\w-])spelling(?![\w])` finds (ignoring case).

    Found through the text's words rather than one scan of the whole text per spelling: a spelling that is one word
    is there when a word of the text is it (ASCII words compared in lower case, others by the pattern itself); any
    other spelling is searched for only when its first word is one of the text's words."""
    words = set(_WORD_START.findall(text))
    lowered = {w.lower() for w in words if w.isascii()}
    others = [w for w in words if not w.isascii()]
    searched, by_lead = _spelling_patterns(spellings)
    found = {spelling for spelling, pattern in searched if pattern.search(text)}
    leads = by_lead.keys() if others else lowered & by_lead.keys()
    searching = []
    for lead in leads:
        first, spelled = by_lead[lead]
        if lead in lowered or any(first.fullmatch(w) for w in others):
            found.update(spelling for spelling, _, whole in spelled if whole)
            searching += [(spelling, pattern) for spelling, pattern, whole in spelled if not whole]
    if searching:
        lower_text = text.lower()
        if mirrors(text, lower_text):
            found.update(spelling for spelling, _ in searching if _leading_letter(spelling).search(lower_text))
        else:
            found.update(spelling for spelling, pattern in searching if pattern.search(text))
    return found


@lru_cache(maxsize=4096)
def _leading_letter(spelling: str) -> re.Pattern[str]:
    r"""An ASCII spelling starting with a word character as `(?<![\w-])spelling(?![\w])` in lower case, written
    to start with that character, so that a search jumps from one place of it to the next: for a text's lower
    case that mirrors it (see `mirrors`)."""
    first, rest = re.escape(spelling[0].lower()), re.escape(spelling[1:].lower())
    return re.compile(rf"{first}(?<![\w-]{first}){rest}(?![\w])")


@lru_cache(maxsize=8)
def _spelling_patterns(spellings: tuple[str, ...]) -> tuple[list[tuple[str, re.Pattern[str]]],
                                                            dict[str, tuple[re.Pattern[str], list[tuple[str, re.Pattern[str], bool]]]]]:
    """The spellings' patterns: those searched for in every text, and the others by their first word in lower case
    (with that word as a pattern, for the text's words that are not ASCII; and whether it is all of the spelling)."""
    searched = []
    by_lead: dict[str, tuple[re.Pattern[str], list[tuple[str, re.Pattern[str], bool]]]] = {}
    for spelling in spellings:
        pattern = re.compile(rf"(?<![\w-]){re.escape(spelling)}(?![\w])", re.IGNORECASE)
        lead = _LEAD.match(spelling)
        if lead is None or not spelling.isascii():
            searched.append((spelling, pattern))
            continue
        first = lead.group(0).lower()
        by_lead.setdefault(first, (re.compile(re.escape(first), re.IGNORECASE), []))[1].append((spelling, pattern, lead.end() == len(spelling)))
    return searched, by_lead


def _order(handbook: Handbook) -> Callable[[Topic], int]:
    """Sort key: a topic's place in the navigation."""
    position = {t.slug: i for i, t in enumerate((*handbook.config.topics, handbook.config.inbox))}
    return lambda topic: position[topic.slug]
