"""Classify stage: merge repeated questions (merge.py), then put each question and block on a topic page.

Placing goes by wording, then by context: a question whose own words clearly point to a topic goes
there; one with few telling words follows the question it follows up, or else the entries around it
in the same run of the note. Private topics are decided first and never weakened.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import chain

from ..memory import carried, carry, recall, recalls, remembered, remembered_this_run
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
from ..sharing import RunAll, one_by_one
from ..terms import mentioned
from ..words import Substrings, by_identity, clean_title, correct, plain_text
from .merge import _Asking, _Group, _merge_notes, _NoteKey, _where
from .private import private_topic

WEAK = 2
"""A question whose own words score this or less on their best topic, or tie, has few telling words (see `_Own`)."""
NEIGHBOURS = 3
"""How many entries before and after a question, in the same run of its note, vote on where it goes."""

RESERVED_IDS = frozenset({"questions", "notes", "loose-notes", "related-topics", "mentioned-in"})
"""Anchors of the headings every topic page has; no entry may take them."""

_SEPARATOR = re.compile(r"\s*([=\-_*~#])\1{2,}\s*")


def classify(notes: tuple[ParsedNote, ...], config: Config, whys: bool = False, run_all: RunAll = one_by_one) -> Handbook:
    """The handbook of these notes. The questions say why their askings were merged (`MergedQuestion.merged`) only
    with whys (for `kb normalize --explain`), which merges all anew rather than only what an edit touched. The facts of
    the notes no run before worked out (most of a first run's work) are worked out all at once by run_all."""
    notes, groups, keys, was = _merge_notes(notes, config, whys, run_all)
    todo = [n for n, key in enumerate(keys) if not recalls(_FACTS, key, config)]
    size = sum(len(notes[n].entries) for n in todo)
    made = dict(zip(todo, run_all([partial(_facts_of, notes[n], config) for n in todo], size), strict=True))
    facts = [_note_facts(parsed, key, config, made.get(n)) for n, (parsed, key) in enumerate(zip(notes, keys, strict=True))]
    ids = set(RESERVED_IDS) | {make_slug(t.title) for t in (*config.topics, config.inbox)}  # a page's own headings
    blocks: list[PlacedBlock] = []
    placed = _Placements(config)
    for parsed, (_, known, _) in zip(notes, facts, strict=True):
        for entry, found in zip(parsed.entries, known, strict=True):
            if isinstance(entry, Block):
                title, number, why, slug = found or _block_facts(entry, config)
                blocks.append(PlacedBlock(entry, unique_slug(Slug(slug), ids), title, placed.get(number, why)))
    where = _Where(notes, keys, facts)
    firsts = [0 if group.askings[0].asked else next(k for k, a in enumerate(group.askings) if a.asked) for group in groups]  # whose title is the question's
    heads = [_asking_facts(group.askings[k], where, config) for group, k in zip(groups, firsts, strict=True)]  # the first asked's
    titles = [title for _, title, _, _ in heads]
    placements = _Placing(where, groups, firsts, titles, blocks, config).all(keys, was, placed)
    question_id_list = question_ids(titles, ids, [slug for _, _, _, slug in heads])  # stable ids: model/names.py
    questions = []
    for group, title, placement, question_id in zip(groups, titles, placements, question_id_list, strict=True):
        askings = group.askings
        asked: tuple[Question, ...]
        merged: tuple[str, ...]
        if len(askings) == 1:
            asked, merged = (askings[0].question,), (askings[0].why,)
        else:
            asked, merged = tuple([a.question for a in askings]), tuple([a.why for a in askings])
        questions.append(MergedQuestion(question_id, title, asked, placement, merged))
    problems = tuple(p for parsed in notes for p in parsed.problems)
    return Handbook(notes, tuple(questions), tuple(blocks), config, problems)


# --- what each note's entries are, by their own words -----------------------------------------

_QuestionFacts = tuple[tuple[int, str] | None, str, "_OwnWords | None", Slug]
"""Of a question: its private topic (`private_topic` of all its texts), its title as it should read (`clean_title`),
where that title's words point (`_own_words`), and that title's slug (`make_slug`, for its id)."""
_BlockFacts = tuple[str, int, str, str]
"""Of a block: its title as it should read, its topic's number (-1: the inbox) and why (`place`), its id's slug before
it is made unique."""


_Facts = tuple[tuple[_QuestionFacts | None, ...], tuple[_BlockFacts | None, ...], tuple[int, ...]]
"""What a note's entries are by their own words: each entry's facts as a question (None: a block), as a block (None: a
question), and its run (`_runs`). The same for the same entries, so remembered by what they are made from (merge's
`_NoteKey`: the note's name and lines, the blocks taken as askings) through `kb.memory.recall`; plain data, as it is
kept in the cache."""


_FACTS = f"{__name__}._note_facts 2"
"""(The number: the facts' format.)"""


def _note_facts(parsed: ParsedNote, key: _NoteKey, config: Config, made: _Facts | None = None) -> _Facts:
    """The facts of the note's entries, worked out once for what they are made from (key: merge's `_NoteKey`; and the
    config, which owns the memory); made: these facts, when they were worked out already."""
    return recall(_FACTS, key, config, lambda: made if made is not None else _facts_of(parsed, config))


def _facts_of(parsed: ParsedNote, config: Config) -> _Facts:
    questions: list[_QuestionFacts | None] = []
    blocks: list[_BlockFacts | None] = []
    for entry in parsed.entries:
        questions.append(_question_facts(entry, config) if isinstance(entry, Question) else None)
        blocks.append(_block_facts(entry, config) if isinstance(entry, Block) else None)
    return tuple(questions), tuple(blocks), tuple(run for _, run in _runs(parsed))


def _question_facts(question: Question, config: Config) -> _QuestionFacts:
    private = private_topic("\n".join((question.title, question.context, question.detail, plain_text(question.answer))), config)
    title = clean_title(question.title, config, question=True)
    return private, title, _own_words(title, config), make_slug(title)


def _block_facts(block: Block, config: Config) -> _BlockFacts:
    title = clean_title(block.title, config, question=False) if block.title else ""
    body = plain_text(block.body)
    lead = title or body.split("\n", 1)[0]  # untitled notes: their first line reads as their heading
    number, why = _placing(lead, config, block.context, body)
    return title, number, why, make_slug(title or f"notes-{block.source.note}-{block.source.first}")


class _Placements:
    """The placements made so far, by topic number (-1: the inbox) and why: one (unchangeable) object for each, as
    a handbook has many alike."""

    def __init__(self, config: Config) -> None:
        self.topics = (*config.topics, config.inbox)
        self.made: dict[tuple[int, str], Placement] = {}

    def get(self, number: int, why: str) -> Placement:
        placement = self.made.get((number, why))
        if placement is None:
            placement = self.made[(number, why)] = Placement(self.topics[number], why)
        return placement


def _asking_facts(asking: _Asking, where: _Where, config: Config) -> _QuestionFacts:
    """An asking's facts: its note's (worked out should they be missing)."""
    if asking.asked and where.same[asking.slot[0]]:
        n, i = asking.slot
        found = where.facts[n][0][i]
        if found is not None:
            return found
    position = where.of(asking)
    found = where.facts[position[0]][0][position[1]] if position is not None else None
    return found if found is not None else _question_facts(asking.question, config)


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


class _Where:
    """Where entries are: (note, index) of an entry by its identity, and the run of the entry at a place. The notes as
    parsed keep their entries, whose places are the askings' slots; only those whose blocks became askings are
    looked at entry by entry."""

    def __init__(self, notes: tuple[ParsedNote, ...], keys: list[_NoteKey], facts: list[_Facts]) -> None:
        self.notes = notes
        self.facts = facts
        self.same = [not changes for _, _, changes in keys]
        """Whether each note's entries are as parsed (none of its blocks became askings)."""
        self.positions = {id(e): (n, i) for n, parsed in enumerate(notes) if not self.same[n] for i, e in enumerate(parsed.entries)}
        self.runs = [runs for _, _, runs in facts]

    def of(self, asking: _Asking) -> tuple[int, int] | None:
        if asking.asked and self.same[asking.slot[0]]:
            return asking.slot
        return self.positions.get(id(asking.question))


_PLACED = f"{__name__}._place_questions"
_FORMAT = "placed 1"
_NO_VOTE = -2
_Placed = tuple[str, dict[str, tuple[bytes, tuple[tuple[int, int], ...]]], tuple[int, ...], tuple[int, ...], tuple[str, ...],
                tuple[tuple[int, ...], ...]]
"""What placing carries to the next run: its format; each note's key (merge's `_NoteKey`, but the name) by name; and for
each question, in the merge's order: its page (a topic's number, -1: the inbox), its vote before it is placed
(`_Placing.first_vote`: a topic's number, -2: none), why it went there, and the questions whose vote its placing read
(`_Placing.follow`), or whose place (the question it follows up, r as ~r)."""


def _last_placed(value: object, config: Config) -> _Placed | None:
    """value when it is what placing carries (`_Placed`; it comes from the cache), else None."""
    if not (type(value) is tuple and len(value) == 6 and value[0] == _FORMAT and type(value[1]) is dict):
        return None
    _, _, topics, votes, whys, reads = value
    if not (type(topics) is tuple and type(votes) is tuple and type(whys) is tuple and type(reads) is tuple
            and len(topics) == len(votes) == len(whys) == len(reads)
            and set(map(type, topics)) <= {int} and set(map(type, votes)) <= {int} and set(map(type, whys)) <= {str}
            and set(map(type, reads)) <= {tuple} and set(map(type, chain.from_iterable(reads))) <= {int}
            and min(topics, default=-1) >= -1 and max(topics, default=-1) < len(config.topics)
            and min(votes, default=_NO_VOTE) >= _NO_VOTE and max(votes, default=_NO_VOTE) < len(config.topics)):
        return None
    return value  # checked


class _Placing:
    """Each question's page (`follow`), in the merge's order, as its own facts, the question it follows up and its
    neighbours' pages say; what of these a question does not need is not worked out (`facts`, `private`, `own`).

    After an edit, a question is placed as the last run placed it when nothing it read changed (`all`)."""

    def __init__(self, where: _Where, groups: list[_Group], firsts: list[int], titles: list[str], blocks: list[PlacedBlock], config: Config) -> None:
        self.where, self.groups, self.firsts, self.titles, self.config = where, groups, firsts, titles, config
        self.group_of = {id(a.question): g for g, group in enumerate(groups) for a in group.askings}
        self.block_votes = {id(placed.block): placed.placement.topic for placed in blocks if placed.placement.topic != config.inbox}
        self.placements: list[Placement] = []
        """The questions placed so far, in order."""
        self._facts: dict[int, list[_QuestionFacts]] = {}
        self._private: dict[int, Placement | None] = {}
        self._own: dict[int, _Own | None] = {}
        self.known_votes: tuple[list[int], set[int], tuple[int, ...]] = ([], set(), ())
        """Each question's number last run, those not stable, and the votes of last run's (`all`)."""

    def all(self, keys: list[_NoteKey], was: list[int], placed: _Placements) -> list[Placement]:
        """Each question's page. A question placed last run (was: its number then, or -1) is placed as it was when it
        is stable (the same askings, in notes that did not change: keys) and what it read last time reads the same:
        each question it followed up is stable, with the same page when placed before it, and each question around
        it has the same askings and votes as it did (`vote`). Then it reads all it read last time, the same."""
        config = self.config
        last = _last_placed(carried(_PLACED, config), config)
        old_keys, old_topics, old_votes, old_whys, old_reads = last[1:] if last else ({}, (), (), (), ())
        changed = {n for n, (name, digest, changes) in enumerate(keys) if old_keys.get(name) != (digest, changes)}
        group_of, notes = self.group_of, self.where.notes  # (an asking is an entry of its note, as merged)
        unstable = {group_of[id(e)] for n in changed for e in notes[n].entries if id(e) in group_of}
        again = {q: g for g, q in enumerate(was) if 0 <= q < len(old_topics)}
        """Question number last time -> its number now, of those with the same askings."""
        numbers = {t.slug: n for n, t in enumerate(config.topics)}
        self.known_votes = (was, unstable, old_votes)

        def first_vote(r: int) -> int:
            """r's vote before it is placed, as a topic's number (-2: none)."""
            q = was[r]
            if 0 <= q < len(old_topics) and r not in unstable:
                return old_votes[q]
            topic = self.first_vote(r)
            return numbers.get(topic.slug, -1) if topic else _NO_VOTE

        same: list[bool] = []
        """Whether each question placed so far is stable and has the page it had."""
        placements = self.placements
        whys: dict[str, str] = {}
        new_topics: list[int] = []
        new_votes: list[int] = []
        new_whys: list[str] = []
        new_reads: list[tuple[int, ...]] = []
        for g, q in enumerate(was):
            if 0 <= q < len(old_topics) and g not in unstable:
                now = []
                for read in old_reads[q]:  # (most read nothing: kept at once)
                    r = again.get(~read if read < 0 else read, -1)
                    if r < 0 or r == g:
                        break
                    if read < 0:  # the question it followed up
                        if r in unstable or (r < g and not same[r]):
                            break
                        now.append(~r)
                        continue
                    vote = new_topics[r] if r < g and new_topics[r] >= 0 else first_vote(r)
                    if vote != (old_topics[read] if read < q and old_topics[read] >= 0 else old_votes[read]):
                        break
                    now.append(r)
                else:
                    topic = old_topics[q]
                    placements.append(placed.get(topic, old_whys[q]))
                    same.append(True)
                    new_topics.append(topic)
                    new_votes.append(old_votes[q])
                    new_whys.append(old_whys[q])
                    new_reads.append(tuple(now))
                    continue
            reads: list[int] = []
            placement = self.place(g, reads)
            placements.append(placement)
            topic = numbers.get(placement.topic.slug, -1)
            same.append(0 <= q < len(old_topics) and g not in unstable and old_topics[q] == topic)
            new_topics.append(topic)
            new_votes.append(first_vote(g))
            new_whys.append(whys.setdefault(placement.why, placement.why))
            new_reads.append(tuple(dict.fromkeys(r for r in reads if r not in (g, ~g))))
        by_name = {name: (digest, changes) for name, digest, changes in keys}
        carry(_PLACED, config, (_FORMAT, by_name, tuple(new_topics), tuple(new_votes), tuple(new_whys), tuple(new_reads)))
        return placements

    def place(self, g: int, read: list[int]) -> Placement:
        """A question's page, worked out: private first, else where it goes by `follow` (which says what it read)."""
        return self.private(g) or self.follow(g, read)

    def facts(self, g: int) -> list[_QuestionFacts]:
        found = self._facts.get(g)
        if found is None:
            found = self._facts[g] = [_asking_facts(a, self.where, self.config) for a in self.groups[g].askings]
        return found

    def private(self, g: int) -> Placement | None:
        """Private when any asking mentions a private topic (not only the first)."""
        if g not in self._private:
            self._private[g] = _private_of(self.facts(g), self.config)
        return self._private[g]

    def own(self, g: int) -> _Own | None:
        if g not in self._own:
            found = self.facts(g)
            self._own[g] = _own_of(found, found[self.firsts[g]][2], self.config)
        return self._own[g]

    def first_vote(self, g: int) -> Topic | None:
        """Where a question goes by itself (private, or its own words), its vote on its neighbours until it is placed;
        as the last run found it when the question is stable (`all`)."""
        was, unstable, votes = self.known_votes
        q = was[g] if was else -1
        if 0 <= q < len(votes) and g not in unstable:
            number = votes[q]
            return self.config.topics[number] if number >= 0 else None
        mine = self.own(g)
        placement = self.private(g) or (mine.placement if mine else None)
        return placement.topic if placement else None

    def vote(self, entry: Entry) -> Topic | None:
        """The page an entry is on so far, its vote on where its neighbours go: a question placed, on a page not the
        inbox, votes for it; else for where it goes by itself. A block votes for its page, if not the inbox."""
        g = self.group_of.get(id(entry))
        if g is None:
            return self.block_votes.get(id(entry))
        if g < len(self.placements):
            topic = self.placements[g].topic
            if topic != self.config.inbox:
                return topic
        return self.first_vote(g)

    def follow(self, g: int, read: list[int]) -> Placement:
        """A public question's page: by its own words when telling, else by its context in the note. The questions
        whose place or vote it reads go in read."""
        config = self.config
        group, mine = self.groups[g], self.own(g)
        if mine and mine.telling:
            return mine.placement
        first = group.askings[0].question
        parent = _parent(group.askings[0], self.where, self.group_of)
        if parent is not None and parent != g:
            read.append(~parent)
            followed = self.placements[parent].topic if parent < g else self.first_vote(parent)
            if followed and followed != config.inbox:
                source = _where(self.groups[parent].askings[0].question)
                return Placement(followed, f"follows up “{self.titles[parent]}” ({source}), so goes where it went{_weak(mine)}")
        if mine is None and first.context and topic_scores(correct(first.context, config), config):
            return place(self.titles[g], first.context, "", config)  # the heading it was asked under: "filed under ..."
        ballots = self.neighbours(group, read)
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
                lines = [line for t, line in ballots if t.slug == slug]
                return Placement(topic, f"follows its neighbours: {len(lines)} of {len(ballots)} entries around it in the same run are on "
                                        f"{topic.title} ({', '.join(lines)}){_weak(mine)}")
            if mine and unique and topic == mine.placement.topic and neighbours[slug]:
                return Placement(topic, f"{mine.placement.why}; {neighbours[slug]} of {len(ballots)} entries around it agree")
        if mine:
            return mine.placement
        return place(self.titles[g], first.context, plain_text(first.answer), config)

    def neighbours(self, group: _Group, read: list[int]) -> list[tuple[Topic, str]]:
        """The pages of the entries around the question's askings (up to NEIGHBOURS before and after, in the same run),
        with where each entry is: those before it already placed, those after it where they go by themselves. The
        questions around it go in read."""
        seen = {id(a.question) for a in group.askings}
        ballots: list[tuple[Topic, str]] = []
        where, group_of = self.where, self.group_of
        for asking in group.askings:
            position = where.of(asking)
            if position is None:
                continue
            n, i = position
            entries, runs = where.notes[n].entries, where.runs[n]
            run = runs[i]
            for j in (*range(max(0, i - NEIGHBOURS), i), *range(i + 1, min(len(entries), i + 1 + NEIGHBOURS))):
                entry = entries[j]
                other = group_of.get(id(entry))
                if other is not None:
                    read.append(other)
                if id(entry) not in seen and runs[j] == run:
                    vote = self.vote(entry)
                    if vote is not None:
                        seen.add(id(entry))
                        same_note = entry.source.note == group.askings[0].question.source.note
                        ballots.append((vote, f"line {entry.source.first}" if same_note else _where(entry)))
        return ballots


def _weak(own: _Own | None) -> str:
    return f"; its own words are not telling ({own.placement.why})" if own else "; its own words name no topic"


def _private_of(askings: list[_QuestionFacts], config: Config) -> Placement | None:
    """Private when any asking mentions a private topic (not only the first)."""
    for private, _, _, _ in askings:
        if private:
            return Placement(config.topics[private[0]], private[1])
    return None


def _own_of(askings: list[_QuestionFacts], title: _OwnWords | None, config: Config) -> _Own | None:
    """Where the words of the question point (title: its title's): of all its askings, the most telling (then the first)."""
    if len(askings) == 1:
        return _own_placement(title, config)
    found = [own for own in (title, *(own for _, _, own, _ in askings)) if own is not None]
    return _own_placement(max(found, key=lambda own: (own[3], own[1]), default=None), config)  # (telling, points)


def _own_placement(own: _OwnWords | None, config: Config) -> _Own | None:
    """Where the question's own words point, if anywhere (`_own_words`)."""
    if own is None:
        return None
    numbers, best, why, telling = own
    winners = tuple(config.topics[n] for n in numbers)
    return _Own(Placement(winners[0], why), telling, winners, best)


_OwnWords = tuple[tuple[int, ...], int, str, bool]


@remembered_this_run
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


def _parent(asking: _Asking, where: _Where, group_of: dict[int, int]) -> int | None:
    """The group of the question this one follows up: the lead-in it was asked under, asked just before it."""
    question = asking.question
    if not question.context:
        return None
    position = where.of(asking)
    if position is None:
        return None
    n, i = position
    wanted = _fold(question.context)
    for entry in reversed(where.notes[n].entries[max(0, i - NEIGHBOURS):i]):
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


@remembered_this_run
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
