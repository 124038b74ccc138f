"""Glossary terms in text: which terms a text mentions, and the pattern that finds one. Pure."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

from .memory import remembered
from .model import Term
from .words import Substrings, by_identity


def mentioned(text: str, glossary: tuple[Term, ...]) -> tuple[Term, ...]:
    """The terms the text mentions, in the order of their first mention."""
    indexes = _mentions(text, glossary)
    return tuple(map(glossary.__getitem__, indexes)) if indexes else ()


def mentioned_indexes(text: str, glossary: tuple[Term, ...]) -> tuple[int, ...]:
    """The glossary indexes of the terms the text mentions, in the order of their first mention."""
    return _mentions(text, glossary)


@remembered
def _mentions(text: str, glossary: tuple[Term, ...]) -> tuple[int, ...]:
    """The glossary indexes of the terms the text mentions, in the order of their first mention."""
    found = []
    lowered = text.lower()
    mirrored = mirrors(text, lowered)
    for index in (_long_finder(glossary) if mirrored else _finder(glossary)).candidates(lowered):  # cheap test first
        term = glossary[index]
        leading = _leading(term)
        fast = leading is not None and (term.exact or mirrored)
        match = leading.search(text if term.exact else lowered) if leading and fast else term_pattern(term).search(text)
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


_WORD_CHARACTER = re.compile(r"\w")
_ASCII_ALIKE = re.compile(r"[0-9a-z_]", re.IGNORECASE)


def mirrors(text: str, lowered: str) -> bool:
    """Whether a case-insensitive pattern of ASCII letters matches text where its lower case matches lowered:
    each character lowers to one, which is a word character when it is one, and no other character than an
    ASCII one is an ASCII letter case aside (as the long s is an s, the Kelvin sign a k)."""
    if text.isascii():
        return True
    if len(lowered) != len(text):
        return False
    for char in set(text):
        if not char.isascii() and (_ASCII_ALIKE.match(char) or bool(_WORD_CHARACTER.match(char)) != bool(_WORD_CHARACTER.match(char.lower()))):
            return False
    return True


# --- helper functions ----------------------------------------------------------------------


class _Finder:
    """The glossary's keys (see `_keys`), found in a text in one pass instead of one scan per term."""

    def __init__(self, glossary: tuple[Term, ...], keys: Callable[[Term], tuple[str, ...]]) -> None:
        self.glossary = glossary
        self.terms: dict[str, list[int]] = defaultdict(list)
        """Key -> the indexes of the terms with a spelling that contains it."""
        for index, term in enumerate(glossary):
            for key in dict.fromkeys(keys(term)):
                self.terms[key].append(index)
        self.keys = Substrings(self.terms)

    def candidates(self, lowered: str) -> list[int]:
        """The indexes, in glossary order, of the terms one of whose keys the (lowercased) text contains."""
        return sorted({index for key in self.keys.found(lowered) for index in self.terms[key]})


@by_identity
def _finder(glossary: tuple[Term, ...]) -> _Finder:
    """The glossary's finder, made once per run (found again by identity: hashing a glossary costs more than
    finding its terms in a short text)."""
    return _Finder(glossary, _keys)


@by_identity
def _long_finder(glossary: tuple[Term, ...]) -> _Finder:
    """The glossary's finder by `_long_keys`, for texts whose lower case mirrors them (see `mirrors`)."""
    return _Finder(glossary, _long_keys)


@lru_cache(maxsize=4096)
def _keys(term: Term) -> tuple[str, ...]:
    """A piece of every spelling of the term that any text mentioning it contains."""
    return tuple(re.split(r"[^0-9a-z]+", spelling.lower().strip())[0] or spelling.lower() for spelling in (term.name, *term.aliases))


@lru_cache(maxsize=4096)
def _long_keys(term: Term) -> tuple[str, ...]:
    """The longest piece of every spelling of a term `_leading` finds: rarer than its first, and in the lower case
    of any text mentioning the term that mirrors its lower case (others: `_keys`)."""
    if _leading(term) is None:
        return _keys(term)
    return tuple(max(re.split(r"[^0-9a-z]+", spelling.lower()), key=len) for spelling in (term.name, *term.aliases))


@lru_cache(maxsize=4096)
def _leading(term: Term) -> re.Pattern[str] | None:
    """`term_pattern` written to start with a letter, so that a search jumps from one place of it to the next
    rather than trying the lookbehind at every character: the same matches, where a match may start. Case aside,
    it is written in lower case, for the text's lower case (see `mirrors`). None when a spelling starts with
    something else than an ASCII letter or digit, or (case aside) is not ASCII."""
    spellings = sorted((term.name, *term.aliases), key=len, reverse=True)
    if not all(re.match(r"[0-9A-Za-z]", spelling) for spelling in spellings):
        return None
    if not term.exact:
        if not all(spelling.isascii() for spelling in spellings):
            return None
        spellings = [spelling.lower() for spelling in spellings]
    parts = [r"(?:\\?[\s_-])+".join(_escaped(word) for word in re.split(r"[\s_-]+", spelling)) for spelling in spellings]
    # "a(?<![\w/-]a)": an "a" after no word character, as "(?<![\w/-])a" says, but found by its letter first
    starts = [rf"{part[0]}(?<![\w/-]{part[0]}){part[1:]}" for part in parts]
    return re.compile(rf"(?:{'|'.join(starts)})(?:s|es)?(?![\w/])")


def _escaped(word: str) -> str:
    """A word as a regex that also matches it with Markdown's backslash escapes (\\* \\_ ...)."""
    return "".join(re.escape(char) if char.isalnum() else r"\\?" + re.escape(char) for char in word)
