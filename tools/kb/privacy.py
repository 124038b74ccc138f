"""Public stage: the handbook without its private topics, for a site anyone may read.

Privacy goes by line, not only by placement. A note line is hidden when it belongs to an entry on a
private topic, when it mentions a private topic's keyword anywhere (even glued to a figure: `13LPA`), when it heads only private entries,
or when it repeats a hidden line word for word. Hidden lines are masked everywhere they would show:
entries, the source listings, the headings entries were filed under, dropped lines and warnings. Each
is reported as left out for privacy, so the public site still accounts for every line without showing it.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict

from .model import Config, Drop, Handbook, ParsedNote, Problem
from .words import private_mentions

PRIVATE_TEXT = "(private)"
PRIVATE_REASON = "private topic, kept out of the public site"


def public(handbook: Handbook) -> Handbook:
    hidden = _hidden_lines(handbook)
    notes = tuple(_masked(parsed, hidden.get(parsed.note.name, set())) for parsed in handbook.notes)
    kept = {id(e) for parsed in notes for e in parsed.entries}
    return Handbook(
        notes=notes,
        questions=tuple(q for q in handbook.questions
                        if q.placement and not q.placement.topic.private and all(id(a) in kept for a in q.asked)),
        blocks=tuple(b for b in handbook.blocks if not b.placement.topic.private and id(b.block) in kept),
        config=handbook.config,
        problems=tuple(p for p in handbook.problems if _shown(p, hidden, handbook.config)),
    )


def _hidden_lines(handbook: Handbook) -> dict[str, set[int]]:
    hidden: dict[str, set[int]] = defaultdict(set)
    for question in handbook.questions:
        if question.placement and question.placement.topic.private:
            for asked in question.asked:
                hidden[asked.source.note].update(asked.source.lines)
    for block in handbook.blocks:
        if block.placement.topic.private:
            hidden[block.block.source.note].update(block.block.source.lines)
    config = handbook.config
    for parsed in handbook.notes:
        mine = hidden[parsed.note.name]
        for lines in (parsed.note.lines, parsed.note.raw_lines):  # raw_lines: as written before repair, when repaired
            mine.update(number for number, line in enumerate(lines, start=1) if private_mentions(line, config))
        secret = {_fold(parsed.note.lines[n - 1]) for n in mine}
        for drop in parsed.drops:  # e.g. "repeats line N word for word" after a hidden line
            if private_mentions(drop.text, config) or _fold(drop.text) in secret or _fold(parsed.note.lines[drop.line - 1]) in secret:
                mine.add(drop.line)
        public_under: dict[str, bool] = {}  # context text -> whether any entry filed under it stays public
        for entry in parsed.entries:
            if entry.context:
                public_under[entry.context] = public_under.get(entry.context, False) or not mine.issuperset(entry.source.lines)
        for context in parsed.contexts:
            only_private = public_under.get(context.text) is False  # a heading over private entries only
            if only_private or private_mentions(context.text, config) or _fold(context.text) in secret:
                mine.add(context.line)
    return hidden


def _masked(parsed: ParsedNote, lines: set[int]) -> ParsedNote:
    if not lines:
        return parsed
    note = dataclasses.replace(
        parsed.note,
        lines=tuple(PRIVATE_TEXT if n in lines else line for n, line in enumerate(parsed.note.lines, start=1)),
        raw_lines=(),
    )
    kept = [d for d in parsed.drops if d.line not in lines]
    private = [Drop(parsed.note.name, n, PRIVATE_TEXT, PRIVATE_REASON) for n in sorted(lines) if parsed.note.lines[n - 1].strip()]
    return dataclasses.replace(
        parsed,
        note=note,
        entries=tuple(e for e in parsed.entries if not lines.intersection(e.source.lines)),
        drops=tuple(sorted(kept + private, key=lambda d: d.line)),
        contexts=tuple(c for c in parsed.contexts if c.line not in lines),
        problems=tuple(p for p in parsed.problems if p.line not in lines),
    )


def _shown(problem: Problem, hidden: dict[str, set[int]], config: Config) -> bool:
    return problem.line not in hidden.get(problem.note, ()) and not private_mentions(problem.message, config)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()
