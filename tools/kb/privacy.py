"""Public stage: the handbook without its private topics, for a site anyone may read.

Questions and notes on a topic marked `private: true` in config/topics.yml are taken out, and
their note lines are masked everywhere else they would show (the source listings, the coverage
report, warnings about them): each is reported as left out for privacy, so the public site
still accounts for every line without showing it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from .model import Drop, Handbook, ParsedNote

PRIVATE_TEXT = "(private)"
PRIVATE_REASON = "private topic, kept out of the public site"


def public(handbook: Handbook) -> Handbook:
    hidden: dict[str, set[int]] = defaultdict(set)
    for question in handbook.questions:
        if question.placement and question.placement.topic.private:
            for asked in question.asked:
                hidden[asked.source.note].update(asked.source.lines)
    for block in handbook.blocks:
        if block.placement.topic.private:
            hidden[block.block.source.note].update(block.block.source.lines)
    return Handbook(
        notes=tuple(_masked(parsed, hidden.get(parsed.note.name, set())) for parsed in handbook.notes),
        questions=tuple(q for q in handbook.questions if not (q.placement and q.placement.topic.private)),
        blocks=tuple(b for b in handbook.blocks if not b.placement.topic.private),
        config=handbook.config,
        problems=tuple(p for p in handbook.problems if p.line not in hidden.get(p.note, ())),
    )


def _masked(parsed: ParsedNote, lines: set[int]) -> ParsedNote:
    if not lines:
        return parsed
    note = dataclasses.replace(parsed.note, lines=tuple(PRIVATE_TEXT if n in lines else line for n, line in enumerate(parsed.note.lines, start=1)))
    kept = [d for d in parsed.drops if d.line not in lines]
    private = [Drop(parsed.note.name, n, PRIVATE_TEXT, PRIVATE_REASON) for n in sorted(lines)]
    return dataclasses.replace(
        parsed,
        note=note,
        entries=tuple(e for e in parsed.entries if not lines.intersection(e.source.lines)),
        drops=tuple(sorted(kept + private, key=lambda d: d.line)),
        problems=tuple(p for p in parsed.problems if p.line not in lines),
    )
