"""Classify stage: merge repeated questions (merge.py), then put each question and block on a topic page.

Placing goes by wording, then by context: a question whose own words clearly point to a topic goes
there; one with few telling words follows the question it follows up, or else the entries around it
in the same run of the note. Private topics are decided first and never weakened.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..memory import remembered
from ..model import (
    Block,
    Config,
    Entry,
    Handbook,
    MergedQuestion,
    ParsedNote,
    PlacedBlock,
    Placement,
    Question,
    Slug,
    Topic,
)
from ..model.names import make_slug, question_ids, unique_slug
from ..terms import mentioned
from ..words import Substrings, by_identity, clean_title, correct, plain_text
from .merge import _Group, _merge, _where
from .private import private_placement, private_topic

WEAK = 2
"""A question whose own words score this or less on their best topic, or tie, has few telling words (see `_Own`)."""
NEIGHBOURS = 3
"""How many entries before and after a question, in the same run of its note, vote on where it goes."""

RESERVED_IDS = frozenset({"questions", "notes", "loose-notes", "related-topics", "mentioned-in"})
"""Anchors of the headings every topic page has; no entry may take them."""

_SEPARATOR = re.compile(r"\s*([=\-_*~#])\1{2,}\s*")


def classify(notes: tuple[ParsedNote, ...], config: Config, whys: bool = False) -> Handbook:
    """The handbook of these notes. The questions say why their askings were merged (`MergedQuestion.merged`) only
    with whys (for `kb normalize --explain`), which merges all anew rather than only what an edit touched."""
    notes, groups = _merge(notes, config, whys)
    ids = set(RESERVED_IDS) | {make_slug(t.title) for t in (*config.topics, config.inbox)}  # a page's own headings
    blocks: list[PlacedBlock] = []
    for parsed in notes:
        for entry in parsed.entries:
            if isinstance(entry, Block):
                title = clean_title(entry.title, config, question=False) if entry.title else ""
                body = plain_text(entry.body)
                lead = title or body.split("\n", 1)[0]  # untitled notes: their first line reads as their heading
                placement = place(lead, entry.context, body, config)
                block_id = unique_slug(make_slug(title or f"notes-{entry.source.note}-{entry.source.first}"), ids)
                blocks.append(PlacedBlock(entry, block_id, title, placement))
    titles = [clean_title(group.title, config, question=True) for group in groups]
    placements = _place_questions(notes, groups, titles, blocks, config)
    questions = []
    for group, title, placement, question_id in zip(groups, titles, placements, question_ids(titles, ids), strict=True):  # stable ids: model/names.py
        asked = tuple(a.question for a in group.askings)
        questions.append(MergedQuestion(question_id, title, asked, placement, tuple(a.why for a in group.askings)))
    problems = tuple(p for parsed in notes for p in parsed.problems)
    return Handbook(notes, tuple(questions), tuple(blocks), config, problems)


# --- placing ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Own:
    """Where a question's own words point."""

    placement: Placement
    telling: bool
    """One topic wins, by more than WEAK points, or with a keyword of several words, the topic's own name or a
    glossary term of the topic: 'what is p-value', 'variation in statistics', 'what is ground truth' are telling;
    'ci vs cd' and 'why cant we store them in csv' are not."""
    winners: tuple[Topic, ...]
    points: int


def _place_questions(notes: tuple[ParsedNote, ...], groups: list[_Group], titles: list[str], blocks: list[PlacedBlock],
                     config: Config) -> list[Placement]:
    """Each question's page: private first (any asking mentions a private keyword); then its own words when they
    are telling; else the question it follows up; else (when its own words name no topic) the heading it was asked
    under; else, weighing its own words against the entries around it in the same run, where most of them are;
    else its own words, its answer."""
    group_of = {id(a.question): g for g, group in enumerate(groups) for a in group.askings}
    private = [_private_of(group, config) for group in groups]
    own = [_own_of(group, title, config) for group, title in zip(groups, titles, strict=True)]
    votes: dict[int, Topic] = {}
    """id(entry) -> the page it is on (so far: where its own words put it), its vote on where its neighbours go."""
    for g, group in enumerate(groups):
        mine = own[g]
        placement = private[g] or (mine.placement if mine else None)
        for asking in group.askings:
            if placement:
                votes[id(asking.question)] = placement.topic
    for placed in blocks:
        if placed.placement.topic != config.inbox:
            votes[id(placed.block)] = placed.placement.topic
    runs = {id(e): run for parsed in notes for e, run in _runs(parsed)}
    positions = {id(e): (n, i) for n, parsed in enumerate(notes) for i, e in enumerate(parsed.entries)}
    placements: list[Placement] = []
    for g, group in enumerate(groups):
        placement = private[g] or _follow(g, groups, titles, own, private, placements, notes, positions, runs, votes, group_of, config)
        placements.append(placement)
        for asking in group.askings:
            if placement.topic != config.inbox:
                votes[id(asking.question)] = placement.topic
    return placements


def _follow(g: int, groups: list[_Group], titles: list[str], own: list[_Own | None], private: list[Placement | None],
            placements: list[Placement], notes: tuple[ParsedNote, ...], positions: dict[int, tuple[int, int]],
            runs: dict[int, int], votes: dict[int, Topic], group_of: dict[int, int], config: Config) -> Placement:
    """A public question's page: by its own words when telling, else by its context in the note."""
    group, mine = groups[g], own[g]
    if mine and mine.telling:
        return mine.placement
    first = group.askings[0].question
    parent = _parent(first, notes, positions, group_of)
    if parent is not None and parent != g:
        theirs = own[parent]
        followed = placements[parent] if parent < g else (private[parent] or (theirs.placement if theirs else None))
        if followed and followed.topic != config.inbox:
            where = _where(groups[parent].askings[0].question)
            return Placement(followed.topic, f"follows up “{titles[parent]}” ({where}), so goes where it went{_weak(mine)}")
    if mine is None and first.context and topic_scores(correct(first.context, config), config):
        return place(titles[g], first.context, "", config)  # the heading it was asked under: "filed under ..."
    ballots = _neighbours(group, notes, positions, runs, votes)
    tally = Counter(topic.slug for topic, _ in ballots)
    neighbours = Counter(tally)
    if mine:
        tally.update({t.slug: mine.points for t in mine.winners})  # its own words weigh as much as they score
    if tally:
        (slug, top), *rest = tally.most_common()
        topic = next(t for t in (*config.topics, config.inbox) if t.slug == slug)
        unique = not rest or rest[0][1] < top
        enough = neighbours[slug] >= 2 and (not mine or 2 * neighbours[slug] > len(ballots))  # weak words yield to a majority only
        if unique and enough and (not mine or topic != mine.placement.topic):
            lines = [where for t, where in ballots if t.slug == slug]
            return Placement(topic, f"follows its neighbours: {len(lines)} of {len(ballots)} entries around it in the same run are on "
                                    f"{topic.title} ({', '.join(lines)}){_weak(mine)}")
        if mine and unique and topic == mine.placement.topic and neighbours[slug]:
            return Placement(topic, f"{mine.placement.why}; {neighbours[slug]} of {len(ballots)} entries around it agree")
    if mine:
        return mine.placement
    return place(titles[g], first.context, plain_text(first.answer), config)


def _weak(own: _Own | None) -> str:
    return f"; its own words are not telling ({own.placement.why})" if own else "; its own words name no topic"


def _private_of(group: _Group, config: Config) -> Placement | None:
    """Private when any asking mentions a private topic (not only the first)."""
    for asking in group.askings:
        question = asking.question
        if private := private_placement("\n".join((question.title, question.context, question.detail, plain_text(question.answer))), config):
            return private
    return None


def _own_of(group: _Group, title: str, config: Config) -> _Own | None:
    """Where the words of the question point: of all its askings, the most telling (then the first)."""
    if len(group.askings) == 1:
        return _own_placement(title, config)
    titles = [title, *(clean_title(a.question.title, config) for a in group.askings)]
    found = [f for f in map(lambda t: _own_placement(t, config), titles) if f is not None]
    return max(found, key=lambda f: (f.telling, f.points), default=None)


def _own_placement(title: str, config: Config) -> _Own | None:
    """Where the question's own words point, if anywhere."""
    own = _own_words(title, config)
    if own is None:
        return None
    numbers, best, why, telling = own
    winners = tuple(config.topics[n] for n in numbers)
    return _Own(Placement(winners[0], why), telling, winners, best)


@remembered
def _own_words(title: str, config: Config) -> tuple[tuple[int, ...], int, str, bool] | None:
    """What `_own_placement` finds, as plain data: the winning topics' numbers, their score, why the first
    (the keywords found, the ties), and whether the words are telling."""
    text = correct(title, config)
    scores = topic_scores(text, config)
    if not scores:
        return None
    best = max(scores.values())
    numbers = tuple(n for n, t in enumerate(config.topics) if scores.get(t.slug, 0) == best)
    first = config.topics[numbers[0]]
    found = _matches(text, first, config)
    name = _fold(first.title)
    telling = len(numbers) == 1 and (
        best > WEAK or any(" " in k or f" {_fold(k)} " in f" {name} " for k in found)
        or any(t.topic == first.slug for t in mentioned(text, config.glossary)))
    tie = f" (tied with {', '.join(config.topics[n].title for n in numbers[1:])})" if len(numbers) > 1 else ""
    return numbers, best, f"heading mentions {', '.join(sorted(found))}{tie}", telling


def _parent(question: Question, notes: tuple[ParsedNote, ...], positions: dict[int, tuple[int, int]], group_of: dict[int, int]) -> int | None:
    """The group of the question this one follows up: the lead-in it was asked under, asked just before it."""
    if not question.context or id(question) not in positions:
        return None
    n, i = positions[id(question)]
    wanted = _fold(question.context)
    for entry in reversed(notes[n].entries[max(0, i - NEIGHBOURS):i]):
        if isinstance(entry, Question) and (_fold(entry.title) == wanted or _fold(entry.source.original).startswith(wanted)):
            return group_of.get(id(entry))
    return None


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _runs(parsed: ParsedNote) -> list[tuple[Entry, int]]:
    """Each entry with the number of its run: a run ends at a separator line (=====) or a heading."""
    headings = {c.line for c in parsed.contexts}
    run, last, found = 0, 0, []
    for entry in parsed.entries:
        between = range(last + 1, entry.source.first)
        if last and any(n in headings or _SEPARATOR.fullmatch(parsed.note.lines[n - 1]) for n in between):
            run += 1
        found.append((entry, run))
        last = max(last, entry.source.last)
    return found


def _neighbours(group: _Group, notes: tuple[ParsedNote, ...], positions: dict[int, tuple[int, int]], runs: dict[int, int],
                votes: dict[int, Topic]) -> list[tuple[Topic, str]]:
    """The pages of the entries around the question's askings (up to NEIGHBOURS before and after, in the same run),
    with where each entry is: those before it already placed, those after it where their own words put them."""
    seen = {id(a.question) for a in group.askings}
    ballots: list[tuple[Topic, str]] = []
    for asking in group.askings:
        if id(asking.question) not in positions:
            continue
        n, i = positions[id(asking.question)]
        entries = notes[n].entries
        around = [*entries[max(0, i - NEIGHBOURS):i], *entries[i + 1:i + 1 + NEIGHBOURS]]
        for entry in around:
            if id(entry) not in seen and runs[id(entry)] == runs[id(asking.question)] and id(entry) in votes:
                seen.add(id(entry))
                same_note = entry.source.note == group.askings[0].question.source.note
                ballots.append((votes[id(entry)], f"line {entry.source.first}" if same_note else _where(entry)))
    return ballots


def place(title: str, context: str, body: str, config: Config) -> Placement:
    """A private topic any of whose keywords the entry mentions anywhere (so private notes never land
    on a public page); else the topic whose keywords the title mentions most; else the context's; else the body's."""
    number, why = _placing(title, config, context, body)
    return Placement(config.topics[number] if number >= 0 else config.inbox, why)


@remembered
def _placing(title: str, config: Config, context: str, body: str) -> tuple[int, str]:
    """What `place` finds, as plain data: the topic's number (-1: the inbox) and why."""
    if private := private_topic("\n".join((title, context, body)), config):
        return private
    for where, text in (("heading", title), ("filed under", context), ("text", body)):
        scores = topic_scores(correct(text, config), config)
        if scores:
            best = max(scores.values())
            numbers = [n for n, t in enumerate(config.topics) if scores.get(t.slug, 0) == best]
            winners = [config.topics[n] for n in numbers]
            words = ", ".join(sorted(_matches(correct(text, config), winners[0], config)))
            tie = f" (tied with {', '.join(t.title for t in winners[1:])})" if len(winners) > 1 else ""
            return numbers[0], f"{where} mentions {words}{tie}"
    return -1, "no topic keyword found"


@remembered
def topic_scores(text: str, config: Config) -> dict[Slug, int]:
    """Topic -> how many keyword words of it the text mentions (each keyword once), for the topics it mentions."""
    index = _topic_words(config.topics)
    matched: dict[int, set[str]] = defaultdict(set)
    for first in index.firsts.found(text.lower()):  # a cheap look for each keyword's first word, as most texts match none
        for number, keyword in index.keywords[first]:
            if _keyword_pattern((keyword,)).search(text):
                matched[number].add(keyword)
    scores: dict[Slug, int] = {}
    for number in sorted(matched):
        score = sum(len(k.split()) for k in matched[number])
        if score:
            scores[config.topics[number].slug] = score
    return scores


class _TopicWords:
    """The first words of every topic keyword, to be found in a text in one pass."""

    def __init__(self, topics: tuple[Topic, ...]) -> None:
        self.topics = topics
        self.keywords: dict[str, list[tuple[int, str]]] = defaultdict(list)
        """First word (lower case) -> (topic number, keyword) of the keywords starting with it."""
        for number, topic in enumerate(topics):
            for keyword, first in _first_words(topic.keywords):
                self.keywords[first].append((number, keyword))
        self.firsts = Substrings(self.keywords)


@by_identity
def _topic_words(topics: tuple[Topic, ...]) -> _TopicWords:
    """The index of these topics' keywords, made once per run."""
    return _TopicWords(topics)


def _matches(text: str, topic: Topic, config: Config) -> set[str]:
    """The topic's keywords found in the text (first a cheap look for each keyword's first word, as most texts match none)."""
    lowered = text.lower()
    return {k for k, first in _first_words(topic.keywords) if first in lowered and _keyword_pattern((k,)).search(text)}


@lru_cache(maxsize=512)
def _first_words(keywords: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((k, k.split()[0].lower()) for k in keywords)


@lru_cache(maxsize=2048)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for keyword in sorted(keywords, key=len, reverse=True):
        words = [re.escape(w) for w in keyword.split()]
        parts.append(r"[\s_-]+".join(words))
    return re.compile(rf"(?<![\w])(?:{'|'.join(parts)})(?:s|es)?(?![\w])", re.IGNORECASE)
