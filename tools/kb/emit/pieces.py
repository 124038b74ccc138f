"""Each topic page's and each note's pieces of the outputs: a question's section of its topic page, its questions.json
record and its Practice card; a block's section; a note's source listing and its part of the coverage page. They are
remembered from one run to the next (kb.memory) under a digest of everything they show (digests.py): a topic page whole
(its text, records and cards), with its entries' pieces packed beside it for when it changes, so after an edit only the
pages it touched are put together again, from the pieces of the entries it left as they were and those of the entries it
touched, or whose place, links or neighbours' numbering it changed, worked out again."""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from ..memory import carried, carry, recall
from ..model import Config, Links, MergedQuestion, ParsedNote, PlacedBlock, Topic
from .answers import Rendered, place_answer, render_answer
from .coverage_page import NoteCoverage, note_coverage
from .digests import Digests, Parts, digest, entry_digest, places_digest, text_digest
from .digests import Page as PageDigest
from .layout import Pages, Places, note_locations, page_places
from .practice_data import CARD_SEPARATOR, card
from .questions_json import RECORD_SEPARATOR, record
from .source_pages import source_page
from .topic_page import block_section, question_section, topic_page

PAGE = f"{__name__}.page"
"""The prefix of the memory of each topic page, carried from one run to the next under this prefix and the page's path
(kb.memory's `carry`): the page's digest (Digests.whole_page), its text, its questions' questions.json records and
Practice cards (joined as those files join them), its entries' pieces, compressed (`_pack`), its text's `text_digest`
and, by note, the digest of the places of the note's entries on the page (`places_digest`, for the note's listing). An
unchanged page is taken whole; a changed one is put together again from its pieces, of which only those of the entries
an edit touched, or whose place, links or neighbours' numbering it changed, are worked out again. The pieces of a page: a question's
answer rendered (answers.Rendered: kept apart, as what numbers an answer's code lines or a question's related questions
may change while its answer stays), its section with where its record and card stand in the page's records and cards,
and a block's section, each under its digest with a letter for its kind."""
NOTE = f"{__name__}.note"
"""The memory table of the notes' pieces: (source listing, part of the coverage page, the listing's `text_digest`)."""

Page = tuple[bytes, str, str, str, bytes, str, dict[str, bytes]]
"""What is remembered of a topic page: its digest, its text, its records, its cards, its pieces packed, its text's
`text_digest` and its notes' places' digests."""
_Pieces = dict[bytes, object]
"""A page's pieces by their kind ("a" answer, "q" question, "b" block) and digest."""


@dataclass
class Pieces:
    records: list[str] = field(default_factory=list)
    """Each topic page's questions' questions.json records in page order, joined as questions.json joins them (pages
    without questions left out): questions_json joins these as it joins records."""
    cards: list[str] = field(default_factory=list)
    """Each topic page's questions' Practice cards, as `records` are."""
    listings: dict[str, str] = field(default_factory=dict)
    """Each note's source listing, by its path in docs/."""
    coverage: list[NoteCoverage] = field(default_factory=list)
    """Each note's part of the coverage page, in order."""
    digests: dict[str, str] = field(default_factory=dict)
    """The `text_digest` of each topic page and source listing, by its path in docs/."""
    places: list[tuple[str, dict[str, bytes]]] = field(default_factory=list)
    """Each topic page's path with, by note, the digest of the places of the note's entries on it (`places_digest`)."""
    made_places: dict[str, dict[str, Places]] = field(default_factory=dict)
    """The places of each note's entries on each page put together again in this run (layout.page_places), by path."""


@dataclass(frozen=True, slots=True)
class PagePlan:
    """What `page_pieces` and `add_page` start from for a topic page: its digest, what the last run left of it, and, for a page that
    changed, what its answers are made from and its pieces as the last run left them."""

    topic: Topic
    questions: list[MergedQuestion]
    blocks: list[PlacedBlock]
    page: PageDigest
    key: bytes
    last: Page | None
    answers: list[Parts | None] | None
    """What each question's answer is made from (Digests.answer), for a page that changed; else None."""
    known: _Pieces
    """A changed page's pieces as the last run left them."""

    @property
    def size(self) -> int:
        """How much work it is to put together again (`page_pieces`), in entries (sharing.SHARE_FROM)."""
        return len(self.questions) + len(self.blocks)


def plan_page(topic: Topic, questions: list[MergedQuestion], blocks: list[PlacedBlock], config: Config, digests: Digests) -> PagePlan:
    """A topic page's digest, and what the last run left of it (`page_pieces` puts a changed one together again)."""
    page = digests.page(topic)
    key = digests.whole_page(page, topic, questions, blocks)
    last = _page(carried(f"{PAGE}:{page[0]}", config))
    if last is not None and last[0] == key:
        return PagePlan(topic, questions, blocks, page, key, last, None, {})
    answers = [digests.answer(page, question) for question in questions]
    return PagePlan(topic, questions, blocks, page, key, last, answers, _unpack(last[4]) if last is not None else {})


def page_pieces(plan: PagePlan, sources: dict[str, str], links: Links, config: Config, digests: Digests) -> tuple[Page, dict[str, Places]]:
    """A changed page put together from its pieces (those of the entries an edit did not touch as the last run left them):
    what is remembered of it, and the places of its notes' entries on it (layout.page_places)."""
    topic, questions, blocks, page, last, answers, known = plan.topic, plan.questions, plan.blocks, plan.page, plan.last, plan.answers, plan.known
    assert answers is not None  # a changed page's
    made_from = [digests.question(page, question, answer) for question, answer in zip(questions, answers, strict=True)]
    blocks_from = [digests.block(page, block) for block in blocks]
    made: _Pieces = {}

    def piece(kind: bytes, piece_key: bytes, work: Callable[[], _Value]) -> _Value:
        found = known.get(kind + piece_key, _UNKNOWN)
        value = work() if found is _UNKNOWN else found
        made[kind + piece_key] = value
        return value  # type: ignore[return-value]  # stored by this function, from work (or a run before)

    sections: dict[str, str] = {}
    records: list[str] = []
    cards: list[str] = []
    last_records, last_cards = (last[2], last[3]) if last is not None else ("", "")
    at_record = at_card = 0  # where this page's next record and card start in its records and cards
    count = 0  # code lines the answers of this page numbered so far
    for question, answer, parts in zip(questions, answers, made_from, strict=True):
        rendered = piece(b"a", digest(answer), partial(render_answer, topic, question, sources, links)) if answer else None
        question_key = b"q" + entry_digest(parts, count if answer else 0)
        found = known.get(question_key)
        if type(found) is tuple and len(found) == 5:  # its section, and where its record and card stand in the last run's
            section, record_from, record_to, card_from, card_to = found
            question_record, question_card = last_records[record_from:record_to], last_cards[card_from:card_to]
        else:
            section, question_record, question_card = _question_pieces(topic, question, sources, links, rendered, count)
        made[question_key] = (section, at_record, at_record + len(question_record), at_card, at_card + len(question_card))
        at_record += len(question_record) + len(RECORD_SEPARATOR)
        at_card += len(question_card) + len(CARD_SEPARATOR)
        sections[question.id] = section
        records.append(question_record)
        cards.append(question_card)
        count += rendered[2] if rendered else 0
    for block, parts in zip(blocks, blocks_from, strict=True):
        sections[block.id] = piece(b"b", entry_digest(parts, 0), partial(block_section, topic, block, sources, links))
    text = topic_page(topic, questions, blocks, links, config.glossary, sections)
    made_places = page_places(page[0], questions, blocks)
    places = {note: places_digest(mine) for note, mine in made_places.items()}
    return (plan.key, text, RECORD_SEPARATOR.join(records), CARD_SEPARATOR.join(cards), _pack(made), text_digest(text), places), made_places


def add_page(pieces: Pieces, plan: PagePlan, config: Config, made: tuple[Page, dict[str, Places]] | None) -> str:
    """A topic page's text; adds its questions' records and cards: as the last run left it when its digest is the same,
    else as `page_pieces` put it together (made)."""
    path = plan.page[0]
    if made is not None:
        last, pieces.made_places[path] = made
    else:
        assert plan.last is not None and plan.answers is None  # unchanged (`plan_page`)
        last = plan.last
    carry(f"{PAGE}:{path}", config, last)
    if plan.questions:
        pieces.records.append(last[2])
        pieces.cards.append(last[3])
    pieces.digests[path] = last[5]
    pieces.places.append((path, last[6]))
    return last[1]


_Value = TypeVar("_Value")
_UNKNOWN = object()


def _page(value: object) -> Page | None:
    """value when it is what `add_page` remembers of a page (it comes from the cache), else None."""
    if (type(value) is tuple and len(value) == 7 and [type(part) for part in value] == [bytes, str, str, str, bytes, str, dict]
            and all(type(note) is str and type(places) is bytes for note, places in value[6].items())):
        return value  # checked just above
    return None


def _pack(made: _Pieces) -> bytes:
    """A page's pieces as a few bytes: only a changed page needs them, and they are mostly alike (zlib's fastest level
    takes a page's in milliseconds, to a tenth of their size or less)."""
    return zlib.compress(marshal.dumps(made), 1)


def _unpack(packed: bytes) -> _Pieces:
    """The pieces `_pack` packed; none when they are damaged (a damaged piece itself is never found: its kind and
    digest would have to survive)."""
    try:
        value = marshal.loads(zlib.decompress(packed))
    except (zlib.error, ValueError, EOFError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def _question_pieces(topic: Topic, question: MergedQuestion, sources: dict[str, str], links: Links, rendered: Rendered | None,
                     numbered: int) -> tuple[str, str, str]:
    answer = place_answer(topic, rendered, numbered) if rendered else None
    section = question_section(topic, question, sources, links, answer.html if answer else "")
    return section, record(topic, question, links, answer), card(topic, question, links, answer)


def add_notes(pieces: Pieces, notes: tuple[ParsedNote, ...], pages: Pages, sources: dict[str, str], config: Config, digests: Digests) -> None:
    """Adds the pieces of the notes: their listings and parts of the coverage page. A note's are remembered under a digest
    of the note and of its entries' places on each page (Pieces.places), which the pages remember: the places themselves
    are worked out only for the notes whose pieces are worked out again."""
    on_pages: dict[str, list[tuple[str, bytes]]] = {}
    for path, by_note in pieces.places:
        for note, digest_of_places in by_note.items():
            found = on_pages.get(note)
            if found is None:
                on_pages[note] = [(path, digest_of_places)]
            else:
                found.append((path, digest_of_places))
    places = _Places(pages, pieces.made_places)
    for parsed in notes:
        note = parsed.note.name
        key = digests.listing(parsed, on_pages.get(note, ()))
        listing, coverage, listing_digest = recall(NOTE, key, config, partial(_note_pieces, parsed, places, sources))
        path = sources[note]
        pieces.listings[path] = listing
        pieces.digests[path] = listing_digest
        pieces.coverage.append(coverage)


class _Places:
    """The places of the notes' entries, page after page (layout.page_places), worked out for the first note asked about alone (after an
    edit, mostly the only one), and for all notes at once from the second on; those on the pages put together again in
    this run are taken from there (made)."""

    def __init__(self, pages: Pages, made: dict[str, dict[str, Places]]) -> None:
        self.pages = pages
        self.made = made
        self.all: dict[str, Places] | None = None
        self.asked = False

    def of(self, note: str) -> Places:
        if self.all is None and not self.asked:
            self.asked = True
            return self._places({note}).get(note, [])
        if self.all is None:
            self.all = self._places(None)
        return self.all.get(note, [])

    def _places(self, notes: set[str] | None) -> dict[str, Places]:
        places: dict[str, Places] = {}
        for topic, (questions, blocks) in self.pages.items():
            path = topic.path
            on_page = self.made.get(path)
            if on_page is None:
                on_page = page_places(path, questions, blocks, notes)
            for note, mine in on_page.items():
                if notes is None or note in notes:
                    places[note] = places[note] + mine if note in places else list(mine)
        return places


def _note_pieces(parsed: ParsedNote, places: _Places, sources: dict[str, str]) -> tuple[str, NoteCoverage, str]:
    where = note_locations(parsed.note.name, places.of(parsed.note.name))
    listing = source_page(parsed, where)
    return listing, note_coverage(parsed, where, sources), text_digest(listing)
