"""What every recognizer gets (Scope) and gives (Found)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ...model import Config, Content, Note
from ...words import looks_like_question
from ..tree import Node


@dataclass(slots=True)
class Found:
    """A question (or, with ``block``, a typed block of material) a recognizer found on a node."""

    title: str
    lines: tuple[int, ...]
    """The note lines holding the question itself."""
    answer: list[Node] = field(default_factory=list)
    """Nodes whose content is the answer (the node's children, usually)."""
    before: tuple[Content, ...] = ()
    """Answer written on the question's own lines (after `->`, `A:`, inside a summary...)."""
    label: str = ""
    """A mark the notes give the question, such as a difficulty [E]/[M]/[H]."""
    certain: bool = True
    """False for a guess (a bare term, a numbered title) that holds only among clear questions."""
    followers: Callable[[Node], bool] | None = None
    """Which following siblings (up to the next question) belong to the answer; None: none."""
    until: Callable[[Node], bool] | None = None
    """With followers, a sibling that closes the answer (and belongs to it)."""
    block: str = ""
    """When set, not a question: a block of material of this kind (topic, video notes, resource)."""
    answer_lines: tuple[int, ...] = ()
    """Lines of the answer held on nodes not in ``answer`` (a summary's own line, a table row)."""
    children_are_answer: bool = True
    """Whether the node's children belong to the answer (the walker splits off sub-questions)."""
    followup: bool = False
    """A line that only makes sense after the question before it ('why do we need above')."""
    convention: str = ""
    """The recognizer that found it (set by recognize())."""
    joins: bool = False
    """A block that continues a block of the same kind right before it (video notes)."""


@dataclass(slots=True)
class Scope:
    note: Note
    config: Config
    _asks: dict[str, bool] = field(default_factory=dict)

    def asks(self, text: str) -> bool:
        if text not in self._asks:
            self._asks[text] = looks_like_question(text, self.config)
        return self._asks[text]


def any_block(node: Node) -> bool:
    """Followers for conventions whose answer runs to the next question: anything but a section."""
    return node.kind != "section"


def adjacent_line(node: Node) -> bool:
    """Followers in plain text: lines right below, with no blank line between."""
    return node.kind == "line" and not node.blank_before


def first_line(node: Node) -> str:
    return node.text.split("\n", 1)[0].strip()


def strip_tags(html: str) -> str:
    """Text of an HTML fragment: <br> and block ends become line breaks, other tags go, entities stay as written."""
    text = re.sub(r"(?i)<br\s*/?>|</(p|div|li|tr|h[1-6])>", "\n", html)
    text = re.sub(r"<[^>]*>", "", text)
    return "\n".join(line.strip() for line in text.splitlines()).strip()


DIFFICULTY = re.compile(
    r"""\s*(?:\[(?P<mark>E|M|H|Easy|Medium|Hard)\]   # [E], [M], [H], [Hard]
    |\((?P<word>Easy|Medium|Hard)\))\s*           # (Easy), (Medium), (Hard)""",
    re.IGNORECASE | re.VERBOSE,
)


def difficulty(title: str) -> tuple[str, str]:
    """A title without its [E]/[M]/[H] mark, and the mark (E, M or H; empty when none)."""
    match = DIFFICULTY.search(title)
    if not match:
        return title, ""
    rest = (title[: match.start()] + " " + title[match.end():]).strip()
    return rest, (match.group("mark") or match.group("word"))[0].upper()
