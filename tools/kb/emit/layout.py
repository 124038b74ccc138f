"""What goes where, for every emitter: the entries of each topic page, and the page and anchor each note line went to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container
from operator import attrgetter

from ..model import Handbook, MergedQuestion, PlacedBlock, Topic

_ANSWER = attrgetter("answer")

Pages = dict[Topic, tuple[list[MergedQuestion], list[PlacedBlock]]]
"""Each topic page with its questions (answered first) and blocks, in navigation order (the inbox last)."""

Place = tuple[str, str, str]
"""(page path, anchor, what) of where a note line went."""
Locations = dict[tuple[str, int], Place]
"""(note, line) -> its place, for every line of a note that made it into a page."""
Places = list[tuple[tuple[int, ...], Place]]
"""A note's entries in page order: (the entry's lines, where they went)."""


def page_entries(handbook: Handbook) -> Pages:
    """The questions and blocks of every topic page that has any."""
    by_topic: dict[str, tuple[list[MergedQuestion], list[PlacedBlock]]] = defaultdict(lambda: ([], []))
    for question in handbook.questions:
        assert question.placement
        by_topic[question.placement.topic.slug][0].append(question)
    for block in handbook.blocks:
        by_topic[block.placement.topic.slug][1].append(block)
    for questions, _ in by_topic.values():  # answered first; otherwise in note order
        answered = [q for q in questions if any(map(_ANSWER, q.asked))]  # MergedQuestion.answered, without a call per question
        if len(answered) != len(questions):
            questions[:] = [*answered, *(q for q in questions if not any(map(_ANSWER, q.asked)))]
    ordered = [*handbook.config.topics, handbook.config.inbox]
    return {t: by_topic[t.slug] for t in ordered if t.slug in by_topic}


def page_places(path: str, questions: list[MergedQuestion], blocks: list[PlacedBlock], notes: Container[str] | None = None) -> dict[str, Places]:
    """Each note's entries (of notes, when given) on one topic page (at path), in page order, with where they went."""
    places: dict[str, Places] = defaultdict(list)
    for question in questions:
        place = None
        for asked in question.asked:
            source = asked.source
            if notes is None or source.note in notes:
                place = place or (path, question.id, f"question “{question.title}”")
                places[source.note].append((source.lines, place))
    for block in blocks:
        source = block.block.source
        if notes is None or source.note in notes:
            place = (path, block.id, f"notes “{block.title}”" if block.title else f"{block.block.kind} notes")
            places[source.note].append((source.lines, place))
    return places


def note_locations(note: str, places: Places) -> Locations:
    """Where each line of a note that made it into a page went, given its entries' places (`page_places`, page after page): where the
    last entry holding it went."""
    return {(note, line): place for lines, place in places for line in lines}
