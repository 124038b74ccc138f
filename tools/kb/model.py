"""The data that flows through the pipeline: small, frozen, typed.

read -> Note; parse -> Entry / Drop; classify -> Placement; emit -> files.
Every entry remembers the note lines it came from, so the coverage report can
account for each line and every page can say where its content came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NewType

NoteName = NewType("NoteName", str)
"""A note's file name inside notes/, e.g. ``000-scratchpad.txt``."""

Slug = NewType("Slug", str)
"""A URL-safe identifier made by pymdownx.slugs (page names, anchors)."""


@dataclass(frozen=True, slots=True)
class Note:
    name: NoteName
    """File name inside notes/."""
    lines: tuple[str, ...]
    """Decoded, mojibake-repaired lines without line endings; index 0 is line 1."""
    markdown: bool
    """True when the note is written in Markdown (parsed as CommonMark)."""
    raw_lines: tuple[str, ...] = ()
    """The decoded lines before repair, where repair changed anything (else empty)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the input, always naming the file and, when known, the line."""

    note: str
    line: int | None
    message: str
    fatal: bool = False
    """A fatal problem means the note could not be read at all."""

    def __str__(self) -> str:
        where = f"notes/{self.note}" + (f":{self.line}" if self.line else "")
        return f"{where}: {'error' if self.fatal else 'warning'}: {self.message}"


# --- content: what an answer or a block of notes is made of --------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """One run of inline text. ``markdown`` says whether it may carry inline Markdown."""

    value: str
    markdown: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: Text


@dataclass(frozen=True, slots=True)
class Label:
    """A sub-heading inside an answer or a block (rendered bold, never as a page heading)."""

    text: Text
    level: int = 0
    """Depth below the block's own heading, 0 for the first level."""


@dataclass(frozen=True, slots=True)
class Item:
    text: Text
    children: tuple[Content, ...] = ()
    label: str | None = None
    """A field name such as ``Definition`` shown in bold before the text."""


@dataclass(frozen=True, slots=True)
class ItemList:
    items: tuple[Item, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True, slots=True)
class Code:
    text: str
    language: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """A URL the notes point to, with the notes' own words about it."""

    url: str


Content = Paragraph | Label | ItemList | Code | Link


# --- what parsing finds in a note ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    note: NoteName
    lines: tuple[int, ...]
    """The non-blank note lines (1-based) this piece was made from."""
    original: str = ""
    """The wording as written in the note (for questions: the question line)."""

    @property
    def first(self) -> int:
        return self.lines[0]

    @property
    def last(self) -> int:
        return self.lines[-1]


@dataclass(frozen=True, slots=True)
class Question:
    title: str
    """The question as written (joined onto one line, whitespace collapsed)."""
    answer: tuple[Content, ...]
    source: Source
    context: str = ""
    """The heading or lead-in line the question was asked under, if any."""
    detail: str = ""
    """A clarification written right after the question, e.g. in parentheses."""


@dataclass(frozen=True, slots=True)
class Block:
    """Non-question material: an outline, a list, prose, video notes, a resource."""

    title: str
    """Heading from the notes; empty when the notes give none."""
    body: tuple[Content, ...]
    source: Source
    kind: str
    """What the block is: outline, list, prose, video notes, resource, topic."""
    context: str = ""


@dataclass(frozen=True, slots=True)
class Drop:
    """A line (or part of a line) left out of the site on purpose, and why."""

    note: NoteName
    line: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Context:
    """A line used as the heading other entries were filed under (note titles etc.)."""

    note: NoteName
    line: int
    text: str


Entry = Question | Block


@dataclass(frozen=True, slots=True)
class ParsedNote:
    note: Note
    entries: tuple[Entry, ...]
    drops: tuple[Drop, ...]
    contexts: tuple[Context, ...]
    problems: tuple[Problem, ...] = ()


# --- configuration ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Topic:
    slug: Slug
    title: str
    section: str
    section_slug: Slug
    keywords: tuple[str, ...]
    description: str = ""
    private: bool = False
    """Kept out of the public site (`kb normalize --public`); in the local site and PDF as usual."""

    @property
    def path(self) -> str:
        """The page's path inside docs/ (a topic outside any section sits at the top)."""
        return f"{self.section_slug}/{self.slug}.md" if self.section else f"{self.slug}.md"


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry from config/glossary.yml."""

    name: str
    slug: Slug
    """Its anchor on the glossary page."""
    definition: str
    aliases: tuple[str, ...] = ()
    topic: Slug | None = None
    """The topic page that covers it."""
    exact: bool = False
    """Match the name and aliases only as written (REST, not "the rest"), instead of in any case."""


@dataclass(frozen=True, slots=True)
class Config:
    topics: tuple[Topic, ...]
    inbox: Topic
    corrections: tuple[tuple[str, str], ...]
    """(wrong, right) pairs, matched as whole words, case-insensitively."""
    spellings: tuple[str, ...]
    """Words with a fixed spelling (acronyms, product names): LSTM, LoRA, PyTorch."""
    drop_patterns: tuple[tuple[str, str], ...]
    """(regex, reason) pairs: whole lines matching the regex are dropped."""
    field_labels: tuple[str, ...]
    """Labels that start a new field in text flattened from web pages."""
    resource_labels: tuple[str, ...] = ()
    """Labels that start a new entry inside a "Resources:" field (Blog, Paper, ...)."""
    glossary: tuple[Term, ...] = ()
    glossary_ignore: tuple[str, ...] = ()
    """Capitalised words of the notes that are not glossary terms (not reported as missing)."""
    max_note_bytes: int | None = None
    """Notes larger than this are refused (config/cleanup.yml max_note_bytes); None: read.MAX_BYTES."""


# --- classification ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Placement:
    topic: Topic
    why: str
    """Which words decided the topic (shown in the report)."""


@dataclass(slots=True)
class MergedQuestion:
    """One question as shown on the site: possibly asked in several places."""

    id: Slug
    title: str
    """Cleaned for reading."""
    asked: list[Question] = field(default_factory=list)
    placement: Placement | None = None

    @property
    def answered(self) -> bool:
        return any(q.answer for q in self.asked)


@dataclass(frozen=True, slots=True)
class PlacedBlock:
    block: Block
    id: Slug
    title: str
    placement: Placement


@dataclass(frozen=True, slots=True)
class Handbook:
    """Everything the emitter needs: the whole handbook, in memory."""

    notes: tuple[ParsedNote, ...]
    questions: tuple[MergedQuestion, ...]
    blocks: tuple[PlacedBlock, ...]
    config: Config
    problems: tuple[Problem, ...] = ()
    links: Links | None = None
    """Set by the link stage."""


# --- links -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Links:
    """How the entries and pages connect: what the link stage finds, for the emitter to write."""

    terms: dict[str, tuple[Term, ...]]
    """Entry id (question or block) -> the glossary terms it mentions, in order of first mention."""
    related: dict[str, tuple[MergedQuestion, ...]]
    """Question id -> the most related questions on other pages."""
    home: dict[Slug, Topic]
    """Term slug -> the topic page that covers it, where that page is in the handbook."""
    mentioned_in: dict[Slug, tuple[tuple[Topic, str, str], ...]]
    """Topic slug -> (page, entry id, entry title) of entries on other pages mentioning its terms."""
    related_topics: dict[Slug, tuple[Topic, ...]]
    uses: dict[Slug, tuple[Topic, ...]]
    """Term slug -> the pages that mention it."""
    missing: tuple[str, ...]
    """Capitalised words and fixed spellings of the notes that have no glossary entry."""
