"""The document tree: what a syntax reader makes of a note, whatever its format.

Sections hold headings' bodies; lists hold items; items and plain-text lines hold what is nested
under them. Every node knows the non-blank note lines it holds itself, so whatever a recognizer
makes of it can say where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # markdown-it is imported only to read a Markdown note (parse/markdown.py), not for plain text
    from markdown_it.token import Token

MAX_DEPTH = 40
"""Nesting (lists, quotes, indentation) deeper than this is flattened to this depth, with a warning."""


class TooDeep(Exception):
    """markdown-it stops reading below its nesting limit: the note must be read as plain text."""

    def __init__(self, line: int) -> None:
        self.line = line


@dataclass(eq=False, slots=True)
class Node:
    kind: str
    """section, line (plain text), paragraph, list, item, code, table, quote, callout, html, heading."""
    text: str
    """The node's own words: a heading's title, an item's or line's text, a paragraph, a code block."""
    lines: tuple[int, ...]
    """The non-blank note lines (1-based) the node holds itself, not through its children."""
    children: list[Node] = field(default_factory=list)
    level: int = 0
    """A section's heading level (0 for the whole note); a plain-text line's indentation."""
    info: str = ""
    """A code block's language; a callout's type; 'ordered' for numbered lists."""
    blank_before: bool = False
    """Plain text: a blank line separates this line from the one before."""
    tokens: list[Token] | None = None
    """Markdown: the block's tokens, for turning it into content."""
    start: int = 1
    """An ordered list's first number."""

    def all_lines(self) -> list[int]:
        out = list(self.lines)
        for child in self.children:
            out.extend(child.all_lines())
        return out

    def descendants(self) -> list[Node]:
        out: list[Node] = []
        for child in self.children:
            out.append(child)
            out.extend(child.descendants())
        return out


def top_blocks(tokens: list[Token]) -> list[list[Token]]:
    """Group a flat token stream into its top-level blocks."""
    blocks: list[list[Token]] = []
    depth = 0
    for token in tokens:
        if depth == 0:
            blocks.append([])
        blocks[-1].append(token)
        depth += token.nesting
    return blocks
