"""Glossary terms in text: which terms a text mentions, and the pattern that finds one. Pure."""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Term


def mentioned(text: str, glossary: tuple[Term, ...]) -> tuple[Term, ...]:
    """The terms the text mentions, in the order of their first mention."""
    lowered = text.lower()
    found = [
        (match.start(), index, term)
        for index, term in enumerate(glossary)
        if any(key in lowered for key in _keys(term)) and (match := term_pattern(term).search(text))  # cheap test first
    ]
    return tuple(term for _, _, term in sorted(found, key=lambda f: (f[0], f[1])))


@lru_cache(maxsize=4096)
def term_pattern(term: Term) -> re.Pattern[str]:
    """A term's name or any alias as a whole word; a plural "s"/"es", and "-", "_" or a space between its words
    (also as Markdown escapes: "top\\_k") match too."""
    spellings = sorted((term.name, *term.aliases), key=len, reverse=True)
    parts = [r"(?:\\?[\s_-])+".join(_escaped(word) for word in re.split(r"[\s_-]+", spelling)) for spelling in spellings]
    flags = 0 if term.exact else re.IGNORECASE
    return re.compile(rf"(?<![\w/-])(?:{'|'.join(parts)})(?:s|es)?(?![\w/])", flags)


# --- helper functions ----------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _keys(term: Term) -> tuple[str, ...]:
    """A piece of every spelling of the term that any text mentioning it contains."""
    return tuple(re.split(r"[^0-9a-z]+", spelling.lower().strip())[0] or spelling.lower() for spelling in (term.name, *term.aliases))


def _escaped(word: str) -> str:
    """A word as a regex that also matches it with Markdown's backslash escapes (\\* \\_ ...)."""
    return "".join(re.escape(char) if char.isalnum() else r"\\?" + re.escape(char) for char in word)
