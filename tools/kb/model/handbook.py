"""What classifying and linking make: questions and blocks placed on topic pages, and how they connect."""

from __future__ import annotations

from dataclasses import dataclass

from .config import Config, Term, Topic
from .names import Slug
from .notes import Block, ParsedNote, Problem, Question


@dataclass(frozen=True, slots=True)
class Placement:
    topic: Topic
    why: str
    """Which words decided the topic (shown in the report)."""


@dataclass(frozen=True, slots=True)
class MergedQuestion:
    """One question as shown on the site: possibly asked in several places."""

    id: Slug
    title: str
    """Cleaned for reading."""
    asked: tuple[Question, ...]
    """Every place the notes ask it, in note order."""
    placement: Placement
    merged: tuple[str, ...] = ()
    """Why each asking (same order as `asked`) is this question: '' for the asking that started it."""

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


@dataclass(frozen=True, slots=True)
class Stats:
    """The handbook's counts, for the home page, the summary and the PDF cover."""

    topics: int
    questions: int
    answered: int
    notes: int
    lines: int
    dropped: int
    sections: tuple[tuple[str, str], ...] = ()
    """(title, folder) of each section with pages, in navigation order; `kb pdf` names its PDFs after the folder."""

    @property
    def answered_share(self) -> int:
        return round(100 * self.answered / self.questions) if self.questions else 0
