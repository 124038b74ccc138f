"""Glossary terms in text: which terms a text mentions, and the pattern that finds one. Pure."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from .memory import remembered
from .model import Term
from .words import Substrings, by_identity


def mentioned(text: str, glossary: tuple[Term, ...]) -> tuple[Term, ...]:
    """The terms the text mentions, in the order of their first mention."""
    return tuple(glossary[index] for index in _mentions(text, glossary))


@remembered
def _mentions(text: str, glossary: tuple[Term, ...]) -> tuple[int, ...]:
    """The glossary indexes of the terms the text mentions, in the order of their first mention."""
    found = []
    lowered = text.lower()
    ascii_ = text.isascii()
    for index in _finder(glossary).candidates(lowered):  # cheap test first
        term = glossary[index]
        pattern = term_pattern(term)
        # in ASCII text, a match of a term whose spellings start with a letter or digit starts where one of its keys is
        match = _first_match(pattern, text, lowered, _keys(term)) if ascii_ and _anchored(term) else pattern.search(text)
        if match:
            found.append((match.start(), index))
    return tuple(index for _, index in sorted(found))


@lru_cache(maxsize=4096)
def term_pattern(term: Term) -> re.Pattern[str]:
    """A term's name or any alias as a whole word; a plural "s"/"es", and "-", "_" or a space between its words
    (also as Markdown escapes: "top\\_k") match too."""
    spellings = sorted((term.name, *term.aliases), key=len, reverse=True)
    parts = [r"(?:\\?[\s_-])+".join(_escaped(word) for word in re.split(r"[\s_-]+", spelling)) for spelling in spellings]
    flags = 0 if term.exact else re.IGNORECASE
    return re.compile(rf"(?<![\w/-])(?:{'|'.join(parts)})(?:s|es)?(?![\w/])", flags)


# --- helper functions ----------------------------------------------------------------------


class _Finder:
    """The glossary's keys (see `_keys`), found in a text in one pass instead of one scan per term."""

    def __init__(self, glossary: tuple[Term, ...]) -> None:
        self.glossary = glossary
        self.terms: dict[str, list[int]] = defaultdict(list)
        """Key -> the indexes of the terms with a spelling that contains it."""
        for index, term in enumerate(glossary):
            for key in dict.fromkeys(_keys(term)):
                self.terms[key].append(index)
        self.keys = Substrings(self.terms)

    def candidates(self, lowered: str) -> list[int]:
        """The indexes, in glossary order, of the terms one of whose keys the (lowercased) text contains."""
        return sorted({index for key in self.keys.found(lowered) for index in self.terms[key]})


@by_identity
def _finder(glossary: tuple[Term, ...]) -> _Finder:
    """The glossary's finder, made once per run (found again by identity: hashing a glossary costs more than
    finding its terms in a short text)."""
    return _Finder(glossary)


@lru_cache(maxsize=4096)
def _keys(term: Term) -> tuple[str, ...]:
    """A piece of every spelling of the term that any text mentioning it contains."""
    return tuple(re.split(r"[^0-9a-z]+", spelling.lower().strip())[0] or spelling.lower() for spelling in (term.name, *term.aliases))


SCAN_FROM = 32
"""Places of a term's keys in a text from which one search from the first is cheaper than a match at each."""


def _first_match(pattern: re.Pattern[str], text: str, lowered: str, keys: tuple[str, ...]) -> re.Match[str] | None:
    """What `pattern.search(text)` finds, tried only where one of the keys is in the text's lower case (as a match
    of the pattern starts), rather than at every place; keys found so often that this would not pay, search."""
    places: set[int] = set()
    for key in keys:
        place = lowered.find(key)
        while place >= 0:
            places.add(place)
            if len(places) > SCAN_FROM:
                return pattern.search(text, min(lowered.find(k) for k in keys if k in lowered))
            place = lowered.find(key, place + 1)
    for place in sorted(places):
        if match := pattern.match(text, place):
            return match
    return None


@lru_cache(maxsize=4096)
def _anchored(term: Term) -> bool:
    """Every spelling starts with an ASCII letter or digit, so its key (see `_keys`) is how any match of it starts."""
    return all(re.match(r"[0-9A-Za-z]", spelling) for spelling in (term.name, *term.aliases))


def _escaped(word: str) -> str:
    """A word as a regex that also matches it with Markdown's backslash escapes (\\* \\_ ...)."""
    return "".join(re.escape(char) if char.isalnum() else r"\\?" + re.escape(char) for char in word)
