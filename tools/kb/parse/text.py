"""Plain-text syntax reader: indentation, blank lines and banners -> one document tree.

Indentation nests lines; `=====`/`-----` lines split the note into parts, and a line between two
of them (or an AsciiDoc `= Title`, `== Title`) is a part's title. Nothing here knows what a
question is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Note
from .tree import MAX_DEPTH, Node

SEPARATOR = re.compile(r"^\s*([=\-_*~#+])\1{4,}\s*$")
_ASCIIDOC = re.compile(r"^(?P<marks>={1,5})\s+(?P<title>\S.*?)\s*$")
_NUMBERED_TOPIC = re.compile(r"^(\d+)[.)]\s+(\S.*?):\s*$")
_BANNER_TITLE_WORDS = 8
_LEAD_IN = re.compile(r"^[^?:]{1,40}?\s*(?::-?|\s-)$")
"""A short line ending in ':' / ':-' / ' -' that names what follows."""


class Reading:
    """What the reader found besides the tree: layout lines left out, note titles, warnings."""

    def __init__(self) -> None:
        self.layout: list[tuple[int, str]] = []
        self.titles: list[int] = []
        self.warnings: list[tuple[int, str]] = []


_SPACES = re.compile(r"\s+")


def read_text(note: Note, drop_reason: Callable[[str], str | None]) -> tuple[Node, Reading]:
    reading = Reading()
    lines = [_SPACES.sub(" ", raw).strip() for raw in note.lines]
    banner_titles = _banner_titles(note.lines, lines)
    root = Node("section", "", ())
    part = root
    stack: list[Node] = []
    blank = flattened = False
    previous = ""
    for no, (raw, text) in enumerate(zip(note.lines, lines, strict=True), start=1):
        if not text:
            blank = True
            continue
        heading = _ASCIIDOC.match(raw)
        if SEPARATOR.match(raw) or no in banner_titles or heading:
            if SEPARATOR.match(raw):
                reading.layout.append((no, "separator line (used to split the note into parts)"))
                if no + 1 in banner_titles or (part.lines and part.lines[-1] == no - 1 and not part.children):
                    continue  # the first rule of a banner, or the rule under a title just read
                part = Node("section", "", (), level=1)
            else:
                title = heading.group("title") if heading else text
                level = len(heading.group("marks")) if heading else 1
                part = Node("section", title, (no,), level=level)
            root.children.append(part)
            stack, blank, previous = [], False, ""
            continue
        if reason := drop_reason(text):
            reading.layout.append((no, reason))
            continue
        if text == previous:
            siblings = part.children
            if no == 2 or (len(siblings) == 1 and not siblings[0].children and siblings[0].lines == (no - 1,) and no <= 3):
                reading.titles.append(siblings.pop().lines[0])  # a title repeated by copying from a web page
                stack = []
            reading.layout.append((no, f"repeats line {no - 1} word for word"))
            continue
        previous = text
        node = Node("line", text, (no,), level=_indent(raw), blank_before=blank)
        blank = False
        while stack and stack[-1].level >= node.level:
            stack.pop()
        if len(stack) >= MAX_DEPTH:  # deeper than that: a sibling of the deepest line kept
            if len(stack) == MAX_DEPTH and not flattened:
                reading.warnings.append((no, f"indented deeper than {MAX_DEPTH} levels; deeper lines are shown at that depth"))
                flattened = True
            del stack[MAX_DEPTH - 1:]
        (stack[-1].children if stack else part.children).append(node)
        stack.append(node)
    for section in [root, *root.children]:
        section.children = _absorb_lead_ins(_absorb_numbered_topics(section.children))
    return root, reading


def _banner_titles(raws: tuple[str, ...], lines: list[str]) -> set[int]:
    """Lines standing between two rules: a part's title."""
    titles = set()
    for index in range(1, len(lines) - 1):
        if not lines[index] or SEPARATOR.match(raws[index]) or len(lines[index].split()) > _BANNER_TITLE_WORDS:
            continue
        if SEPARATOR.match(raws[index + 1]) and SEPARATOR.match(raws[index - 1]) and not lines[index].endswith("?"):
            titles.add(index + 1)
    return titles


def _absorb_numbered_topics(roots: list[Node]) -> list[Node]:
    """'3. Title:' followed by unindented lines (web text): those lines belong to the title."""
    out: list[Node] = []
    owner: Node | None = None
    for node in roots:
        if node.kind == "line" and _NUMBERED_TOPIC.match(node.text) and not node.children:
            owner = node
            out.append(node)
        elif owner is not None and node.kind == "line" and not node.blank_before and not node.children and not re.match(r"^\d+[.)]\s", node.text):
            owner.children.append(node)
        else:
            owner = None
            out.append(node)
    return out


def _absorb_lead_ins(roots: list[Node]) -> list[Node]:
    """'Python -' or 'SQL :' followed by lines at its own indentation: those lines are what it leads in."""
    out: list[Node] = []
    owner: Node | None = None
    for node in roots:
        if node.kind == "line" and not node.children and _LEAD_IN.match(node.text):
            owner = node
            out.append(node)
        elif owner is not None and node.kind == "line" and not node.blank_before:
            owner.children.append(node)
        else:
            owner = None
            out.append(node)
    return out


def _indent(raw: str) -> int:
    width = 0
    for char in raw:
        if char == "\t":
            width += 4
        elif char == " ":
            width += 1
        else:
            break
    return width
