"""Classify stage: put each question and block on a topic page, and merge repeated questions."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from .model import (
    Config,
    Handbook,
    MergedQuestion,
    ParsedNote,
    PlacedBlock,
    Placement,
    Question,
    Slug,
    Topic,
)
from .model.names import make_slug, question_ids, unique_slug
from .words import clean_title, correct, plain_text, private_mentions, question_key

SAME_QUESTION = 92
"""rapidfuzz token_sort_ratio (0-100) above which two questions are the same question."""

RESERVED_IDS = frozenset({"questions", "notes", "loose-notes", "related-topics", "mentioned-in"})
"""Anchors of the headings every topic page has; no entry may take them."""


def classify(notes: tuple[ParsedNote, ...], config: Config) -> Handbook:
    askings: list[list[Question]] = []
    """The questions found so far, each with every place it was asked."""
    keys: list[str] = []
    blocks: list[PlacedBlock] = []
    ids = set(RESERVED_IDS) | {make_slug(t.title) for t in (*config.topics, config.inbox)}  # a page's own headings
    for parsed in notes:
        for entry in parsed.entries:
            if isinstance(entry, Question):
                key = question_key(entry.title, config)
                match = None
                if len(key) > 2:
                    match = process.extractOne(key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=SAME_QUESTION)
                if match is not None:
                    askings[match[2]].append(entry)
                else:
                    askings.append([entry])
                    keys.append(key)
            else:
                title = clean_title(entry.title, config, question=False) if entry.title else ""
                body = plain_text(entry.body)
                lead = title or body.split("\n", 1)[0]  # untitled notes: their first line reads as their heading
                placement = place(lead, entry.context, body, config)
                block_id = unique_slug(make_slug(title or f"notes-{entry.source.note}-{entry.source.first}"), ids)
                blocks.append(PlacedBlock(entry, block_id, title, placement))
    titles = [clean_title(asked[0].title, config, question=True) for asked in askings]
    questions = []
    for asked, title, question_id in zip(askings, titles, question_ids(titles, ids), strict=True):  # stable ids: model/names.py
        questions.append(MergedQuestion(question_id, title, tuple(asked), _place_question(title, asked, config)))
    problems = tuple(p for parsed in notes for p in parsed.problems)
    return Handbook(notes, tuple(questions), tuple(blocks), config, problems)


def _place_question(title: str, asked: list[Question], config: Config) -> Placement:
    """Private when any asking mentions a private topic (not only the first); else where the first asking points."""
    for question in asked:
        if private := _private_placement("\n".join((question.title, question.context, question.detail, plain_text(question.answer))), config):
            return private
    return place(title, asked[0].context, plain_text(asked[0].answer), config)


def place(title: str, context: str, body: str, config: Config) -> Placement:
    """A private topic any of whose keywords the entry mentions anywhere (so private notes never land
    on a public page); else the topic whose keywords the title mentions most; else the context's; else the body's."""
    if private := _private_placement("\n".join((title, context, body)), config):
        return private
    for where, text in (("heading", title), ("filed under", context), ("text", body)):
        scores = topic_scores(correct(text, config), config)
        if scores:
            best = max(scores.values())
            winners = [t for t in config.topics if scores.get(t.slug, 0) == best]
            words = ", ".join(sorted(_matches(correct(text, config), winners[0], config)))
            tie = f" (tied with {', '.join(t.title for t in winners[1:])})" if len(winners) > 1 else ""
            return Placement(winners[0], f"{where} mentions {words}{tie}")
    return Placement(config.inbox, "no topic keyword found")


def _private_placement(text: str, config: Config) -> Placement | None:
    """The private topic whose keywords the text mentions anywhere, even glued to a figure."""
    found = private_mentions(correct(text, config), config) or private_mentions(text, config)
    for topic in config.topics:
        if topic.slug in found:
            return Placement(topic, f"mentions {', '.join(sorted(found[topic.slug]))} of the private topic")
    return None


def topic_scores(text: str, config: Config) -> dict[Slug, int]:
    scores: dict[Slug, int] = {}
    for topic in config.topics:
        score = sum(len(k.split()) for k in _matches(text, topic, config))
        if score:
            scores[topic.slug] = score
    return scores


def _matches(text: str, topic: Topic, config: Config) -> set[str]:
    """The topic's keywords found in the text (one combined search first, as most texts match none)."""
    if not _keyword_pattern(topic.keywords).search(text):
        return set()
    return {k for k in topic.keywords if _keyword_pattern((k,)).search(text)}


@lru_cache(maxsize=512)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for keyword in sorted(keywords, key=len, reverse=True):
        words = [re.escape(w) for w in keyword.split()]
        parts.append(r"[\s_-]+".join(words))
    return re.compile(rf"(?<![\w])(?:{'|'.join(parts)})(?:s|es)?(?![\w])", re.IGNORECASE)
