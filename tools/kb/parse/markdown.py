"""Markdown syntax reader: markdown-it-py tokens (their line maps) -> one document tree.

Headings nest into sections by level; lists, quotes, Obsidian callouts, code, tables and HTML
blocks become nodes with their line ranges. Nothing here knows what a question is.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..model import Note
from .tree import MAX_DEPTH, Node, TooDeep, top_blocks

_CALLOUT = re.compile(
    r"""^\[!(?P<type>[\w-]+)\]      # [!question], [!note], [!faq] ...
    (?P<fold>[-+]?)                  # foldable: - closed, + open
    [ \t]*(?P<title>.*)$             # the callout's own title, if any""",
    re.VERBOSE,
)
_TOC_ITEM = re.compile(r"^\[[^\]]+\]\(#[^)]*\)$")

_md = MarkdownIt("commonmark", {"maxNesting": MAX_DEPTH + 1}).enable("table").disable("inline")
"""Block structure only: the tree keeps each block's inline source (an inline token's content), never its parsed
inline tokens, so the inline rule's work (a third of markdown-it's time on these notes) is left out."""


def read_markdown(note: Note) -> tuple[Node, list[tuple[int, str]]]:
    """The note's tree (a level-0 section) and the layout lines left out: (line, reason)."""
    tokens = _md.parse("\n".join(note.lines))
    deep = next((t for t in tokens if t.level >= MAX_DEPTH), None)
    if deep is not None:
        raise TooDeep(next((t.map[0] + 1 for t in reversed(tokens[: tokens.index(deep) + 1]) if t.map), 1))
    reader = _Reader(note)
    root = Node("section", "", ())
    stack = [root]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            level = int(token.tag[1])
            first, last = token.map or (0, 1)
            section = Node("section", tokens[index + 1].content, tuple(reader.nonblank(first, last)), level=level)
            while stack[-1].level >= level:
                stack.pop()
            stack[-1].children.append(section)
            stack.append(section)
            index += 3
            continue
        depth, end = 0, index
        while True:  # one top-level block
            depth += tokens[end].nesting
            end += 1
            if depth == 0:
                break
        node = reader.block(tokens[index:end])
        if node is not None:
            stack[-1].children.append(node)
        index = end
    return root, sorted(reader.layout)


class _Reader:
    def __init__(self, note: Note) -> None:
        self.note = note
        self.layout: list[tuple[int, str]] = []

    def nonblank(self, first: int, last: int) -> list[int]:
        return [no for no in range(first + 1, last + 1) if no <= len(self.note.lines) and self.note.lines[no - 1].strip()]

    def block(self, block: list[Token]) -> Node | None:
        first, last = span(block)
        lines = tuple(self.nonblank(first, last))
        kind = block[0].type
        if kind == "paragraph_open":
            return Node("paragraph", block[1].content, lines, tokens=block)
        if kind in ("bullet_list_open", "ordered_list_open"):
            items = [self.item(item) for item in top_blocks(block[1:-1])]
            if kind == "bullet_list_open" and items and all(_TOC_ITEM.match(i.text) and not i.children for i in items):
                # the items' own lines: a nested table of contents has reported its lines already
                self.layout.extend((no, "hand-written table of contents (the site makes its own)") for item in items for no in item.lines)
                return None
            ordered = kind == "ordered_list_open"
            start = int(block[0].attrs.get("start", 1) or 1) if ordered else 1
            return Node("list", "", (), items, info="ordered" if ordered else "", tokens=block, start=start)
        if kind in ("fence", "code_block"):
            return Node("code", block[0].content.rstrip("\n"), lines, info=block[0].info.strip(), tokens=block)
        if kind == "table_open":
            return Node("table", "\n".join(self.note.lines[first:last]), lines, tokens=block)
        if kind == "blockquote_open":
            return self.quote(block, lines)
        if kind == "html_block":
            return Node("html", block[0].content, lines, tokens=block)
        if kind == "heading_open":  # a heading inside a list item or a quote
            return Node("heading", block[1].content, lines, level=int(block[0].tag[1]), tokens=block)
        if kind == "hr":
            self.layout.extend((no, "horizontal rule (layout only)") for no in lines)
            return None
        return Node("paragraph", "\n".join(self.note.lines[first:last]), lines)  # pragma: no cover - every CommonMark block is above

    def item(self, item: list[Token]) -> Node:
        inner = top_blocks(item[1:-1])
        first, last = span(item)
        if inner and inner[0][0].type == "paragraph_open":
            head = inner[0]
            head_first, head_last = span(head)
            children = [n for n in (self.block(b) for b in inner[1:]) if n is not None]
            return Node("item", head[1].content, tuple(self.nonblank(head_first, head_last)), children, tokens=head)
        children = [n for n in (self.block(b) for b in inner) if n is not None]
        own = tuple(self.nonblank(first, first + 1)) if not inner or span(inner[0])[0] > first else ()
        return Node("item", "", own, children)

    def quote(self, block: list[Token], lines: tuple[int, ...]) -> Node:
        children = [n for n in (self.block(b) for b in top_blocks(block[1:-1])) if n is not None]
        head = children[0] if children and children[0].kind == "paragraph" else None
        match = _CALLOUT.match(head.text.split("\n", 1)[0]) if head else None
        if head is None or match is None:
            return Node("quote", "", (), children, tokens=block)
        rest = head.text.split("\n", 1)[1] if "\n" in head.text else ""
        body = children[1:]
        if rest.strip():
            body.insert(0, Node("paragraph", rest, head.lines[1:]))
        return Node("callout", match.group("title").strip(), head.lines[:1], body, info=match.group("type").lower())


def span(block: list[Token]) -> tuple[int, int]:
    """The 0-based first line and the line after the last of a block."""
    maps = [t.map for t in block if t.map]
    return (min(m[0] for m in maps), max(m[1] for m in maps)) if maps else (0, 0)
