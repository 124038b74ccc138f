"""The home page's stats: the numbers (topics, questions, answered, notes, lines), the table and PDF links
they become, and that region spliced into the hand-written home page between its markers."""

from __future__ import annotations

import html
import re
from operator import attrgetter

from ..model import Handbook, Stats
from ..model.marks import STATS_END, STATS_START

_ANSWER = attrgetter("answer")
_REGION = re.compile(re.escape(STATS_START) + ".*?" + re.escape(STATS_END), re.DOTALL)


def stats(handbook: Handbook) -> Stats:
    on_page = {q.placement.topic.slug for q in handbook.questions if q.placement} | {b.placement.topic.slug for b in handbook.blocks}
    pages = [t for t in (*handbook.config.topics, handbook.config.inbox) if t.slug in on_page]  # as layout.page_entries orders them
    return Stats(
        topics=sum(1 for t in pages if t != handbook.config.inbox),
        questions=len(handbook.questions),
        answered=sum(1 for q in handbook.questions if any(map(_ANSWER, q.asked))),  # MergedQuestion.answered, without a call each
        notes=len(handbook.notes),
        lines=sum(map(nonblank_lines, (p.note.lines for p in handbook.notes))),
        dropped=sum(len(p.drops) for p in handbook.notes),
        sections=tuple(dict.fromkeys((t.section, t.section_slug) for t in pages if t.section)),
    )


def nonblank_lines(lines: tuple[str, ...]) -> int:
    """How many of the lines hold more than whitespace: those whose `str.strip()` is not empty, counted in C (`str.isspace`
    knows the whitespace `str.strip` strips, and is false for an empty line)."""
    return len(lines) - lines.count("") - sum(map(str.isspace, lines))


def stats_markdown(s: Stats) -> str:
    return (
        f"{STATS_START}\n"
        f"| Topics | Questions | Answered | Notes | Note lines accounted for |\n"
        f"|---:|---:|---:|---:|---:|\n"
        f"| {s.topics} | {s.questions} | {s.answered} ({s.answered_share}%) | {s.notes} | {s.lines} |\n"
        f"\n"
        f"**PDF** for reading offline and printing (made by `kb pdf`): "
        f'<a href="handbook.pdf">the whole handbook</a>'
        + "".join(f' · <a href="pdf/{folder}.pdf">{html.escape(title)}</a>' for title, folder in s.sections)
        + f"\n{STATS_END}"
    )


def splice_stats(page: str, s: Stats) -> str:
    """The hand-written home page with its stats table brought up to date (only between the markers)."""
    return _REGION.sub(lambda _: stats_markdown(s), page, count=1)
