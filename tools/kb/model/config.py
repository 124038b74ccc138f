"""The settings from config/: topics, glossary terms, corrections and clean-up rules."""

from __future__ import annotations

from dataclasses import dataclass

from .names import PagePath, Slug


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
    def path(self) -> PagePath:
        """The page's path inside docs/ (a topic outside any section sits at the top)."""
        return PagePath(f"{self.section_slug}/{self.slug}.md" if self.section else f"{self.slug}.md")


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
