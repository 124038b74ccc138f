"""What reading and parsing a note make: the note's lines, its questions, blocks, drops and problems.

Every piece remembers the note lines it came from, so the coverage report can account for each line
and every page can say where its content came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from .names import NoteName


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
    """A clarification or follow-up written right after the question, e.g. in parentheses."""
    label: str = ""
    """A mark the notes give the question, such as its difficulty (E, M, H)."""


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
