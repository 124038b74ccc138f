"""A resource: `https://... --> what it is`, with the notes written under it."""

from __future__ import annotations

import re

from ...model import Link, Paragraph, Text
from ..tree import Node
from .base import Found, Scope

_RESOURCE = re.compile(r"^(?P<url>https?://\S+)\s*-->\s*")


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    if node.kind != "paragraph" or node.tokens is None:
        return None
    match = _RESOURCE.match(node.text)
    if not match:
        return None
    rest = node.text[match.end():]
    body = (Link(match.group("url")),) + ((Paragraph(Text(rest, markdown=True)),) if rest.strip() else ())
    return [Found(_title_from_url(match.group("url")), node.lines, before=body, block="resource",
                  followers=_notes, children_are_answer=False)]


def _notes(node: Node) -> bool:
    return node.kind in ("paragraph", "list", "code", "quote", "table", "html")


def _title_from_url(url: str) -> str:
    path = re.sub(r"[?#].*$", "", url).rstrip("/").rsplit("/", 1)[-1]
    words = [w for w in re.split(r"[-_]+", re.sub(r"\.\w+$", "", path)) if w and not re.fullmatch(r"[0-9a-f]{8,}", w)]
    if not words:
        return re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    return " ".join(words).capitalize()
