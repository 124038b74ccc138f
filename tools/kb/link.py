"""Link stage: which glossary terms each entry mentions, and how entries and pages connect.

Pure: a classified Handbook in, Links out. The emitter turns them into term links, tags,
"See also" lines, related topics and "Mentioned in" backlinks.
"""

from __future__ import annotations

import bisect
import heapq
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from .memory import carried, carry, recall, recalls, remembered
from .model import Config, Entry, Handbook, Links, MergedQuestion, ParsedNote, PlacedBlock, Slug, Term, Topic
from .sharing import RunAll, one_by_one
from .terms import mentioned, mentioned_indexes, mirrors, term_pattern
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


StandIns = Sequence[tuple[str, ParsedNote]]
"""Each note's parse with its key (the pipeline's cache key of the parse, made of the note's name and bytes, the config and
the code), which stands for it, as in emit (emit.StandIns): an entry of a parse is all its parse's key and its place in
the parse say, so what link worked out from it is carried to the next run under these (`_Carried`)."""


def link(handbook: Handbook, stand_ins: StandIns | None = None, run_all: RunAll = one_by_one) -> Links:
    """The handbook's links. With stand_ins (the parses the handbook was made from, see `StandIns`), what the run before
    worked out of each entry (its terms) and of each question (its related questions) is carried over and worked out
    again only for what changed. Which words of the notes no run before saw may be terms is found by run_all."""
    config = handbook.config
    glossary = config.glossary
    last = carried(_CARRIED, config)
    last = last if isinstance(last, _Carried) and _whole_carried(last) else None
    entries = _Entries(handbook, stand_ins or (), last)
    slugs = [term.slug for term in glossary]
    position = {t.slug: i for i, t in enumerate((*config.topics, config.inbox))}
    on_page = entries.on_page
    found: dict[Slug, dict[Slug, Topic]] = defaultdict(dict)
    """Term -> the topics using it, by slug, in the order of their first use."""
    for _, topic, indexes, _ in entries.rows:
        for k in indexes:
            using = found[slugs[k]]
            if topic.slug not in using:
                using[topic.slug] = topic
    for topic in (*config.topics, config.inbox):  # a page's description is linked too
        if topic.slug in on_page:
            for term in mentioned(topic.description, glossary):
                using = found[term.slug]
                if topic.slug not in using:
                    using[topic.slug] = topic
    uses = {slug: list(using.values()) for slug, using in found.items()}
    topics = {t.slug: t for t in config.topics}
    chosen = {term.slug: _home(term, uses.get(term.slug, []), on_page, topics, config.inbox) for term in glossary}
    home = {slug: topic for slug, topic in chosen.items() if topic is not None}
    homes = [home[slug].slug if slug in home else None for slug in slugs]
    """Each term's home page by the term's place in the glossary (None: none)."""
    related = _related_questions(handbook, entries, last)
    mentioned_in: dict[Slug, list[tuple[Topic, str, str]]] = defaultdict(list)
    closeness: dict[Slug, Counter[Slug]] = defaultdict(Counter)
    for n, (entry_id, topic, indexes, _) in enumerate(entries.rows):
        if not indexes:
            continue
        targets = {homes[k] for k in indexes}
        targets.discard(None)
        targets.discard(topic.slug)
        if not targets:
            continue
        title = entries.title(n)
        for target in sorted(targets, key=position.__getitem__):  # type: ignore[arg-type]  # None discarded
            assert target is not None
            mentioned_in[target].append((topic, entry_id, title))
            closeness[target][topic.slug] += 1
            closeness[topic.slug][target] += 1
    by_slug = {t.slug: t for t in (*config.topics, config.inbox)}
    related_topics = {
        slug: tuple(by_slug[s] for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], position[kv[0]]))[:RELATED_TOPICS])
        for slug, counts in closeness.items()
    }
    carry(_CARRIED, config, _Carried(entries.keys, entries.questions, entries.blocks, related[1]))
    return Links(
        terms=entries.terms(glossary),
        related=related[0],
        home=home,
        mentioned_in={slug: tuple(found) for slug, found in mentioned_in.items()},
        related_topics=related_topics,
        uses={slug: tuple(topics) for slug, topics in uses.items()},
        missing=_missing(handbook, stand_ins or (), run_all),
    )


# --- helper functions ----------------------------------------------------------------------

_CARRIED = f"{__name__}._related_questions"
"""The name of what link carries (`_Carried`: the name it had when it carried the related questions alone)."""

_QuestionMade = tuple[str, "int | tuple[int, ...] | None", tuple[int, ...]]
"""What a question's terms are made from and what they are: its title, its askings' refs (`_Parses`; an int for one
asking, None when one is not a parse's own), and the glossary indexes of its terms."""
_BlockMade = tuple[str, "int | None", tuple[int, ...], str]
"""Of a block: its title, its ref, the glossary indexes of its terms, and its first line when it has no title."""


@dataclass(frozen=True)
class _Carried:
    """What a run carries to the next: the parses' keys (by number, for the refs), each question's and each block's
    terms with what they were made from, and the related questions (`_Related`)."""

    parses: tuple[str, ...]
    questions: dict[str, _QuestionMade]
    blocks: dict[str, _BlockMade]
    related: _Related


def _whole_carried(last: _Carried) -> bool:
    """Whether last holds what it should (it comes from the cache)."""
    return (isinstance(last.parses, tuple) and isinstance(last.questions, dict) and isinstance(last.blocks, dict)
            and isinstance(last.related, _Related) and _whole(last.related))


_SHIFT = 20
"""An entry's ref: its parse's number << _SHIFT | its place in the parse."""
_PLACE = (1 << _SHIFT) - 1


class _Parses:
    """The parses' own entries by identity, with their refs (parse number and place: an entry found by its id in `refs`
    is a parse's own when it is the entry at its place), and the refs in the numbering of the run before (by the parses'
    keys)."""

    def __init__(self, stand_ins: StandIns, before: tuple[str, ...]) -> None:
        self.refs: dict[int, int] = {}
        self.entries: list[tuple[Entry, ...]] = []
        for number, (_, parsed) in enumerate(stand_ins):
            entries = parsed.entries if len(parsed.entries) <= _PLACE else ()
            start = number << _SHIFT
            self.refs.update(zip(map(id, entries), range(start, start + len(entries)), strict=True))
            self.entries.append(entries)
        numbers = {key: n for n, key in enumerate(before)}
        self.keys = tuple(key for key, _ in stand_ins)
        self.then = [numbers.get(key, -1) for key in self.keys]
        """This run's parse numbers -> the run before's (-1: a parse it did not have)."""

    def before(self, ref: int) -> int:
        """ref in the run before's numbering; -1 when its parse is new."""
        then = self.then[ref >> _SHIFT]
        return -1 if then < 0 else then << _SHIFT | (ref & _PLACE)


class _Entries:
    """Every question and block in page order, with its topic and the glossary indexes of the terms its text mentions
    (`rows`): carried from the run before for an entry made from the same parses' own entries (by their refs, `_Parses`)
    and with the same title, else found in its text (`_question_text`; a block's title and body). What to carry to the
    next run: `keys`, `questions`, `blocks`."""

    def __init__(self, handbook: Handbook, stand_ins: StandIns, last: _Carried | None) -> None:
        glossary = handbook.config.glossary
        parses = _Parses(stand_ins, last.parses if last is not None else ())
        self.keys = parses.keys
        kept_questions = last.questions if last is not None else {}
        kept_blocks = last.blocks if last is not None else {}
        self.questions: dict[str, _QuestionMade] = {}
        self.blocks: dict[str, _BlockMade] = {}
        self.rows: list[tuple[str, Topic, tuple[int, ...], object]] = []
        """(entry id, topic, term indexes, the entry)."""
        self.titles: dict[int, str] = {}
        """Of the blocks without a title by row: their first line, where known."""
        self.same_titles: list[bool] = []
        """Per question: whether its title is the one it had in the run before."""
        on_page: set[Slug] = set()
        rows = self.rows
        same_titles = self.same_titles
        made_questions = self.questions
        refs_of = parses.refs.get
        own = parses.entries
        then_of = parses.then
        refs: int | tuple[int, ...] | None
        then_refs: int | tuple[int, ...] | None
        for question in handbook.questions:
            assert question.placement
            title = question.title
            asked = question.asked
            if len(asked) == 1:  # most questions (`_Parses.before` written out)
                one = asked[0]
                refs = refs_of(id(one))
                if refs is not None and own[refs >> _SHIFT][refs & _PLACE] is one:
                    number = refs >> _SHIFT
                    then_number = then_of[number]
                    then_refs = refs if then_number == number else -1 if then_number < 0 else then_number << _SHIFT | (refs & _PLACE)
                else:
                    refs = then_refs = None
            else:
                many = []
                for one in asked:
                    ref = refs_of(id(one))
                    if ref is None or own[ref >> _SHIFT][ref & _PLACE] is not one:
                        break
                    many.append(ref)
                if len(many) < len(asked):
                    refs = then_refs = None
                else:
                    refs = tuple(many)
                    then_refs = tuple(map(parses.before, refs))
            then = kept_questions.get(question.id)
            indexes: tuple[int, ...] | None = None
            if type(then) is tuple and len(then) == 3 and then[0] == title:
                same_titles.append(True)
                if refs is not None and then[1] == then_refs:
                    indexes = then[2]
            else:
                same_titles.append(False)
            if indexes is None:
                indexes = mentioned_indexes(_question_text(question), glossary)
                made: _QuestionMade = (title, refs, indexes)
            else:
                made = then if refs == then_refs else (title, refs, indexes)  # type: ignore[assignment]  # checked
            made_questions[question.id] = made
            topic = question.placement.topic
            on_page.add(topic.slug)
            rows.append((question.id, topic, indexes, question))
        for block in handbook.blocks:
            title = block.title
            entry = block.block
            ref = refs_of(id(entry))
            if ref is not None and own[ref >> _SHIFT][ref & _PLACE] is entry:
                then_ref = parses.before(ref)
            else:
                ref = then_ref = None
            kept = kept_blocks.get(block.id)
            if ref is not None and type(kept) is tuple and len(kept) == 4 and kept[0] == title and kept[1] == then_ref:
                indexes, line = kept[2], kept[3]
                block_made: _BlockMade = kept if ref == then_ref else (title, ref, indexes, line)
            else:
                body = plain_text(block.block.body)
                indexes = mentioned_indexes(title + "\n" + body, glossary)
                line = "" if title else _first_line(body)
                block_made = (title, ref, indexes, line)
            self.blocks[block.id] = block_made
            if not title:
                self.titles[len(rows)] = line
            topic = block.placement.topic
            on_page.add(topic.slug)
            rows.append((block.id, topic, indexes, block))
        self.on_page = on_page

    def title(self, row: int) -> str:
        """The title of the entry of row, as the pages that mention it show it."""
        entry = self.rows[row][3]
        if isinstance(entry, PlacedBlock):
            return entry.title or self.titles[row]
        assert isinstance(entry, MergedQuestion)
        return entry.title

    def terms(self, glossary: tuple[Term, ...]) -> dict[str, tuple[Term, ...]]:
        """Entry id -> the terms it mentions."""
        made: dict[tuple[int, ...], tuple[Term, ...]] = {(): ()}
        found = {}
        for entry_id, _, indexes, _ in self.rows:
            terms = made.get(indexes)
            if terms is None:
                terms = made[indexes] = tuple(map(glossary.__getitem__, indexes))
            found[entry_id] = terms
        return found


def _question_text(question: MergedQuestion) -> str:
    """All a question's text: its title, and each asking's detail, context, own wording and answer."""
    asked = question.asked
    if len(asked) == 1:  # most questions (the same text as below, made without its generators)
        one = asked[0]
        parts = [question.title, *((one.detail,) if one.detail else ()), *((one.context,) if one.context else ()), one.source.original,
                 plain_text(one.answer)]
    else:
        parts = [question.title, *(q.detail for q in asked if q.detail), *(q.context for q in asked if q.context)]
        parts += [q.source.original for q in asked]  # every asking's own wording is on the page ("Asked in ... as")
        parts += [plain_text(q.answer) for q in asked]
    return "\n".join(parts)


def _first_line(body: str) -> str:
    """A block's first line (of its body's plain text), shortened, for where it has no title."""
    text = body.strip().split("\n", 1)[0]
    return text if len(text) <= 80 else text[:77].rsplit(" ", 1)[0] + "…"


def _home(term: Term, uses: list[Topic], on_page: set[Slug], topics: dict[Slug, Topic], inbox: Topic) -> Topic | None:
    """The topic page that covers a term: the one the glossary names, else the one mentioning it most."""
    if term.topic and term.topic in on_page:
        return topics[term.topic]
    candidates = [t for t in uses if t != inbox]
    return candidates[0] if candidates else None


def _related_questions(handbook: Handbook, entries: _Entries, last: _Carried | None) -> tuple[dict[str, tuple[MergedQuestion, ...]], _Related]:
    """Up to RELATED_QUESTIONS questions on other pages per question (see `_related_ids`), worked out again only for
    the questions an edit may have changed (the last run's are carried over); and what to carry to the next run."""
    questions = handbook.questions
    config = handbook.config
    slugs = [term.slug for term in config.glossary]
    kept = last.related.lists if last is not None else {}
    made: dict[tuple[int, ...], tuple[Slug, ...]] = {(): ()}
    asked = []
    for question, same_title, (_, _, indexes, _) in zip(questions, entries.same_titles, entries.rows, strict=False):
        then = kept.get(question.id) if same_title else None  # the same title: the same key
        key = then[0] if then is not None else _key(question.title, config)
        terms = made.get(indexes)
        if terms is None:
            terms = made[indexes] = tuple(slugs[k] for k in indexes)
        asked.append(_Asked(question.id, key, question.placement.topic.slug if question.placement else None, terms))
    found = _related_ids(asked, last.related if last is not None else None)
    by_id: dict[str, MergedQuestion] = {q.id: q for q in questions}
    lists = found.lists
    return {q.id: tuple(by_id[j] for j in lists[q.id][-1]) if lists[q.id][-1] else () for q in questions}, found


@remembered
def _key(title: str, config: Config) -> str:
    """A question's `question_key`, remembered: worked out for the questions whose title is new."""
    return question_key(title, config)


class _Asked(NamedTuple):
    """What a question's related questions depend on: its id (which orders questions scoring the same), its key,
    its page and its glossary terms."""

    id: str
    key: str
    page: Slug | None
    terms: tuple[Slug, ...]


_Listed = tuple[str, Slug | None, tuple[Slug, ...], tuple[str, ...], tuple[str, ...]]
"""A question's related questions by id, with what they were worked out from (`_Related`)."""


@dataclass(frozen=True)
class _Related:
    """Each question's related questions by id, with what they were worked out from: (key, page, terms, its prefix
    of rarest words (see `_Wording`), the related questions' ids); and how many keys hold each word (`_Wording.counts`),
    from which the next run works out the prefixes that changed (empty: unknown)."""

    lists: dict[str, _Listed]
    counts: dict[str, int] = field(default_factory=dict)


def _whole(related: _Related) -> bool:
    """Whether related holds what it should (it comes from the cache)."""
    return (isinstance(related.lists, dict) and isinstance(related.counts, dict)
            and all(type(entry) is tuple and len(entry) == 5 for entry in related.lists.values()))


REWORK_UP_TO = 8
"""Related questions are worked out again one question at a time for up to 1/REWORK_UP_TO of the questions; else all
at once (which looks at each pair of questions once rather than from both sides)."""


def _related_ids(asked: list[_Asked], last: _Related | None = None, up_to: int | None = None) -> _Related:
    """Up to RELATED_QUESTIONS questions on other pages per question: most shared terms first, then closest wording.

    Questions are found through indexes, never by comparing every pair: those sharing a glossary term, and (when
    these are too few) those sharing a word of the question's key, of which the ones with similar wording count.

    With last (what this worked out for the questions of a run before), only the questions that may have other
    related questions now are worked out again: a question's list depends on its key, page and terms, its prefix
    (which decides its candidates by wording), and on those of the questions sharing a term or, as candidates by
    wording, a word with it (ids order the questions scoring the same, and one question's order against another
    is that of their ids, whichever others there are). So a list stays what it was unless the question, or one
    sharing a term or being a candidate by wording with it as it is now or was then, is new, gone or changed. Those are
    worked out again one at a time when they are at most 1/up_to of the questions (0: always; None: REWORK_UP_TO); then the indexes are
    made only for the terms and words these need (`_TermIndex`, `_Wording`), and the prefixes only of the keys that
    are new or hold a word that more or fewer keys hold now (`_counted`)."""
    keys = [a.key for a in asked]
    pages = [a.page for a in asked]
    up_to = REWORK_UP_TO if up_to is None else up_to
    by_term = _TermIndex(asked)
    text = _KeysText(keys)
    thens = [last.lists.get(a.id) for a in asked] if last is not None else []
    """Each question's as last has it (None: new)."""
    wording = _Wording(keys, pages, *_counted(asked, thens, last, text), text=text) if last is not None and last.counts else _Wording(keys, pages)
    prefixes = wording.prefixes
    rework = _rework(asked, thens, prefixes, by_term, wording, last, up_to) if last is not None else None
    if rework is None:
        found = _all_related(asked, by_term, wording)
        return _Related({a.id: (a.key, a.page, a.terms, prefixes[i], tuple(asked[j].id for j in found[i])) for i, a in enumerate(asked)},
                        wording.counts)
    assert last is not None
    kept = last.lists
    result: dict[str, tuple[str, Slug | None, tuple[Slug, ...], tuple[str, ...], tuple[str, ...]]] = {}
    for i, a in enumerate(asked):
        if i in rework:
            result[a.id] = (a.key, a.page, a.terms, prefixes[i], _one_related(i, asked, by_term, wording))
        else:
            result[a.id] = kept[a.id]
    return _Related(result, wording.counts)


def _counted(asked: list[_Asked], thens: list[_Listed | None], last: _Related, text: _KeysText) -> tuple[dict[str, int], list[tuple[str, ...]]]:
    """How many keys hold each word, and each key's prefix (see `_Wording`), from last's (thens: each question's there):
    a prefix depends on its key's words and how many keys hold each, so last's stands for a key that was the question's
    then and holds no word that more or fewer keys hold now."""
    kept = last.lists
    counts = dict(last.counts)
    touched: set[str] = set()

    def count(key: str, by: int) -> None:
        for word in set(key.split()):
            counts[word] = counts.get(word, 0) + by
            touched.add(word)

    seen = 0
    for a, then in zip(asked, thens, strict=True):
        if then is None:
            count(a.key, 1)
        else:
            seen += 1
            if then[0] != a.key:
                count(then[0], -1)
                count(a.key, 1)
    if seen < len(kept):
        ids = {a.id for a in asked}
        for id_, then in kept.items():
            if id_ not in ids:
                count(then[0], -1)
    changed = {word for word in touched if counts.get(word, 0) != last.counts.get(word, 0)}
    for word in touched:
        if counts.get(word, 0) <= 0:
            counts.pop(word, None)
    again = {i for word in changed for i in text.containing(word)} if len(changed) <= LAZY_WORDS else None
    """The keys that may hold a word counted differently (None: each is looked at)."""
    prefixes = []
    for i, (a, then) in enumerate(zip(asked, thens, strict=True)):
        if then is not None and then[0] == a.key and (i not in again if again is not None else changed.isdisjoint(a.key.split())):
            prefixes.append(then[3])
        else:
            prefixes.append(_prefix(sorted(set(a.key.split())), counts))
    return counts, prefixes


class _KeysText:
    """All keys as one text, to find the keys that contain a word with one search rather than one look at each key."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self._text: tuple[str, list[int]] | None = None

    def containing(self, word: str) -> list[int]:
        """The keys (by index, in order) that contain word, as a word or in one."""
        if self._text is None:
            starts = [0]
            for key in self.keys:
                starts.append(starts[-1] + len(key) + 1)
            self._text = ("\n".join(self.keys), starts)
        text, starts = self._text
        found: list[int] = []
        for match in re.finditer(re.escape(word), text):  # a word holds no line break: found inside one key
            i = bisect.bisect_right(starts, match.start()) - 1
            if not found or found[-1] != i:
                found.append(i)
        return found


def _prefix(words: list[str], counts: dict[str, int]) -> tuple[str, ...]:
    """A key's prefix, of its words (sorted, once each) by how many keys hold each (see `_Wording`)."""
    rarest = sorted(words, key=lambda w: (counts[w], w))
    rest = sum(len(w) + 1 for w in words) - 1
    whole = rest
    prefix = []
    for word in rarest:
        if rest < 2 * whole / 3 - 1:
            break
        prefix.append(word)
        rest -= len(word) + 1
    return tuple(map(sys.intern, prefix))  # one string per word in what is carried (which pickles a string once)


def _rework(asked: list[_Asked], thens: list[_Listed | None], prefixes: list[tuple[str, ...]], by_term: _TermIndex, wording: _Wording,
            last: _Related, up_to: int) -> set[int] | None:
    """The questions whose related questions may differ from last's (thens: each question's there; see `_related_ids`);
    None when these are too many to work out one at a time."""
    kept = last.lists
    changed: list[tuple[str, Slug | None, tuple[Slug, ...], tuple[str, ...]]] = []
    """The versions, then and now, of the questions new, gone or changed."""
    rework: set[int] = set()
    seen = 0
    for i, (a, then) in enumerate(zip(asked, thens, strict=True)):
        if then is not None:
            seen += 1
            if then[0] == a.key and then[1] == a.page and then[2] == a.terms and then[3] == prefixes[i]:
                continue
        rework.add(i)
        changed.append((a.key, a.page, a.terms, prefixes[i]))
        if then is not None:
            changed.append(then[:4])
    if seen < len(kept):
        ids = {a.id for a in asked}
        changed += [then[:4] for key, then in kept.items() if key not in ids]
    if len(changed) * up_to > len(asked):
        return None
    for key, page, terms, prefix in changed:
        for term in terms:
            for other, mentioning in by_term.pages(term).items():
                if other != page:
                    rework.update(mentioning)
        rework |= wording.near(key.split(), prefix, page)
        if len(rework) * up_to > len(asked):
            return None
    return rework


class _TermIndex:
    """Term -> page -> the questions on it mentioning the term (a question's own page is skipped as a whole): made on
    first use (a run after an edit may need none)."""

    def __init__(self, asked: list[_Asked]) -> None:
        self.asked = asked
        self._index: dict[Slug, dict[Slug | None, list[int]]] | None = None

    @property
    def index(self) -> dict[Slug, dict[Slug | None, list[int]]]:
        index = self._index
        if index is None:
            index = self._index = defaultdict(dict)
            for i, a in enumerate(self.asked):
                for one in a.terms:
                    index[one].setdefault(a.page, []).append(i)
        return index

    def pages(self, term: Slug) -> dict[Slug | None, list[int]]:
        return self.index.get(term, _NO_PAGES)


_NO_PAGES: dict[Slug | None, list[int]] = {}


def _sharing(i: int, asked: list[_Asked], by_term: _TermIndex) -> Counter[int]:
    """The questions on other pages sharing a term with question i, with how many terms they share."""
    page = asked[i].page
    sharing: Counter[int] = Counter()
    terms = asked[i].terms
    if terms:
        index = by_term.index
        for term in terms:
            for other, mentioning in index[term].items():
                if other != page:
                    sharing.update(mentioning)
    return sharing


def _least(sharing: Counter[int]) -> int:
    """How many terms a question must share to count: a score is 100 x shared terms + a ratio of 0-100, so sharing two
    terms fewer than the third most is never enough."""
    return heapq.nlargest(RELATED_QUESTIONS, sharing.values())[-1] - 1 if len(sharing) > RELATED_QUESTIONS else 0


def _one_related(i: int, asked: list[_Asked], by_term: _TermIndex, wording: _Wording) -> tuple[str, ...]:
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


def _all_related(asked: list[_Asked], by_term: _TermIndex, wording: _Wording) -> list[list[int]]:
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


LAZY_WORDS = 32
"""How many words `_Wording` finds the keys of one at a time (through all keys' text) before it indexes all keys."""


class _Wording:
    """Questions whose keys may have similar wording, found by their rarest words (prefix filtering).

    token_set_ratio counts a pair as similar (SIMILAR_WORDING) mostly when the words the keys share make up most of
    one of them: at least 2/3 of its characters, as "sect" against "sect + rest" scores 80 from there. So the words
    of a key, rarest first, up to where the rest is shorter than that (its prefix), hold a shared word: a key's
    candidates are the keys holding one of its prefix words, and the keys with one of its words in their prefix.

    Given how many keys hold each word (counts) and the keys' prefixes (as a run before left them, `_counted`), the
    indexes of the words are made only for the words asked about, by a search of all keys' text, up to LAZY_WORDS
    words; then, or without them, for all words."""

    def __init__(self, keys: list[str], pages: list[Slug | None], counts: dict[str, int] | None = None,
                 prefixes: list[tuple[str, ...]] | None = None, text: _KeysText | None = None) -> None:
        self.keys = keys
        self.text = text or _KeysText(keys)
        self.pages = pages
        self._words: dict[int, list[str]] = {}
        self.holding: dict[str, dict[Slug | None, list[int]]] = {}
        self.filed: dict[str, dict[Slug | None, list[int]]] = {}
        """Word -> page -> keys (a key's own page is skipped as a whole)."""
        self._all = False
        self._some_letters: dict[int, str] = {}
        if counts is None or prefixes is None:
            every = self.words_of_all
            counts = Counter(word for words in every for word in words)
            prefixes = [_prefix(words, counts) for words in every]
        self.counts = counts
        self.vocabulary = len(counts)
        self.prefixes = prefixes

    @cached_property
    def words_of_all(self) -> list[list[str]]:
        """Each key's words, once each, sorted."""
        found = [sorted(set(key.split())) for key in self.keys]
        self._words = dict(enumerate(found))
        return found

    def words(self, i: int) -> list[str]:
        found = self._words.get(i)
        if found is None:
            found = self._words[i] = sorted(set(self.keys[i].split()))
        return found

    def index_all(self) -> None:
        """Index every word (`holding`, `filed`)."""
        if self._all:
            return
        self._all = True
        holding: dict[str, dict[Slug | None, list[int]]] = defaultdict(dict)
        filed: dict[str, dict[Slug | None, list[int]]] = defaultdict(dict)
        pages = self.pages
        for i, words in enumerate(self.words_of_all):
            for word in words:
                holding[word].setdefault(pages[i], []).append(i)
            for word in self.prefixes[i]:
                filed[word].setdefault(pages[i], []).append(i)
        self.holding, self.filed = holding, filed

    def _holding(self, word: str) -> dict[Slug | None, list[int]]:
        """The keys holding word, by page."""
        found = self.holding.get(word)
        if found is not None or self._all:
            return found or _NO_PAGES
        if len(self.holding) >= LAZY_WORDS:
            self.index_all()
            return self.holding.get(word, _NO_PAGES)
        found = {}
        for i in self.text.containing(word):
            if word in self.words(i):
                found.setdefault(self.pages[i], []).append(i)
        self.holding[word] = found
        return found

    def _filed(self, word: str) -> dict[Slug | None, list[int]]:
        """The keys with word in their prefix, by page."""
        found = self.filed.get(word)
        if found is not None or self._all:
            return found or _NO_PAGES
        found = {}
        for page, held in self._holding(word).items():
            filed = [i for i in held if word in self.prefixes[i]]
            if filed:
                found[page] = filed
        if not self._all:
            self.filed[word] = found
        return found

    @cached_property
    def read(self) -> list[str]:
        """Each key as token_set_ratio reads it: its words once each, sorted."""
        return [" ".join(words) for words in self.words_of_all]

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
        every = self.words_of_all
        ids = {word: n for n, word in enumerate(sorted({word for words in every for word in words}))}
        return ["".join(chr(_BLOCKS + ids[word]) * (len(word) + 1) for word in words) for words in every]

    def similar(self, wanted: list[bool], apart: list[Counter[int]]) -> dict[int, list[tuple[float, int]]]:
        """For each wanted key, its candidates not apart from it whose wording is similar, with their ratio.

        Each pair is looked at once, from its shorter key, and scored only when two cheap bounds (in rapidfuzz,
        over all the shorter key's candidates at once) leave token_set_ratio room to reach SIMILAR_WORDING. Of
        two keys sharing the words "sect", each with its own other words "a" and "b", it is the highest of
        ratio("sect a", "sect b"), at most the ratio of the two keys' letters sorted (the letters of "sect" are
        in both), and of "sect" to "sect a" or to "sect b", which only reach 80 when sect makes up 2/3 of the
        shorter key (a key's words all shared: 100), as the blocks' longest common subsequence tells."""
        self.index_all()
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
        read_i, read_j = self._read(i), self._read(j)
        shorter = read_i if (len(read_i), i) < (len(read_j), j) else read_j
        shared = set(self.words(i)).intersection(self.words(j))
        return sum(len(word) + 1 for word in shared) >= len(shorter) * 2 // 3

    def _read(self, i: int) -> str:
        return " ".join(self.words(i))

    def _letters(self, i: int) -> str:
        """`letters` of key i, worked out for it alone (while there are no `letters` of all)."""
        if "letters" in self.__dict__:
            return self.letters[i]
        found = self._some_letters.get(i)
        if found is None:
            found = self._some_letters[i] = "".join(sorted(self._read(i)))
        return found

    def candidates(self, i: int) -> set[int]:
        """Every key on another page that may have wording similar to key i."""
        return self.near(self.words(i), self.prefixes[i], self.pages[i])

    def near(self, words: Iterable[str], prefix: Iterable[str], page: Slug | None) -> set[int]:
        """Every key on another page than page that may have wording similar to a key of these words and prefix (as
        `candidates`, for a key that may not be one of these)."""
        found: set[int] = set()
        holding, filed = (self.holding.get, self.filed.get) if self._all else (self._holding, self._filed)
        for word in prefix:
            for other, held in (holding(word) or _NO_PAGES).items():
                if other != page:
                    found.update(held)
        for word in words:
            for other, held in (filed(word) or _NO_PAGES).items():
                if other != page:
                    found.update(held)
        return found


def _missing(handbook: Handbook, stand_ins: StandIns, run_all: RunAll) -> tuple[str, ...]:
    glossary = handbook.config.glossary
    ignore = {w.lower() for w in handbook.config.glossary_ignore}
    words = set().union(*_notes_term_like(handbook, stand_ins, run_all))
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


def _notes_term_like(handbook: Handbook, stand_ins: StandIns, run_all: RunAll) -> list[frozenset[str]]:
    """The words of each note that may be glossary terms (`_term_like`): of a parse's own note, remembered by the parse's
    key (`StandIns`) rather than by its text; those of the notes no run before saw found all at once by run_all."""
    config = handbook.config
    if any("\n" in spelling for spelling in config.spellings):  # may be found across two notes
        return [_term_like("\n".join("\n".join(parsed.note.lines) for parsed in handbook.notes), config)]
    notes = {id(parsed.note): (parsed.note, key) for key, parsed in stand_ins}
    keys = []
    for parsed in handbook.notes:
        known = notes.get(id(parsed.note))
        keys.append(known[1] if known is not None and known[0] is parsed.note else None)
    todo = [n for n, key in enumerate(keys) if key is not None and not recalls(_NOTE_WORDS, key, config)]
    made = dict(zip(todo, run_all([partial(_lines_term_like, handbook.notes[n].note.lines, config) for n in todo],
                                   sum(len(handbook.notes[n].entries) for n in todo)), strict=True))
    found = []
    for n, (parsed, key) in enumerate(zip(handbook.notes, keys, strict=True)):
        note = parsed.note
        if key is not None:
            words = recall(_NOTE_WORDS, key, config, partial(made.pop, n) if n in made else partial(_lines_term_like, note.lines, config))
            found.append(words if isinstance(words, frozenset) else _lines_term_like(note.lines, config))  # else damaged
        else:
            found.append(_term_like("\n".join(note.lines), config))
    return found


_NOTE_WORDS = f"{__name__}._note_term_like"


def _lines_term_like(lines: tuple[str, ...], config: Config) -> frozenset[str]:
    return _text_term_like("\n".join(lines), config)


def _text_term_like(text: str, config: Config) -> frozenset[str]:
    return frozenset(_CAPITALISED.findall(text)) | _spelled(text, config.spellings)


@remembered
def _term_like(text: str, config: Config) -> frozenset[str]:
    """The words of a note that may be glossary terms: those with two capitals, and the spellings it uses
    (neither found across a line break: the notes' words are those of each note)."""
    return _text_term_like(text, config)


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
