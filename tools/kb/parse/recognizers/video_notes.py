"""Notes taken while watching a video: `**Title (12:30)**` paragraphs, grouped under the first one's title."""

from __future__ import annotations

import re

from ...model import Content, Label, Paragraph, Text
from ..tree import Node
from .base import Found, Scope

VIDEO_HEADING = re.compile(r"^\*\*\s*(?:\d+\.\s*)?(?P<title>.+?)\s*\((?P<time>\d+:\d\d(?:\s*-\s*\d+:\d\d)?)\)\s*\*\*$")


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    if node.kind != "paragraph" or node.tokens is None:
        return None
    head, _, rest = node.text.partition("\n")
    match = VIDEO_HEADING.match(head)
    if not match:
        return None
    body: tuple[Content, ...] = (Label(Text(f"{match.group('title')} ({match.group('time')})")),)
    if rest:
        body += (Paragraph(Text(rest, markdown=True)),)
    return [Found("Video notes: " + match.group("title"), node.lines, before=body, block="video notes",
                  joins=True, followers=_notes, children_are_answer=False)]


def _notes(node: Node) -> bool:
    return node.kind in ("paragraph", "list", "code", "quote", "table", "html")
