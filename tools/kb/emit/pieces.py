"""Each entry's and each note's pieces of the outputs: a question's section of its topic page, its questions.json
record and its Practice card; a block's section; a note's source listing and its part of the coverage page. They are
remembered from one run to the next (kb.memory) under a digest of everything they show (digests.py), so after an
edit only the entries and notes it touched, or whose place, links or neighbours' numbering it changed, are worked
out again; the pages are put together from the pieces."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from ..memory import recall
from ..model import Config, Links, MergedQuestion, ParsedNote, PlacedBlock, Topic
from .answers import Rendered, place_answer, render_answer
from .coverage_page import NoteCoverage, note_coverage
from .digests import Digests
from .layout import Pages, Places, note_locations, note_places
from .practice_data import card
from .questions_json import record
from .source_pages import source_page
from .topic_page import block_section, question_section

QUESTION = f"{__name__}.question"
"""The memory table of the questions' pieces: (section, record, card)."""
ANSWER = f"{__name__}.answer"
"""The memory table of the answers rendered (answers.Rendered), which the pieces of a question are made from: kept
apart, as what numbers an answer's code lines or a question's related questions may change while its answer stays."""
BLOCK = f"{__name__}.block"
"""The memory table of the blocks' sections."""
NOTE = f"{__name__}.note"
"""The memory table of the notes' pieces: (source listing, part of the coverage page)."""


@dataclass
class Pieces:
    sections: dict[str, str] = field(default_factory=dict)
    """Each entry's section of its topic page, by entry id."""
    records: list[str] = field(default_factory=list)
    """Each question's questions.json record, in page order."""
    cards: list[str] = field(default_factory=list)
    """Each question's Practice card, in page order."""
    listings: dict[str, str] = field(default_factory=dict)
    """Each note's source listing, by its path in docs/."""
    coverage: list[NoteCoverage] = field(default_factory=list)
    """Each note's part of the coverage page, in order."""


def add_page(pieces: Pieces, topic: Topic, questions: list[MergedQuestion], blocks: list[PlacedBlock], sources: dict[str, str],
             links: Links, config: Config, digests: Digests) -> None:
    """Adds the pieces of a topic page's entries."""
    page = digests.page(topic)
    numbered = 0  # code lines the answers of this page numbered so far
    for question in questions:
        answer_key = digests.answer(page, question)
        rendered = recall(ANSWER, answer_key, config, partial(render_answer, topic, question, sources, links)) if answer_key else None
        section, question_record, question_card = recall(
            QUESTION, digests.question(page, question, answer_key, numbered), config,
            partial(_question_pieces, topic, question, sources, links, rendered, numbered))
        pieces.sections[question.id] = section
        pieces.records.append(question_record)
        pieces.cards.append(question_card)
        numbered += rendered[2] if rendered else 0
    for block in blocks:
        pieces.sections[block.id] = recall(BLOCK, digests.block(page, block), config, partial(block_section, topic, block, sources, links))


def _question_pieces(topic: Topic, question: MergedQuestion, sources: dict[str, str], links: Links, rendered: Rendered | None,
                     numbered: int) -> tuple[str, str, str]:
    answer = place_answer(topic, rendered, numbered) if rendered else None
    section = question_section(topic, question, sources, links, answer.html if answer else "")
    return section, record(topic, question, links, answer), card(topic, question, links, answer)


def add_notes(pieces: Pieces, notes: tuple[ParsedNote, ...], pages: Pages, sources: dict[str, str], config: Config, digests: Digests) -> None:
    """Adds the pieces of the notes: their listings and parts of the coverage page."""
    places = note_places(pages)
    for parsed in notes:
        mine = places.get(parsed.note.name, [])
        listing, coverage = recall(NOTE, digests.listing(parsed, mine), config, partial(_note_pieces, parsed, mine, sources))
        pieces.listings[sources[parsed.note.name]] = listing
        pieces.coverage.append(coverage)


def _note_pieces(parsed: ParsedNote, places: Places, sources: dict[str, str]) -> tuple[str, NoteCoverage]:
    where = note_locations(parsed.note.name, places)
    return source_page(parsed, where), note_coverage(parsed, where, sources)
