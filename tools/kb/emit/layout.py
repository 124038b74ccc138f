"""What goes where, for every emitter: the entries of each topic page, and the page and anchor each note line went to."""

from __future__ import annotations

from collections import defaultdict

from ..model import Handbook, MergedQuestion, PlacedBlock, Topic

Pages = dict[Topic, tuple[list[MergedQuestion], list[PlacedBlock]]]
"""Each topic page with its questions (answered first) and blocks, in navigation order (the inbox last)."""

Locations = dict[tuple[str, int], tuple[str, str, str]]
"""(note, line) -> (page path, anchor, what) for every line that made it into a page."""


def page_entries(handbook: Handbook) -> Pages:
    """The questions and blocks of every topic page that has any."""
    by_topic: dict[str, tuple[list[MergedQuestion], list[PlacedBlock]]] = defaultdict(lambda: ([], []))
    for question in handbook.questions:
        assert question.placement
        by_topic[question.placement.topic.slug][0].append(question)
    for block in handbook.blocks:
        by_topic[block.placement.topic.slug][1].append(block)
    for questions, _ in by_topic.values():
        questions.sort(key=lambda q: not q.answered)  # answered first; otherwise in note order (stable)
    ordered = [*handbook.config.topics, handbook.config.inbox]
    return {t: by_topic[t.slug] for t in ordered if t.slug in by_topic}


def line_locations(pages: Pages) -> Locations:
    """Where every note line that made it into a page went."""
    where: Locations = {}
    for topic, (questions, blocks) in pages.items():
        for question in questions:
            place = (topic.path, question.id, f"question “{question.title}”")
            for asked in question.asked:
                for line in asked.source.lines:
                    where[(asked.source.note, line)] = place
        for block in blocks:
            place = (topic.path, block.id, f"notes “{block.title}”" if block.title else f"{block.block.kind} notes")
            for line in block.block.source.lines:
                where[(block.block.source.note, line)] = place
    return where
