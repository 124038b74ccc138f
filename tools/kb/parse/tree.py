"""The document tree: what a syntax reader makes of a note, whatever its format.

Sections hold headings' bodies; lists hold items; items and plain-text lines hold what is nested
under them. Every node knows the non-blank note lines it holds itself, so whatever a recognizer
makes of it can say where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token


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
