"""Words: is a line a question, and how should a title read. Pure text functions."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import ahocorasick

from .memory import remembered, remembered_this_run
from .model import Config, Content, Item, ItemList, Label, Link, Paragraph, Topic

_FILLER = frozenset(
    """a an the of in on to and or vs versus between difference differences diff how why when where which what
    what's is are do does we you it its for with use used explain describe compare can should there their this
    that""".split()
)

_ASKING = re.compile(
    r"""^(?:\d+[.)]\s*)?            # an optional list number
    (what|what's|whats|why|how|when|where|which|who|whom|whose|is|are|was|were|can|could|should|
     would|will|do|does|did|explain|describe|compare|contrast|define|discuss|outline|present|share|
     list|name|justify|diff|difference|differences|tell|give|state|distinguish|mention)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_TELLING = re.compile(
    r"(explain|describe|compare|contrast|define|discuss|outline|present|share|list|name|justify|tell|give|state|"
    r"distinguish|mention|diff|difference|differences)\b",
    re.IGNORECASE,
)
_COMPARING = re.compile(r"\b(vs\.?|versus|difference|diff)(\s|$)", re.IGNORECASE)


def looks_like_question(text: str, config: Config) -> bool:
    """True for lines an interviewer could ask: '...?', 'what/why/how ...', 'X vs Y', 'diff ...'."""
    text = correct(text, config).strip()
    if not text or len(text) > 400:
        return False
    return "?" in text or bool(_ASKING.match(text)) or bool(_COMPARING.search(text))


_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


def by_identity(make: Callable[[_Key], _Value]) -> Callable[[_Key], _Value]:
    """make, remembering what it made for the last few arguments, found again by identity: for a config's
    big tuples (topics, glossary), whose hashing at every call costs more than the work it would save."""
    recent: list[tuple[_Key, _Value]] = []

    def cached(key: _Key) -> _Value:
        for known, value in recent:
            if known is key:
                return value
        value = make(key)
        recent[:] = [(key, value), *recent[:3]]
        return value

    return cached


@remembered_this_run
def private_mentions(text: str, config: Config) -> dict[str, set[str]]:
    """Private topic slug -> the topic's keywords the text mentions. Stricter than placement: a keyword
    counts even when glued to figures or punctuation ('13LPA', 'ctc:10'), since a private line must never
    reach the public site."""
    found: dict[str, set[str]] = {}
    patterns, finder = _private_patterns(config.topics)
    # ASCII text holds a keyword (case aside) only where its lower case holds the keyword's first word
    firsts = finder.found(text.lower()) if text.isascii() else None
    for slug, keywords, pattern in patterns:
        if firsts is not None and not firsts.intersection(_first_words(keywords)):
            continue
        if pattern.search(text):
            found[slug] = {k for k, first in zip(keywords, _first_words(keywords), strict=True)
                           if (firsts is None or first in firsts) and _private_pattern((k,)).search(text)}
    return found


@lru_cache(maxsize=512)
def _first_words(keywords: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(k.split()[0].lower() for k in keywords)


def question_key(title: str, config: Config) -> str:
    """A question reduced to its content words, for spotting the same question asked twice."""
    words = _KEY_WORD.findall(correct(title, config).lower())
    return " ".join(sorted(w for w in words if w not in _FILLER))


@dataclass(frozen=True, slots=True)
class Meaning:
    """What a question asks, reduced so that the same question in other words reduces the same way."""

    words: frozenset[str]
    """Its content words, corrected, stemmed and with synonyms folded ('tracking' -> 'monitor')."""
    optional: frozenset[str] = frozenset()
    """Words only said in parentheses: they count where the other asking says them too."""
    intents: frozenset[str] = frozenset()
    """What kind of answer it wants: how, why, when, where (which), compare (vs, difference)."""
    bare: bool = False
    """A bare prompt ('zip', 'LLM evaluation'): no question word, no comparison."""
    key: str = ""
    """The words, sorted and joined: the same for two askings with the same words."""
    order: tuple[str, ...] = ()
    """The words in the order they are written (a bare prompt is a phrase: 'trend stationary' is not 'stationary and trend')."""


_MEANING_FILLER = _FILLER | frozenset(
    """versus contrast comparison between what whats who whom whose is are was were be been being am do does did
    done doing can can't cannot could should would will shall may might must we i u me my our us they them your yours
    he she his her it's these those at by as from into about than then so also just any some
    explain describe define discuss tell give state mention share outline present elaborate
    use uses used using usage please briefly simply simple simplest conceptually especially specially exactly basically
    happen happens happening happened work works working worked get gets got getting method methods way ways
    have has having""".split()
)
"""Words that change how a question is put, not what it asks about."""

_SYNONYMS = {
    "track": "monitor", "deal": "handl", "tackl": "handl", "avoid": "handl", "prevent": "handl", "reduc": "handl",
    "mitigat": "handl", "minimiz": "handl", "minimis": "handl", "overcom": "handl", "counter": "handl", "solv": "handl",
    "approach": "handl", "fix": "handl", "comput": "calculat",
}
"""Stems of verbs that ask the same thing ('how to avoid X' is 'how to handle X')."""

_INTENT_WORDS = {"how": "how", "why": "why", "when": "when", "where": "where", "which": "where"}
_CLAUSE = re.compile(r"[,;:?!()\[\]]|->|\s-\s|\band\b|\bor\b")
_LEAD_VERBS = frozenset("explain describe tell discuss show state so also then and in".split())
_COMPARE = re.compile(r"\b(vs\.?|versus|difference|differences|compare|comparison|contrast|better than|distinguish)(?![\w])")
_HOW = re.compile(r"\b(which|what)\s+(method|methods|way|ways|technique|techniques)\b")
_TOKEN = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*|[<>]=?(?=\s*\d)")
_URL = re.compile(r"https?://\S+|www\.\S+")
_KEY_WORD = re.compile(r"[\w'-]+")
_SPACES = re.compile(r"\s+")
_ARROW = re.compile(r"[-=]+>")
_INSIDE = re.compile(r"\(([^()]*)\)?")
_PARENTHESES = re.compile(r"\([^()]*\)?")
_JOINS = re.compile(r"[-=]+>|\+")
_LIST_NUMBER = re.compile(r"^\d+[.)]\s+")
_TRAILING_ARROW = re.compile(r"\s*(->|:-|:|-)\s*$")
_ASIDE = re.compile(r"\(.*?\)")
_CAPITALS = re.compile(r"\b[A-Z]{2,}\b")
_SPACE_BEFORE = re.compile(r"\s+([?,.;:!)])")
_SPACE_AFTER = re.compile(r"([(])\s+")
_COMMA = re.compile(r",(?=[^\s\d])")
_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
"""Patterns the text functions use, compiled once."""
_SAYING = re.compile(r"\bin (?:the )?simple(?:st)? (?:terms?|words?|way)\b|\bin machine learning\b")


@remembered
def meaning(title: str, config: Config) -> Meaning:
    """A question's meaning key: its content words as a set (so order, 'vs', '/', ',' and 'and' lists,
    filler words and the corrections list's typos do not count), plus what kind of answer it wants."""
    text = _URL.sub(" ", _unmark(correct(title, config)).lower())
    text = _SAYING.sub(" ", text)
    text = _SPACES.sub(" ", _ARROW.sub(" -> ", text)).strip()
    intents = set()
    if _COMPARE.search(text):
        intents.add("compare")
    if _HOW.search(text):
        intents.add("how")
        text = _HOW.sub(" how ", text)
    for clause in _CLAUSE.split(text):
        words = clause.split()
        while words and words[0] in _LEAD_VERBS:
            words = words[1:]
        if words and words[0] in _INTENT_WORDS:
            intents.add(_INTENT_WORDS[words[0]])
    asked = bool(intents) or "?" in text or bool(_ASKING.match(text)) or any(_ASKING.match(c.strip()) for c in _CLAUSE.split(text))
    inside = " ".join(_INSIDE.findall(text))
    outside = _PARENTHESES.sub(" ", text)
    order = _content_words(outside)
    words = frozenset(order)
    optional = frozenset(_content_words(inside)) - words
    return Meaning(words, optional, frozenset(intents), not asked, " ".join(sorted(words)), tuple(dict.fromkeys(order)))


def _content_words(text: str) -> list[str]:
    found = []
    for word in _TOKEN.findall(_JOINS.sub(" ", text)):
        if word in _MEANING_FILLER:
            continue
        stem = _stem(word)
        if stem not in _MEANING_FILLER:
            found.append(_SYNONYMS.get(stem, stem))
    return found


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A light English stemmer: plurals, -ing, -ed, -ation, -able and a final -e or -y go
    ('embeddings' -> 'embed', 'evaluation' and 'evaluate' -> 'evaluat', 'varying' and 'variable' -> 'vari')."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix, replacement in (("ation", "at"), ("ing", ""), ("ed", ""), ("able", ""), ("ible", ""), ("e", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if word.endswith("izat"):
        word = word[:-2]
    if word.endswith("y") and len(word) > 3:
        word = word[:-1] + "i"
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


def plain_text(content: tuple[Content, ...]) -> str:
    parts: list[str] = []
    for piece in content:
        if isinstance(piece, (Paragraph, Label)):
            parts.append(piece.text.value)
        elif isinstance(piece, ItemList):
            parts.extend([_item_text(item) for item in piece.items])
        elif isinstance(piece, Link):
            parts.append(piece.url)
    return "\n".join(parts)




def _item_text(item: Item) -> str:
    if not item.label and not item.children:  # most items: their text alone
        return item.text.value
    return " ".join(filter(None, [item.label or "", item.text.value, plain_text(item.children)]))


@remembered_this_run
def correct(text: str, config: Config) -> str:
    """Apply the user's corrections list (whole words, case-insensitive)."""
    return _corrections(config.corrections).sub(text, _keep_case)


@remembered_this_run
def clean_title(text: str, config: Config, question: bool = True) -> str:
    """A question or heading as it should read: corrected, spaced, sentence case, acronyms right."""
    text = _unmark(text)
    text = _SPACES.sub(" ", text).strip()
    text = _LIST_NUMBER.sub("", text)  # list numbers are layout, not wording
    text = _TRAILING_ARROW.sub("", text)
    text = correct(text, config)
    shouting = _ASIDE.sub("", text)
    if shouting.isupper() and len(shouting.split()) > 1:  # 'INSTRUCTION FINE TUNING' -> sentence case
        text = _CAPITALS.sub(lambda m: m.group(0).lower(), text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    text = _COMMA.sub(", ", text)
    text = _respell(text, config)
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if question and _ASKING.match(text) and not _TELLING.match(text) and not text.endswith(("?", ".", ")")):
        text += "?"  # 'what is p-value' -> 'What is p-value?'; 'Explain ...' and 'Difference ...' are not asked
    return text


def _unmark(text: str) -> str:
    """Plain words from inline Markdown: '**JD** Example \\#1' -> 'JD Example #1'."""
    if "**" in text or "__" in text:  # (each pattern needs these characters, and most titles have none)
        text = _STRONG.sub(r"\2", text)
    if "[" in text:
        text = _LINK.sub(r"\1", text)
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text


def _respell(text: str, config: Config) -> str:
    return _spellings(config.spellings).sub(text, lambda found, right: right)


def _keep_case(found: str, replacement: str) -> str:
    if replacement != replacement.lower():
        return replacement  # the list says exactly how to write it
    if found[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


_PrivatePatterns = tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...]


@by_identity
def _private_patterns(topics: tuple[Topic, ...]) -> tuple[_PrivatePatterns, Substrings]:
    """(slug, keywords, pattern) of each private topic, and a finder of their keywords' first words (lower case)."""
    patterns = tuple((t.slug, t.keywords, _private_pattern(t.keywords)) for t in topics if t.private and t.keywords)
    finder = Substrings(w for _, keywords, _ in patterns for w in _first_words(keywords))
    return patterns, finder


@lru_cache(maxsize=512)
def _private_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    """Any keyword, its words joined by spaces, '-' or '_', not inside a longer word (digits may touch it)."""
    parts = [r"[\s_-]+".join(re.escape(w) for w in k.split()) for k in sorted(keywords, key=len, reverse=True)]
    return re.compile(rf"(?<![^\W\d_])(?:{'|'.join(parts)})(?:s|es)?(?![^\W\d_])", re.IGNORECASE)


class _Replacements:
    """Whole words to replace, found case-insensitively: lower case -> replacement, longest first. A word counts
    when no `edge` character touches it."""

    def __init__(self, table: dict[str, str], edge: str) -> None:
        self.table = {w: table[w] for w in sorted(table, key=len, reverse=True)}
        self.edge = edge
        self.finder = Substrings(self.table)

    def sub(self, text: str, replace: Callable[[str, str], str]) -> str:
        """The text with each word found replaced by replace(as found, replacement)."""
        if not self.table:
            return text
        words = tuple(self.table)
        if text.isascii():  # then only the words its lower case contains can match: none, most often
            found = self.finder.found(text.lower())
            if not found:
                return text
            words = tuple(w for w in words if w in found)
        return _whole_words(words, self.edge).sub(lambda m: replace(m.group(0), self.table[m.group(0).lower()]), text)


@by_identity
def _corrections(pairs: tuple[tuple[str, str], ...]) -> _Replacements:
    return _Replacements({wrong.lower(): right for wrong, right in pairs}, r"[\w/-]")


@by_identity
def _spellings(words: tuple[str, ...]) -> _Replacements:
    return _Replacements({w.lower(): w for w in words}, r"[\w-]")


@lru_cache(maxsize=2048)
def _whole_words(words: tuple[str, ...], edge: str) -> re.Pattern[str]:
    """Any of the words (longest first) where no edge character touches it; a text's pattern leaves out the
    words it does not contain."""
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!{edge})(?:{alternatives})(?!{edge})", re.IGNORECASE)


class Substrings:
    """Which of a fixed set of strings a text contains, all found in one pass (Aho-Corasick) rather than one
    `in` test each; strings shorter than 3 characters, found nearly everywhere, are tested one by one."""

    def __init__(self, keys: Iterable[str]) -> None:
        keys = list(dict.fromkeys(keys))
        self.short = [key for key in keys if len(key) < 3]
        self.automaton: ahocorasick.Automaton | None = None
        if len(self.short) < len(keys):
            self.automaton = ahocorasick.Automaton()
            for key in keys:
                if len(key) >= 3:
                    self.automaton.add_word(key, key)
            self.automaton.make_automaton()

    def found(self, text: str) -> set[str]:
        """The keys that occur in text, exactly as `key in text` says."""
        keys = {key for key in self.short if key in text}
        if self.automaton is not None:
            keys.update(key for _, key in self.automaton.iter(text))
        return keys
