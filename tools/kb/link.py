"""Link stage: which glossary terms each entry mentions, and how entries and pages connect.

Pure: a classified Handbook in, Links out. The emitter turns them into term links, tags,
"See also" lines, related topics and "Mentioned in" backlinks.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable

from rapidfuzz import fuzz

from .model import Handbook, Links, MergedQuestion, PlacedBlock, Slug, Term, Topic
from .terms import mentioned, term_pattern
from .words import plain_text, question_key

RELATED_QUESTIONS = 3
"""How many "See also" links a question gets at most."""
RELATED_TOPICS = 5
SIMILAR_WORDING = 80
"""rapidfuzz token_set_ratio (0-100) from which two questions without a shared term still relate."""

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
        parts = [question.title, *(q.detail for q in question.asked if q.detail), *(q.context for q in question.asked if q.context)]
        parts += [q.source.original for q in question.asked]  # every asking's own wording is on the page ("Asked in ... as")
        parts += [plain_text(q.answer) for q in question.asked]
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
    """Up to RELATED_QUESTIONS questions on other pages per question: most shared terms first, then closest wording."""
    questions = list(handbook.questions)
    keys = {q.id: question_key(q.title, handbook.config) for q in questions}
    by_term: dict[Slug, list[MergedQuestion]] = defaultdict(list)
    for question in questions:
        for term in terms[question.id]:
            by_term[term.slug].append(question)
    related: dict[str, tuple[MergedQuestion, ...]] = {}
    for question in questions:
        assert question.placement
        page = question.placement.topic
        shared: Counter[str] = Counter()
        candidates: dict[str, MergedQuestion] = {}
        for term in terms[question.id]:
            for other in by_term[term.slug]:
                if other.placement and other.placement.topic != page:
                    shared[other.id] += 1
                    candidates[other.id] = other
        scored = [(shared[o.id] * 100 + fuzz.token_set_ratio(keys[question.id], keys[o.id]), o) for o in candidates.values()]
        if len(scored) < RELATED_QUESTIONS and keys[question.id]:
            for other in questions:
                if other.id in candidates or not other.placement or other.placement.topic == page:
                    continue
                ratio = fuzz.token_set_ratio(keys[question.id], keys[other.id], score_cutoff=SIMILAR_WORDING)
                if ratio:
                    scored.append((ratio, other))
        scored.sort(key=lambda s: (-s[0], s[1].id))
        related[question.id] = tuple(o for _, o in scored[:RELATED_QUESTIONS])
    return related


def _missing(handbook: Handbook) -> tuple[str, ...]:
    glossary = handbook.config.glossary
    ignore = {w.lower() for w in handbook.config.glossary_ignore}
    text = "\n".join(line for parsed in handbook.notes for line in parsed.note.lines)
    words = set(_CAPITALISED.findall(text))
    words |= {s for s in handbook.config.spellings if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w])", text, re.IGNORECASE)}
    missing = set()
    for word in words:
        singular = word[:-1] if word.endswith("s") and word[:-1] in words else word
        if singular.lower() in ignore or word.lower() in ignore:
            continue
        if not any(term_pattern(t).fullmatch(word) for t in glossary):
            missing.add(singular)
    return tuple(sorted(missing, key=str.lower))


def _order(handbook: Handbook) -> Callable[[Topic], int]:
    """Sort key: a topic's place in the navigation."""
    position = {t.slug: i for i, t in enumerate((*handbook.config.topics, handbook.config.inbox))}
    return lambda topic: position[topic.slug]
