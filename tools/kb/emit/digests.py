"""Digests of what an emitted piece is made from: the keys under which kb.memory remembers the piece from one run
to the next (`recall`), so that after an edit only the pieces it touched are worked out again.

A digest is of every input the piece shows, flattened to strings, numbers and flags in a list that says its own
structure (a tag per kind of content, a count before each run of items), written with marshal (format 2: the same
bytes for the same values, strings as UTF-8) and hashed: a few microseconds a piece, where pickling or hashing the
model's objects costs more than working the piece out. Whatever the config decides (a glossary term's name and
definition, say) is left out: the memory is kept per config and code (pipeline.build).
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Sequence
from functools import partial

from ..memory import recall
from ..model import Block, Code, Content, ItemList, Label, Link, Links, MergedQuestion, Paragraph, ParsedNote, PlacedBlock, Question, Term, Topic
from .layout import Places

Parts = list[object]
"""A piece's inputs flattened: strings, integers, flags, None, bytes, and tuples and lists of them."""
Page = tuple[str, str, str, str]
"""A topic page's path, slug, title and section (Digests.page)."""
CONTENT = f"{__name__}.content"
"""The memory table of the digests of all each note's parse holds (`Digests._held`): by the parse's key and its note's
listing page, the digest of each of its entries (`_asking_parts`, `_block_parts`) and last of the note (`_note_parts`),
each with that page."""
StandIns = Sequence[tuple[str, ParsedNote]]
"""Each note's parse with its key (the pipeline's cache key of the parse, made of the note's name and bytes, the config
and the code), which stands for it: the parse is all it can be, so the digests of all its entries and its note hold are
remembered under it (CONTENT) and not flattened and hashed again while the note is unchanged (the answers' text: a
tenth of a second per run at 100x). An edited note's entries are digested again, and each stays what it was when its
content did. The parse's own pieces are found by identity; a piece that is not one (an asking that classify made, a
note privacy masked) is digested in every run."""


def text_digest(text: str) -> str:
    """What a file of docs/ is compared by: the SHA-256 of its text in UTF-8, hex (files.digest, which files.stale
    compares with the bytes of the file on disk)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(parts: Parts) -> bytes:
    return hashlib.blake2b(marshal.dumps(parts, 2), digest_size=16).digest()


def places_digest(places: Places) -> bytes:
    """Of a note's entries' places on one page (layout.page_places)."""
    return hashlib.blake2b(marshal.dumps(places, 2), digest_size=16).digest()


def entry_digest(parts: Parts, count: int) -> bytes:
    """The digest of an entry's piece made from parts (Digests.question, .block), after answers before it on its page
    numbered count code lines (0 for a block, or a question the notes do not answer)."""
    return digest([parts, count])


class Digests:
    """The digests of the pieces of one run's pages (the glossary and the notes' listing pages are the run's)."""

    def __init__(self, glossary: tuple[Term, ...], sources: dict[str, str], links: Links, stand_ins: StandIns | None = None) -> None:
        self.parses = stand_ins or ()
        self.glossary = glossary
        """What the content digests are remembered for (an owner of the memory, kb.memory)."""
        self.terms = {id(term): index for index, term in enumerate(glossary)}
        """A glossary term's place in the glossary, by identity: what stands for the term (the config gives the rest)."""
        self.sources = sources
        self.links = links
        self._paths: dict[int, str] = {}
        """Topic paths by the topic's identity (Topic.path makes the path anew each time)."""
        self._related: dict[int, tuple[str | None, str, str]] = {}
        """What a page shows of a related question (the path of its page, its id and title), by the question's identity
        (`whole_page`: the questions are alive in the run's links, which the Digests do not outlive)."""
        self._entries: dict[int, bytes] | None = None
        """By the identity of each entry and note the parses hold (which `parses` keeps alive, so no other object has their
        ids): its `_held` digest, made on the first call (`_parse_entries`)."""

    def page(self, topic: Topic) -> Page:
        """What a topic page's entries show of their page: give it to the other digests of the page."""
        return self._path(topic), topic.slug, topic.title, topic.section

    def answer(self, page: Page, question: MergedQuestion) -> Parts | None:
        """What a question's answer rendered (answers.render_answer) is made from; None when the notes do not answer it."""
        answered = [asked for asked in question.asked if asked.answer]
        if not answered:
            return None
        parts: Parts = [page[0], self._terms(question.id), len(answered)]
        for asked in answered:
            parts.append(self._asking(asked))
        return parts

    def question(self, page: Page, question: MergedQuestion, answer: Parts | None) -> Parts:
        """What a question's section of its topic page, its questions.json record and its Practice card are made from,
        but for how many code lines the answers before it on the page numbered (`entry_digest`); answer: what its answer is
        made from (`answer`)."""
        parts: Parts = [page, question.id, question.title, answer, len(question.asked)]
        for asked in question.asked:
            parts.append(self._asking(asked))
        parts.append(self._terms(question.id))
        related = self.links.related.get(question.id, ())
        parts.append(len(related))
        for other in related:
            parts += [self._path(other.placement.topic) if other.placement else None, other.id, other.title]
        return parts

    def block(self, page: Page, block: PlacedBlock) -> Parts:
        """What a block's section of its topic page is made from."""
        entry = block.block
        return [page[0], block.id, block.title, self._held(entry, partial(_block_parts, entry), entry.source.note), self._terms(block.id)]

    def whole_page(self, page: Page, topic: Topic, questions: Sequence[MergedQuestion], blocks: Sequence[PlacedBlock]) -> bytes:
        """Of a whole topic page: all its entries' sections, records and cards are made from (what `question` and `block`
        flatten, without what they work out from it again: a question's `answer`, whose askings' content digests say which
        the notes answer, and how many code lines the answers before it numbered), and what the page shows besides its
        entries' sections (its description, counts, tags, related topics and mentions elsewhere). One flat list and one
        digest for the page, every run and every page: the entries' own digests (`entry_digest`) only for a page that
        changed."""
        entries_get = (self._entries if self._entries is not None else self._parse_entries()).get
        terms_of = self.links.terms.get
        term_index = self.terms.get
        related_of = self.links.related.get
        shown_get = self._related.get
        path = self._path
        parts: Parts = ["page-2", page, topic.description, len(questions)]
        for question in questions:  # the run's 12,000 questions and 13,000 askings pass here: per question a tuple, made in C
            found = tuple(map(entries_get, map(id, question.asked)))  # the parses' own askings (`_entries`)
            asked: tuple[bytes, ...] = tuple(map(self._asking, question.asked)) if None in found else found  # type: ignore[assignment]
            entry_terms = terms_of(question.id)  # `_terms`, inlined
            indices: tuple[object, ...] = ()
            if entry_terms:
                indices = tuple(map(term_index, map(id, entry_terms)))
                if None in indices:
                    indices = self._terms(question.id)
            related = related_of(question.id)
            shown: tuple[object, ...] = ()
            if related:
                shown = tuple(map(shown_get, map(id, related)))  # the related questions are alive in links: their ids are theirs
                if None in shown:
                    shown = tuple(map(self._shown_related, related))
            parts.append((question.id, question.title, b"".join(asked), indices, shown))  # `_held` digests: 16 bytes each
        parts.append(len(blocks))
        for block in blocks:
            entry = block.block
            held = entries_get(id(entry))
            if held is None:
                held = self._held(entry, partial(_block_parts, entry), entry.source.note)
            parts.append((block.id, block.title, held, self._terms(block.id)))
        related_topics = self.links.related_topics.get(topic.slug, ())
        parts.append(len(related_topics))
        for other in related_topics:
            parts += (path(other), other.title)
        mentions = self.links.mentioned_in.get(topic.slug, ())
        parts.append(len(mentions))
        for other, entry_id, title in mentions:
            parts += (path(other), other.title, entry_id, title)
        return digest(parts)

    def listing(self, parsed: ParsedNote, on_pages: Sequence[tuple[str, bytes]]) -> bytes:
        """Of a note's source listing and its row of the coverage page: the note, what parsing left out of it and filed
        entries under, and where its lines went, given as the digest of its entries' places on each page that has any
        (`places_digest`), page after page."""
        return digest(["n2", self._held(parsed, partial(_note_parts, parsed), parsed.note.name), list(on_pages)])

    def _asking(self, asked: Question) -> bytes:
        return self._held(asked, partial(_asking_parts, asked), asked.source.note)

    def _shown_related(self, other: MergedQuestion) -> tuple[str | None, str, str]:
        """What a page shows of a related question (`_related`), made."""
        shown = self._related[id(other)] = (self._path(other.placement.topic) if other.placement else None, other.id, other.title)
        return shown

    def _parse_entries(self) -> dict[int, bytes]:
        """`_entries`, made: each parse's digests remembered under its key and its note's listing page (CONTENT)."""
        entries: dict[int, bytes] = {}
        for key, parsed in self.parses:
            name = parsed.note.name
            path = self.sources[name]
            known = recall(CONTENT, (key, path), self.glossary, partial(_parse_digests, parsed, path))
            if not _digests_of(known, len(parsed.entries) + 1):  # damaged (the memory comes from the cache)
                known = _parse_digests(parsed, path)
            for entry, found in zip(parsed.entries, known, strict=False):  # the note's digest is last
                if entry.source.note == name:  # as parsing makes every entry: its note's page is path
                    entries[id(entry)] = found
            entries[id(parsed)] = known[-1]
        self._entries = entries
        return entries

    def _held(self, piece: object, parts: Callable[[], Parts], note: str) -> bytes:
        """The digest of all a piece of the notes holds (an asking, a block, a note with what parsing made of it), given how
        to flatten it, and of its note's listing page (note: the name of its note): remembered with its parse's when it is
        a parse's own (`StandIns`)."""
        found = (self._entries if self._entries is not None else self._parse_entries()).get(id(piece))
        return found if found is not None else digest([parts(), self.sources[note]])

    def _terms(self, entry_id: str) -> tuple[object, ...]:
        terms = self.links.terms.get(entry_id, ())
        if not terms:
            return ()
        found = tuple(map(self.terms.get, map(id, terms)))
        if None not in found:
            return found
        return tuple(index if index is not None else _term(term) for term, index in zip(terms, found, strict=True))

    def _path(self, topic: Topic) -> str:
        path = self._paths.get(id(topic))
        if path is None:
            path = self._paths[id(topic)] = topic.path
        return path


def _parse_digests(parsed: ParsedNote, path: str) -> tuple[bytes, ...]:
    """The digests of all each entry of a parse holds, and last of all its note holds, with its note's listing page at path
    (`Digests._held`)."""
    found = [digest([_asking_parts(entry) if isinstance(entry, Question) else _block_parts(entry), path]) for entry in parsed.entries]
    return (*found, digest([_note_parts(parsed), path]))


def _digests_of(known: object, count: int) -> bool:
    """Whether known is a tuple of count `digest`s (16 bytes each), as `_parse_digests` makes."""
    return (type(known) is tuple and len(known) == count and all(type(one) is bytes for one in known)
            and len(b"".join(known)) == 16 * count)


def _asking_parts(asked: Question) -> Parts:
    """All an asking holds."""
    source = asked.source
    parts: Parts = ["q", asked.title, asked.label, asked.detail, asked.context, source.note, source.lines, source.original]
    add_content(asked.answer, parts)
    return parts


def _block_parts(block: Block) -> Parts:
    """All a block holds."""
    source = block.source
    parts: Parts = ["b", block.title, block.kind, block.context, source.note, source.lines, source.original]
    add_content(block.body, parts)
    return parts


def _note_parts(parsed: ParsedNote) -> Parts:
    """All of a note that its listing and its row of the coverage page show: the note, what parsing left out of it and
    filed entries under."""
    note = parsed.note
    return ["n", note.name, note.markdown, note.lines, tuple((d.line, d.reason, d.text) for d in parsed.drops),
            tuple(c.line for c in parsed.contexts)]


def add_content(pieces: Sequence[Content], parts: Parts) -> None:
    """Note content flattened onto parts: each piece a tag, then its fields (emit/markdown.content shows them all)."""
    parts.append(len(pieces))
    for piece in pieces:
        if isinstance(piece, Paragraph):
            parts += ["p", piece.text.value, piece.text.markdown]
        elif isinstance(piece, ItemList):
            parts += ["l", piece.ordered, piece.start, len(piece.items)]
            for item in piece.items:
                parts += [item.text.value, item.text.markdown, item.label]
                if item.children:
                    add_content(item.children, parts)
                else:
                    parts.append(0)
        elif isinstance(piece, Label):
            parts += ["h", piece.text.value, piece.text.markdown, piece.level]
        elif isinstance(piece, Code):
            parts += ["c", piece.text, piece.language]
        elif isinstance(piece, Link):
            parts += ["u", piece.url]
        else:  # pragma: no cover - content emit does not know: its repr, which a dataclass writes from all its fields
            parts.append(repr(piece))


def _term(term: Term) -> tuple[object, ...]:
    """A term that is not the glossary's (no link stage makes one): all it is."""
    return term.name, term.slug, term.definition, term.aliases, term.topic, term.exact
